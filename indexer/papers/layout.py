"""Raw pages -> clean pages with their printed page labels.

Finds the page number each page prints ("Page 17", a bare "3", "- 4 -"), removes
lines that repeat on most pages (running headers and footers), joins words
hyphenated at line ends, and says which pages are scanned or blank. Every PDF
page keeps its record, so page counts and citations never drift.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..readers.pages import MIN_PAGE_CHARS, RawDocument, visible_chars

TEXT, SCANNED, BLANK, UNREADABLE = "text", "scanned", "blank", "unreadable"

# "Page 17", "Page 3 of 10", "- 4 -", "4 of 10": printed by the council, trusted on their own.
_STRONG_LABEL = re.compile(
    r"^(?:(?:page|pg\.?)\s*(\d{1,4})(?:\s*(?:of|/)\s*\d{1,4})?|[-–—]\s*(\d{1,4})\s*[-–—]|(\d{1,4})\s*(?:of|/)\s*\d{1,4})$",
    re.I,
)
# Trusted only when the number agrees with the PDF page, or with other pages at the same offset:
# a bare "3"; "Minutes, 10 July 2012 Page 3 of 75"; a footer with the number glued on ("31542R 3", "! 3").
_WEAK_LABELS = [
    re.compile(r"^(\d{1,4})$"),
    re.compile(r"^.+\s(?:page|pg\.?)\s*(\d{1,4})(?:\s*(?:of|/)\s*\d{1,4})?$", re.I),
    re.compile(r"^(?!.*\bpage\b).*[^\d\s.,:;£$%/-]\s+(\d{1,4})$", re.I),
]
_EDGE_LINES = 5

_BLANK_PAGE = re.compile(r"^\s*this page (?:is|has been) (?:intentionally|deliberately) left blank\.?\s*$", re.I)
_SEPARATOR = re.compile(r"\s+[^\w\s]+\s+")   # ' • ', ' - ', ' | ' between the parts of a line
_HYPHEN_BREAK = re.compile(r"(\b[A-Za-z]+)-\n([a-z]+)")


@dataclass
class Page:
    pdf_page: int            # 1-based position in the PDF
    page_label: str | None   # printed page number ("17"), else the PDF's own label, else None
    text: str                # cleaned text; lines kept; running headers/footers removed
    status: str              # text | scanned | blank | unreadable
    note: str | None = None  # why a page has no text
    ocr: bool = False        # the text was read from a scan by OCR


def clean_pages(raw: RawDocument) -> list[Page]:
    lines_per_page = [_lines(p.text) for p in raw.pages]
    printed = _printed_labels(lines_per_page)
    for lines, label in zip(lines_per_page, printed):
        if label:
            lines[label[0]] = _without_label(lines[label[0]], label[1])
    repeated = _repeated_edge_lines(lines_per_page)
    vocabulary = _vocabulary(raw)

    pages = []
    for raw_page, lines, label in zip(raw.pages, lines_per_page, printed):
        value = label[1] if label else None
        kept = [
            line for i, line in enumerate(lines)
            if line and not (_is_edge(i, lines) and _shape(line) in repeated) and not _BLANK_PAGE.match(line)
        ]
        text = _dehyphenate("\n".join(kept), vocabulary)
        page_label = value or raw_page.pdf_label
        pages.append(_classify(raw_page, text, page_label, lines))
    return pages


def _classify(raw_page, text: str, page_label: str | None, lines: list[str]) -> Page:
    if raw_page.error:
        return Page(raw_page.number, page_label, "", UNREADABLE, raw_page.error)
    if visible_chars(text) >= MIN_PAGE_CHARS:
        return Page(raw_page.number, page_label, text, TEXT, ocr=raw_page.ocr)
    if any(_BLANK_PAGE.match(line) for line in lines):
        return Page(raw_page.number, page_label, "", BLANK, "intentionally left blank")
    if raw_page.has_images:
        why = raw_page.note or ("scanned image; OCR found almost no text on it" if raw_page.ocr
                                else "scanned image, no text layer")
        return Page(raw_page.number, page_label, "", SCANNED, why)
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
    """For each page, (line index, printed page number) or None.

    A strong stamp ("Page 17") is taken as printed. A weak one (a bare or glued-on
    number) only when it equals the PDF page or another page shows the same offset,
    so a figure at the foot of a table is not mistaken for a page number.
    """
    strong: list[tuple[int, str] | None] = []
    weak: list[list[tuple[int, int]]] = []
    for lines in pages:
        found, candidates = None, []
        for i in _edge_indexes(lines):
            match = _STRONG_LABEL.match(lines[i])
            if match:
                found = (i, next(g for g in match.groups() if g))
                break
            for pattern in _WEAK_LABELS:
                match = pattern.match(lines[i])
                if match:
                    candidates.append((i, int(match.group(1))))
                    break
        strong.append(found)
        weak.append(candidates)

    offsets = Counter()
    for number, (found, candidates) in enumerate(zip(strong, weak), start=1):
        seen = {int(found[1]) - number} if found else {value - number for _, value in candidates}
        offsets.update(seen)

    labels = []
    for number, (found, candidates) in enumerate(zip(strong, weak), start=1):
        trusted = [(i, v) for i, v in candidates if v == number or offsets[v - number] >= 2]
        if found:
            labels.append(found)
        elif trusted:
            labels.append((trusted[0][0], str(trusted[0][1])))
        else:
            labels.append(None)
    return labels


def _without_label(line: str, value: str) -> str:
    """A footer with the number glued on keeps its words ('... one ! 4' -> '... one')."""
    rest = re.sub(rf"\s*(?:!|page)?\s*{value}(?:\s*(?:of|/)\s*\d+)?$", "", line, flags=re.I).strip()
    return "" if rest.isdigit() else rest


def _shape(line: str) -> str:
    """Lines compare case-blind, and blind to the mark between their parts ('District • Board', 'District -
    Board', 'District Board': one header printed three ways); numbers are ignored only in lines that
    mention a page."""
    line = _SEPARATOR.sub(" ", line.lower())
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
        words.update(w.lower() for w in re.findall(r"[A-Za-z]+", page.text))
    return words


def _dehyphenate(text: str, vocabulary: set[str]) -> str:
    """'imple-\\nment' -> 'implement' when the document writes 'implement' elsewhere.

    Otherwise the hyphen stays ('decision-\\nmaking' -> 'decision-making'): in council
    papers a hyphen at a line end is nearly always part of a compound word.
    """

    def join(match: re.Match) -> str:
        head, tail = match.group(1), match.group(2)
        if (head + tail).lower() in vocabulary:
            return head + tail
        return f"{head}-{tail}"

    return _HYPHEN_BREAK.sub(join, text)
