"""The posts of a book as the build sees them: each chapter's title, date and tags, read once.

The listing pages, the tags page, the cover, the EPUB's metadata and the PDF all ask during one
build; they ask here.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

from ..convert.front_matter import read_front_matter, tags_of

UNDATED = "Undated"  # the year of posts without a date: the name of their year page


@dataclass(frozen=True)
class PostInfo:
    docname: str
    title: str
    date: str
    tags: tuple[str, ...]

    @property
    def year(self) -> str:
        return self.date[:4] if self.date[:4].isdigit() else UNDATED


_POSTS_CACHE: dict[tuple[str, str], tuple[tuple[tuple[str, int, int], ...], list[PostInfo]]] = {}


KnownPosts = dict[str, tuple[int, int, PostInfo]]  # file name -> (mtime in ns, size, what it held)


def read_posts(srcdir: Path, posts_dir: str, known: KnownPosts | None = None) -> list[PostInfo]:
    """Every post's front matter, newest first (undated posts last).

    The listing pages, the tags page, the cover and the PDF all ask during one build; the
    answer is kept while no post file changes (name, size, mtime), so it is read once.
    ``known`` (kept in the environment from one build to the next) spares an incremental
    build reading again the posts that did not change; it is brought up to date here.
    """
    folder = srcdir / posts_dir
    with os.scandir(folder) if folder.is_dir() else contextlib.nullcontext(()) as found:
        files = sorted((entry.name, entry.stat()) for entry in found if entry.name.endswith(".md") and entry.is_file())
    signature = tuple((name, stat.st_mtime_ns, stat.st_size) for name, stat in files)
    key = (str(srcdir.resolve()), posts_dir)
    cached = _POSTS_CACHE.get(key)
    if cached is not None and cached[0] == signature:
        return list(cached[1])
    known = {} if known is None else known
    posts = []
    for name, mtime, size in signature:
        remembered = known.get(name)
        if remembered is not None and remembered[:2] == (mtime, size):
            posts.append(remembered[2])
            continue
        post = _post_info(folder / name, posts_dir)
        known[name] = (mtime, size, post)
        posts.append(post)
    for gone in known.keys() - {name for name, _, _ in signature}:
        del known[gone]
    ordered = sorted(posts, key=lambda post: (post.date != "", post.date, post.docname), reverse=True)
    _POSTS_CACHE[key] = (signature, ordered)
    return list(ordered)


def _post_info(path: Path, posts_dir: str) -> PostInfo:
    meta = read_front_matter(path)
    return PostInfo(
        docname=f"{posts_dir}/{path.stem}",
        title=str(meta.get("title") or path.stem),
        date=str(meta.get("date") or ""),
        tags=tags_of(meta.get("tags")),
    )


def post_dates(posts: list[PostInfo]) -> list[str]:
    """The posts' ISO dates, oldest first (undated posts left out)."""
    return sorted(post.date for post in posts if post.date[:4].isdigit())


def year_span(dates: list[str]) -> str:
    """The years ``dates`` (post_dates', oldest first) cover: "2015–2023", "2021", or "" without any."""
    if not dates:
        return ""
    first, last = dates[0][:4], dates[-1][:4]
    return first if first == last else f"{first}\u2013{last}"


def rights_with_years(holder: str, years: str) -> str:
    """ "© 2015–2023 Jane Doe" for a holder and the posts' years; "" when the holder names years of
    its own ("2019, Jane": it stands as written) or there are none."""
    if not holder or not years or any(char.isdigit() for char in holder):
        return ""
    return f"\u00a9 {years} {holder}"


def all_tags(posts: list[PostInfo]) -> list[str]:
    return sorted({tag for post in posts for tag in post.tags})
