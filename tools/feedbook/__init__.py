"""feedbook: a blog's feed into a book (MyST chapters, then HTML, EPUB and PDF with Sphinx)."""

__version__ = "0.1.0"
