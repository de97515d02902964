"""``python -m feedbook``."""

import sys

from .cli import main

if __name__ == "__main__":  # not when a spawned process imports this module again
    sys.exit(main())
