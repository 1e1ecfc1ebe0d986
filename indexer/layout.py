"""Stage 2: raw pages -> clean pages with their printed page labels.

Finds the page number each page prints ("Page 17", a bare "3", "- 4 -"), removes
lines that repeat on most pages (running headers and footers), joins words
hyphenated at line ends, and says which pages are scanned or blank. Every PDF
page keeps its record, so page counts and citations never drift.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .pdf import MIN_PAGE_CHARS, RawDocument, visible_chars

TEXT, SCANNED, BLANK, UNREADABLE = "text", "scanned", "blank", "unreadable"

# "Page 17", "Page 3 of 10": printed by the council, trusted on their own.
_STRONG_LABEL = re.compile(r"^(?:page|pg\.?)\s*(\d{1,4})(?:\s*(?:of|/)\s*\d{1,4})?$", re.I)
_DASHED_LABEL = re.compile(r"^[-–—]\s*(\d{1,4})\s*[-–—]$")
_OF_LABEL = re.compile(r"^(\d{1,4})\s*(?:of|/)\s*\d{1,4}$", re.I)
# A bare "3": trusted only when it agrees with the PDF page or with other pages.
_BARE_LABEL = re.compile(r"^(\d{1,4})$")
_EDGE_LINES = 3

_BLANK_PAGE = re.compile(r"^\s*this page (?:is|has been) (?:intentionally|deliberately) left blank\.?\s*$", re.I)
_HYPHEN_BREAK = re.compile(r"(\b[A-Za-z]+)-\n([a-z]+)")
# Words whose hyphen is part of the compound ("anti-slavery"), kept when split at a line end.
_KEEP_HYPHEN_PREFIXES = {
    "anti", "non", "co", "pre", "post", "self", "well", "long", "short", "multi", "cross",
    "sub", "inter", "semi", "ex", "full", "part", "high", "low", "one", "two", "three",
    "four", "five", "six", "seven", "eight", "nine", "ten", "mid", "year", "day", "place",
    "decision", "cost", "face", "up", "end", "sign", "follow", "half", "child", "age",
}


@dataclass
class Page:
    pdf_page: int            # 1-based position in the PDF
    page_label: str | None   # printed page number ("17"), else the PDF's own label, else None
    text: str                # cleaned text; lines kept; running headers/footers removed
    status: str              # text | scanned | blank | unreadable
    note: str | None = None  # why a page has no text


def clean_pages(raw: RawDocument) -> list[Page]:
    lines_per_page = [_lines(p.text) for p in raw.pages]
    printed = _printed_labels(lines_per_page)
    repeated = _repeated_edge_lines(lines_per_page)
    vocabulary = _vocabulary(raw)

    pages = []
    for raw_page, lines, label in zip(raw.pages, lines_per_page, printed):
        label_line, value = label if label else (None, None)
        kept = [
            line for i, line in enumerate(lines)
            if not (i == label_line or _is_edge(i, lines) and _shape(line) in repeated)
            and not _BLANK_PAGE.match(line)
        ]
        text = _dehyphenate("\n".join(kept), vocabulary)
        page_label = value or raw_page.pdf_label
        pages.append(_classify(raw_page, text, page_label, lines))
    return pages


def _classify(raw_page, text: str, page_label: str | None, lines: list[str]) -> Page:
    if raw_page.error:
        return Page(raw_page.number, page_label, "", UNREADABLE, raw_page.error)
    if visible_chars(text) >= MIN_PAGE_CHARS:
        return Page(raw_page.number, page_label, text, TEXT)
    if any(_BLANK_PAGE.match(line) for line in lines):
        return Page(raw_page.number, page_label, "", BLANK, "intentionally left blank")
    if raw_page.has_images:
        return Page(raw_page.number, page_label, "", SCANNED, "scanned image, no text layer (needs OCR)")
    if text.strip():
        return Page(raw_page.number, page_label, text, TEXT)  # short but real text ("Appendix A")
    return Page(raw_page.number, page_label, "", BLANK, "no text on the page")


def _lines(text: str) -> list[str]:
    return [re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines() if line.strip()]


def _is_edge(i: int, lines: list[str]) -> bool:
    return i < _EDGE_LINES or i >= len(lines) - _EDGE_LINES


def _edge_indexes(lines: list[str]) -> list[int]:
    """Last lines first: page numbers sit in footers more often than headers."""
    n = len(lines)
    tail = list(range(n - 1, max(n - 1 - _EDGE_LINES, -1), -1))
    head = [i for i in range(min(_EDGE_LINES, n)) if i not in tail]
    return tail + head


def _printed_labels(pages: list[list[str]]) -> list[tuple[int, str] | None]:
    """For each page, (line index, printed page number) or None."""
    strong: list[tuple[int, str] | None] = []
    weak: list[list[tuple[int, int]]] = []
    for lines in pages:
        found, bare = None, []
        for i in _edge_indexes(lines):
            line = lines[i]
            match = _STRONG_LABEL.match(line) or _DASHED_LABEL.match(line) or _OF_LABEL.match(line)
            if match:
                found = (i, match.group(1))
                break
            match = _BARE_LABEL.match(line)
            if match:
                bare.append((i, int(match.group(1))))
        strong.append(found)
        weak.append(bare)

    offsets = Counter()
    for number, (found, bare) in enumerate(zip(strong, weak), start=1):
        if found:
            offsets[int(found[1]) - number] += 1
        for _, value in set(bare):
            offsets[value - number] += 1

    labels = []
    for number, (found, bare) in enumerate(zip(strong, weak), start=1):
        if found:
            labels.append(found)
            continue
        trusted = [(i, v) for i, v in bare if v - number == 0 or offsets[v - number] >= 2]
        labels.append((trusted[0][0], str(trusted[0][1])) if trusted else None)
    return labels


def _shape(line: str) -> str:
    """Lines compare case-blind; numbers are ignored only in lines that mention a page."""
    line = line.lower()
    return re.sub(r"\d+", "#", line) if "page" in line else line


def _repeated_edge_lines(pages: list[list[str]]) -> set[str]:
    """Header/footer lines: the same shape near the top or bottom of most pages."""
    text_pages = [lines for lines in pages if lines]
    if len(text_pages) < 3:
        return set()
    counts = Counter()
    for lines in text_pages:
        counts.update({_shape(lines[i]) for i in range(len(lines)) if _is_edge(i, lines)})
    threshold = max(3, len(text_pages) // 2 + 1)
    return {shape for shape, count in counts.items() if count >= threshold and len(shape) >= 3}


def _vocabulary(raw: RawDocument) -> set[str]:
    words = set()
    for page in raw.pages:
        words.update(w.lower() for w in re.findall(r"[A-Za-z]+(?:-[A-Za-z]+)*", page.text))
    return words


def _dehyphenate(text: str, vocabulary: set[str]) -> str:
    """'imple-\\nment' -> 'implement', 'anti-\\nslavery' stays hyphenated."""

    def join(match: re.Match) -> str:
        head, tail = match.group(1), match.group(2)
        joined, hyphenated = (head + tail).lower(), f"{head}-{tail}".lower()
        if hyphenated in vocabulary and joined not in vocabulary:
            return f"{head}-{tail}"
        if joined in vocabulary or head.lower() not in _KEEP_HYPHEN_PREFIXES:
            return head + tail
        return f"{head}-{tail}"

    return _HYPHEN_BREAK.sub(join, text)
