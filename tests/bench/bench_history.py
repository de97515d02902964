"""Benchmark the history walk: a 2,000-post WordPress blog emulated on 127.0.0.1 (tests/history_sites.py:
the captured unitingnc.org posts, copied to 2,000), made into a book by ``feedbook init --feed URL``.

Each run is a fresh process timed by GNU time (wall seconds, peak memory), with the requests the
server saw counted:

- feed only (``--no-history``): the baseline, 10 posts;
- REST API at the default politeness (1 s between requests to the host), and with ``--delay 0``
  (what is left is feedbook's own work, so the difference is the politeness);
- the paged feed (``/feed/?paged=N``, the API closed), as a site with a security plugin serves it,
  at the default delay and with ``--delay 0``.

Run:  python tests/bench/bench_history.py [--posts 2000]   (or: nox -s bench -- history)
Writes build/bench/history.json as well as printing the table.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1]))
from bench_pdf import timed
from history_sites import WordPress, many_wordpress_posts, serve

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "build" / "bench" / "history.json"


@dataclasses.dataclass
class Run:
    name: str
    requests: int
    seconds: float
    peak_mb: float
    posts: int


def walk(name: str, posts: int, work: Path, *options: str, api: str = "open") -> Run:
    site = WordPress(many_wordpress_posts(posts), api=api)
    book = work / name.replace(" ", "-")
    with serve(site) as server:
        site.base = server.base
        command = [sys.executable, "-m", "feedbook", "init", str(book), "--feed", server.url("/feed/"), "--offline"]
        seconds, peak, ok, last = timed([*command, *options], work)
        requests = len(server.log)
    if not ok:
        raise SystemExit(f"{name}: feedbook failed: {last}")
    state = json.loads((book / "feedbook.json").read_text(encoding="utf-8"))
    return Run(name, requests, seconds, peak, len(state["posts"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=2000)
    args = parser.parse_args()
    os.environ.setdefault("XDG_CACHE_HOME", tempfile.mkdtemp(prefix="feedbook-bench-cache-"))
    with tempfile.TemporaryDirectory(prefix="feedbook-bench-history-") as folder:
        work = Path(folder)
        runs = [
            walk("feed only", args.posts, work, "--no-history"),
            walk("REST API", args.posts, work),
            walk("REST API, no delay", args.posts, work, "--delay", "0"),
            walk("paged feed", args.posts, work, api="closed"),
            walk("paged feed, no delay", args.posts, work, "--delay", "0", api="closed"),
        ]
    by_name = {run.name: run for run in runs}
    missing = [run.name for run in runs if run.name != "feed only" and run.posts != args.posts]
    if missing:
        raise SystemExit(f"not every post recovered: {missing}")
    rest, quick, paged = by_name["REST API"], by_name["REST API, no delay"], by_name["paged feed"]
    base = by_name["feed only"]
    print(f"History walk of a {args.posts:,}-post WordPress blog ({platform.python_version()}, {os.cpu_count()} cores)")
    print(f"{'run':<22} {'requests':>8} {'seconds':>8} {'peak MB':>8} {'posts':>6}")
    for run in runs:
        print(f"{run.name:<22} {run.requests:>8} {run.seconds:>8.1f} {run.peak_mb:>8.0f} {run.posts:>6}")
    ratios = {
        "paged feed requests / REST requests": paged.requests / rest.requests,
        "REST seconds spent waiting (politeness share)": (rest.seconds - quick.seconds) / rest.seconds,
        "REST peak memory / feed-only peak memory": rest.peak_mb / base.peak_mb,
        "REST seconds per 1,000 posts, no delay": quick.seconds / args.posts * 1000,
    }
    for name, value in ratios.items():
        print(f"{name}: {value:.2f}")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"runs": [dataclasses.asdict(run) for run in runs], "ratios": ratios}, indent=1))


if __name__ == "__main__":
    main()
