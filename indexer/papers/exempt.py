"""Pages marked as exempt or confidential are withheld from the index.

UK councils take some reports in private under Schedule 12A of the Local Government
Act 1972, and mark them: "NOT FOR PUBLICATION", "exempt information ... paragraph 3",
"Part 2 - confidential", "RESTRICTED". A marking counts only where markings are put,
at the head or foot of a page (read before running headers are removed, since a
marking is often one), so public minutes that record excluding the press "under
paragraph 3" stay indexed. "[NOT PROTECTIVELY MARKED]" and "This report is PUBLIC"
mean public.

A marked page withholds its whole agenda item; a mark on the first page of a file
with no item there withholds the whole file. Withheld pages keep their place and
their marking, but no text of theirs is stored.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..readers.pages import RawDocument
from .layout import Page
from .structure import AgendaItem

WITHHELD = "withheld"
EXEMPT_NOTE = "exempt, included"   # the note on marked pages of a build with --include-exempt
_HEAD_LINES, _FOOT_LINES = 8, 3

_MARKINGS = (
    (re.compile(r"\bnot\s+for\s+publication\b", re.I), "NOT FOR PUBLICATION"),
    (re.compile(r"\bexempt\s+information\b.{0,160}?\bparagraphs?\s+(\d+)", re.I | re.S), "exempt information"),
    (re.compile(r"\bpart\s*(?:2|b|ii|two)\b\W{0,6}(?:confidential|exempt|private)\b", re.I), "Part 2 / Part B - confidential"),
    (re.compile(r"^\W*RESTRICTED\b(?!\s+[a-z])", re.M), "RESTRICTED"),
)
_PUBLIC = re.compile(r"not\s+protectively\s+marked|this\s+report\s+is\s+public|\bpublic\s+report\b", re.I)
_EXCLUDING_THE_PUBLIC = re.compile(
    r"\b(?:press\s+and\s+public|public\s+and\s+press|the\s+public)\s+(?:be|were|are|was)\s+excluded"
    r"|\bexclu(?:de|sion\s+of)\s+the\s+(?:press|public)", re.I)
_PARAGRAPH = re.compile(r"\bparagraphs?\s+(\d+(?:\s*(?:,|and)\s*\d+)*)", re.I)


def marking(text: str) -> str | None:
    """The exempt marking at the head or foot of one page's raw text, or None for a public page."""
    lines = [line for line in text.splitlines() if line.strip()]
    edges = "\n".join(lines[:_HEAD_LINES] + lines[-_FOOT_LINES:])
    if _PUBLIC.search(edges) or _EXCLUDING_THE_PUBLIC.search(edges):
        return None
    for pattern, name in _MARKINGS:
        found = pattern.search(edges)
        if found:
            paragraph = _PARAGRAPH.search(edges)
            return f"{name} (paragraph {paragraph.group(1)})" if paragraph else name
    return None


def exempt_pages(raw: RawDocument, page_items: list[AgendaItem | None]) -> dict[int, str]:
    """PDF page -> the marking that withholds it: marked pages, with the rest of their item or file."""
    marked = {page.number: found for page in raw.pages if (found := marking(page.text))}
    withheld = dict(marked)
    for number, found in marked.items():
        item = page_items[number - 1]
        if item is not None:
            same = [n for n, other in enumerate(page_items, start=1) if other == item]
        elif number == 1:
            same = range(1, len(page_items) + 1)
        else:
            same = [number]
        for n in same:
            withheld.setdefault(n, found)
    return withheld


def withhold(pages: list[Page], exempt: dict[int, str], include: bool = False) -> list[Page]:
    """Pages with the exempt ones emptied and marked; with include, kept and noted instead."""
    if include:
        return [replace(p, note=f"{EXEMPT_NOTE}: {exempt[p.pdf_page]}") if p.pdf_page in exempt else p for p in pages]
    return [replace(p, text="", status=WITHHELD, note=exempt[p.pdf_page]) if p.pdf_page in exempt else p
            for p in pages]
