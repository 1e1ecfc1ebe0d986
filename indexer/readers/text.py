"""Text, Markdown and HTML files -> pages, where the file marks its own page breaks.

Page breaks are taken, in this order of trust, from:
- "<!-- Page 3 -->" comments (text extracted from PDFs page by page): the page is page 3;
- form feeds (pdftotext output);
- "---" lines where most are followed by a page number or a scanned-page note (PDFs converted
  to Markdown page by page); the part before the first, when it is only a link or a note, joins
  the first page.
A file that marks none is one page, and its passages are cited by their section heading.
Notes that a page was scanned ("Scanned page, text may contain errors") mark the page `ocr`.
YAML front matter gives the title and date the file declares. Text that is really HTML
(a <br />, an &pound;) is decoded with the HTML parser.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import yaml

from ..errors import UnreadableFile
from .markup import html_text, html_title, looks_like_html, markdown_text
from .pages import MIN_PAGE_CHARS, RawDocument, RawPage, clean_chars, file_hash, visible_chars

MARKDOWN = (".md", ".markdown")
HTML = (".html", ".htm", ".xhtml")
TEXT = (".txt",)

_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_PAGE_COMMENT = re.compile(r"^[ \t]*<!--\s*page\s+(\d{1,4})\s*-->[ \t]*$", re.I | re.M)
_RULE = re.compile(r"^---[ \t]*$", re.M)   # a longer run of dashes is a table's border
_PAGE_NUMBER = re.compile(r"^\s*\d{1,4}\s*$")
_HEADING_CHARS = 40   # a Markdown heading underlined with --- is shorter than this
_ENDS_SENTENCE = re.compile(r"[.;:?!\"”’)]\**\s*$")
_SCAN_NOTE = re.compile(r"scanned page,? (?:the )?text may contain errors", re.I)


def read_text(path: Path) -> RawDocument:
    """Read a .txt, .md or .html file into pages. Raises UnreadableFile when it holds no text."""
    path = Path(path)
    source = _decode(path)
    kind = path.suffix.lower()
    front, body = front_matter(source) if kind in MARKDOWN + TEXT else ({}, source)
    pieces, numbered = split_pages(body)
    render = _renderer(kind, body)
    pages = []
    for number, (piece, printed) in enumerate(pieces, start=1):
        text, scanned = _without_scan_note(clean_chars(render(piece)))
        label = printed if printed and printed != str(number) else None
        pages.append(RawPage(number, text, label, has_images=False, ocr=scanned))
    pages = _join_preamble(pages) if numbered else pages
    if not any(visible_chars(page.text) for page in pages):
        raise UnreadableFile(path, "the file holds no text" + (" beyond its front matter" if front else ""))
    title = _declared(front.get("title")) or (html_title(source) if kind in HTML else None)
    date = _declared(front.get("date") or front.get("created"))
    return RawDocument(path, file_hash(path), pages, title=title, date=date,
                       unit="page" if numbered else "section")


def front_matter(source: str) -> tuple[dict, str]:
    """(the YAML front matter as a dict, the text after it); ({}, source) when there is none."""
    match = _FRONT_MATTER.match(source)
    if not match:
        return {}, source
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        return {}, source
    if not isinstance(data, dict):
        return {}, source
    return data, source[match.end():]


def split_pages(text: str) -> tuple[list[tuple[str, str | None]], bool]:
    """([(page text, the page number its marker gives)], whether the text marks pages at all)."""
    marks = list(_PAGE_COMMENT.finditer(text))
    if marks:
        pieces = [(text[m.end():end.start() if end else len(text)], m.group(1))
                  for m, end in zip(marks, marks[1:] + [None])]
        before = text[:marks[0].start()]
        if before.strip():
            pieces[0] = (before + "\n" + pieces[0][0], pieces[0][1])
        return pieces, True
    if "\f" in text:
        pieces = text.split("\f")
        if not pieces[-1].strip():
            pieces.pop()
        return [(piece, None) for piece in pieces], True
    rules = list(_RULE.finditer(text))
    if rules and _rules_are_page_breaks(text, rules):
        starts = [0] + [m.end() for m in rules]
        ends = [m.start() for m in rules] + [len(text)]
        pieces = [(text[a:b], None) for a, b in zip(starts, ends)]
        if not pieces[-1][0].strip():
            pieces.pop()  # the file ends with a page turn
        return pieces, True
    return [(text, None)], False


def _rules_are_page_breaks(text: str, rules: list[re.Match]) -> bool:
    """Most '---' lines turn a page: the next line says the page's number or that it was scanned,
    or the line just above is a sentence or a long line (Markdown would make that line a heading,
    so no one writing Markdown puts a rule there; a converter that marks page turns does)."""
    turning = 0
    for rule in rules:
        following = next((line for line in text[rule.end():].splitlines() if line.strip()), "")
        above = text[:rule.start()].rstrip(" \t").rsplit("\n", 2)
        line = above[-2].strip() if len(above) >= 2 and above[-1] == "" else ""
        glued = len(line) > _HEADING_CHARS or bool(line and _ENDS_SENTENCE.search(line))
        if _PAGE_NUMBER.match(following) or _SCAN_NOTE.search(following) or glued:
            turning += 1
    return turning >= max(1, len(rules) / 2)


def _join_preamble(pages: list[RawPage]) -> list[RawPage]:
    """A first 'page' that is only a link or a line ('[Original file](...)') belongs to the next."""
    if len(pages) < 2 or visible_chars(pages[0].text) >= MIN_PAGE_CHARS:
        return pages
    first, second = pages[0], pages[1]
    joined = RawPage(1, (first.text + "\n" + second.text).strip(), second.pdf_label, False, ocr=second.ocr)
    rest = [RawPage(p.number - 1, p.text, p.pdf_label, False, ocr=p.ocr) for p in pages[2:]]
    return [joined, *rest]


def _renderer(kind: str, body: str):
    if kind in HTML:
        return html_text
    if kind in MARKDOWN:
        return markdown_text
    return html_text if looks_like_html(body) else (lambda piece: piece.strip("\n"))


def _without_scan_note(text: str) -> tuple[str, bool]:
    lines = text.splitlines()
    kept = [line for line in lines if not _SCAN_NOTE.search(line)]
    return "\n".join(kept), len(kept) != len(lines)


def _declared(value) -> str | None:
    """A front-matter value as text ('2011-09-27' for a YAML date), its HTML character references read
    ('Minutes&#58; ...' -> 'Minutes: ...'), None when empty."""
    if value is None or isinstance(value, (list, dict)):
        return None
    text = html.unescape(str(value)).strip()
    return text or None


def _decode(path: Path) -> str:
    data = path.read_bytes()
    if not data.strip():
        raise UnreadableFile(path, "empty file" if not data else "the file holds only blank space")
    if b"\x00" in data[:4096]:
        raise UnreadableFile(path, "binary data, not text (is it another format renamed?)")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding).replace("\r\n", "\n").replace("\r", "\n")
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1").replace("\r\n", "\n")
