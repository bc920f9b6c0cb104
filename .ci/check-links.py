#!/usr/bin/env python3
"""Checks the built book (docs/book) the way a reader clicks through it: every relative link
points at a page that exists, and every #fragment at an id on that page. mdbook itself does not
check links. Also checks that every example crate has a chapter listed in SUMMARY.md."""

import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "docs" / "book"


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.links = set(), []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])


def parse(path, cache={}):
    if path not in cache:
        page = Page()
        page.feed(path.read_text(encoding="utf-8"))
        cache[path] = page
    return cache[path]


def main():
    problems = []
    # Pages the theme writes for itself (search, print, 404) are not the book's own links.
    pages = [p for p in BOOK.rglob("*.html") if p.name not in ("print.html", "404.html", "toc.html")]
    for page_path in sorted(pages):
        for href in parse(page_path).links:
            url = urlsplit(href)
            if url.scheme or url.netloc or href.startswith(("mailto:", "javascript:")):
                continue
            target = (page_path.parent / unquote(url.path)).resolve() if url.path else page_path
            if target.is_dir():
                target = target / "index.html"
            where = page_path.relative_to(BOOK)
            if not target.is_file():
                problems.append(f"{where}: link to {href}: no such page")
            elif url.fragment and target.suffix == ".html" and unquote(url.fragment) not in parse(target).ids:
                problems.append(f"{where}: link to {href}: no such anchor")

    summary = (ROOT / "docs" / "src" / "SUMMARY.md").read_text(encoding="utf-8")
    for port in sorted(ROOT.glob("crates/*/src/on_tokio.rs")):
        name = port.parent.parent.name
        if f"({name}.md)" not in summary:
            problems.append(f"crates/{name} has no chapter docs/src/{name}.md in SUMMARY.md")

    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    print(f"links: {len(pages)} pages, every relative link and anchor resolves")
    return 0


if __name__ == "__main__":
    sys.exit(main())
