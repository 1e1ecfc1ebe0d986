"""Stage 4: clean pages -> agenda items and paragraph blocks.

An agenda pack lists its items with printed page ranges ("Minutes of the previous
meeting (Pages 3 - 10)") and stamps item pages ("Agenda Item No. 9"); together
they say which item every pack page belongs to. Pages are then cut into blocks
(paragraphs, list entries, headings); a paragraph that runs over a page break is
joined back into one block that remembers both pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .layout import TEXT, Page

_ITEM_START = re.compile(r"^(?:[•\-–]\s*)?(?:item\s+)?(\d{1,2})(?:\.|\))?\s+([A-Z0-9(£\"'‘“].*)$")
_PAGE_RANGE = re.compile(r"\(\s*pages?\s+(\d{1,4})(?:\s*[-–—]\s*(\d{1,4}))?\s*\)", re.I)
_ITEM_MARKER = re.compile(r"^agenda\s+item(?:\s+no\.?)?\s*[:.]?\s*(\d{1,2})\b", re.I)
_SENTENCE_END = re.compile(r"[.!?:;]['\"’”)]?$")
_LIST_START = re.compile(r"^(?:[•\-–*▪○►]\s*|\(?[a-z0-9]{1,3}[.)]\s+|\d{1,2}(?:\.\d{1,2})+\s+)")
_MAX_AGENDA_PAGES = 4
_MINUTE_HEADING = re.compile(r"^(\d{1,3})\.?\s+([A-Z].{2,150})$")
_ITEM_REF = re.compile(r"^\(\s*item\s+(\d{1,2}[a-z]?)\s*\)\s*", re.I)
_MONTH_WORD = re.compile(r"^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.I)
_DANGLING = {"and", "or", "of", "the", "to", "for", "in", "with", "a", "an", "on", "by", "&", "at", "from"}


@dataclass(frozen=True)
class AgendaItem:
    number: str
    title: str
    first_page: int | None = None  # printed page range, as the agenda gives it
    last_page: int | None = None

    def __str__(self) -> str:
        return f"{self.number}. {self.title}" if self.title else f"Item {self.number}"


@dataclass
class Block:
    text: str
    pdf_page: int
    pdf_page_end: int
    item: AgendaItem | None
    heading: str | None      # the heading this block sits under
    is_heading: bool = False


def find_agenda_items(pages: list[Page]) -> list[AgendaItem]:
    """Numbered items listed on the agenda pages at the front of a document."""
    items: list[AgendaItem] = []
    for page in pages[:_MAX_AGENDA_PAGES]:
        first_item_page = min((it.first_page for it in items if it.first_page), default=None)
        if first_item_page is not None and _page_number(page, True) == first_item_page:
            break  # the agenda has ended: this page is the first item's own
        lines = page.text.splitlines()
        i = 0
        while i < len(lines):
            match = _ITEM_START.match(lines[i].strip())
            if not match or _MONTH_WORD.match(match.group(2)):
                i += 1
                continue
            title_parts, j = [match.group(2)], i + 1
            while not _PAGE_RANGE.search(" ".join(title_parts)) and j < len(lines) and j - i <= 3:
                nxt = lines[j].strip()
                if _ITEM_START.match(nxt) or nxt.startswith("["):
                    break
                title_parts.append(nxt)
                j += 1
            title = " ".join(title_parts)
            pages_ref = _PAGE_RANGE.search(title)
            if pages_ref:
                title = title[: pages_ref.start()]
                first = int(pages_ref.group(1))
                last = int(pages_ref.group(2) or first)
                items.append(AgendaItem(match.group(1), _tidy_title(title), first, last))
                i = j
            else:
                items.append(AgendaItem(match.group(1), _tidy_title(match.group(2))))
                i += 1
    return _dedupe(items)


def assign_items(pages: list[Page], items: list[AgendaItem]) -> list[AgendaItem | None]:
    """The agenda item each page belongs to (None for front matter and plain documents)."""
    by_number = {item.number: item for item in items}
    ranged = [item for item in items if item.first_page is not None]
    use_labels = any(p.page_label and p.page_label.isdigit() for p in pages)

    result: list[AgendaItem | None] = []
    current: AgendaItem | None = None
    for page in pages:
        number = _page_number(page, use_labels)
        in_range = next((it for it in ranged if number is not None and it.first_page <= number <= it.last_page), None)
        marker = _marker(page)
        if marker is not None:
            current = by_number.get(marker) or AgendaItem(marker, "")
            if in_range is not None and in_range.number == marker:
                current = in_range
        elif in_range is not None:
            current = in_range
        elif current is not None and current.last_page is not None and number is not None and number > current.last_page:
            current = None
        result.append(current)
    if not ranged and not any(_marker(p) is not None for p in pages):
        return [None] * len(pages)
    return result


def split_blocks(pages: list[Page], page_items: list[AgendaItem | None]) -> list[Block]:
    """Paragraph blocks in reading order; a paragraph broken by a page break comes out whole."""
    blocks: list[Block] = []
    heading: str | None = None
    for page, item in zip(pages, page_items):
        if page.status != TEXT:
            continue
        if blocks and blocks[-1].item != item:
            heading = None
        lines = [line.strip() for line in page.text.splitlines() if line.strip()]
        for index, line in enumerate(lines):
            if _ITEM_MARKER.match(line):
                continue
            previous = blocks[-1] if blocks else None
            if previous and _continues(previous, line, page.pdf_page, item):
                previous.text = f"{previous.text} {line}"
                previous.pdf_page_end = page.pdf_page
                continue
            following = lines[index + 1] if index + 1 < len(lines) else ""
            if _looks_like_heading(line, following):
                heading = line
                blocks.append(Block(line, page.pdf_page, page.pdf_page, item, heading, is_heading=True))
            else:
                blocks.append(Block(line, page.pdf_page, page.pdf_page, item, heading))
    return blocks


def mark_minute_items(blocks: list[Block]) -> list[Block]:
    """In minutes, each numbered minute ("86. Minutes of the last meeting" + "(Item 3)") is an item.

    Applied only where no agenda-pack item is known. A heading counts as a minute when
    an "(Item N)" line follows it, or when it belongs to a run of consecutive numbers.
    """
    if any(b.item for b in blocks):
        return blocks
    candidates = []
    for index, block in enumerate(blocks):
        match = _MINUTE_HEADING.match(block.text) if block.is_heading else None
        if match:
            following = blocks[index + 1].text if index + 1 < len(blocks) else ""
            ref = _ITEM_REF.match(following)
            candidates.append((index, int(match.group(1)), match.group(2), ref.group(1) if ref else None))
    accepted = [c for n, c in enumerate(candidates) if c[3] or _in_run(candidates, n)]
    if not accepted:
        return blocks
    starts = {index: (number, title, ref) for index, number, title, ref in accepted}
    item = None
    for index, block in enumerate(blocks):
        if index in starts:
            number, title, ref = starts[index]
            item = AgendaItem(str(number), f"{title} (item {ref})" if ref else title)
        elif item is not None and _ITEM_REF.match(block.text):
            block.text = _ITEM_REF.sub("", block.text, count=1)
        block.item = item
    return [b for b in blocks if b.text.strip()]


def _in_run(candidates: list[tuple], n: int) -> bool:
    """True when candidate n sits in a run of at least three consecutive minute numbers."""
    numbers = [c[1] for c in candidates]
    run = 1
    i = n
    while i > 0 and numbers[i - 1] == numbers[i] - 1:
        run, i = run + 1, i - 1
    i = n
    while i + 1 < len(numbers) and numbers[i + 1] == numbers[i] + 1:
        run, i = run + 1, i + 1
    return run >= 3


def _continues(previous: Block, line: str, pdf_page: int, item: AgendaItem | None) -> bool:
    if previous.item != item or previous.is_heading:
        return False
    if _LIST_START.match(line) or _ITEM_MARKER.match(line):
        return False
    ended = _SENTENCE_END.search(previous.text)
    if previous.pdf_page_end != pdf_page:  # across a page break: only an unfinished sentence
        return not ended and (line[:1].islower() or line[:1].isdigit() or previous.text.endswith(","))
    return not ended or line[:1].islower()


def _looks_like_heading(line: str, following: str) -> bool:
    words = line.split()
    if " | " in line or not 1 <= len(words) <= 12 or _SENTENCE_END.search(line) or line.endswith(","):
        return False
    if words[-1].lower() in _DANGLING:
        return False
    if not (line[:1].isupper() or re.match(r"^\d{1,3}(?:\.\d)?\.?\s+[A-Z]", line)):
        return False
    if following and following[:1].islower():
        return False
    capitals = sum(1 for w in words if w[:1].isupper() or w[:1].isdigit())
    return capitals / len(words) >= 0.5 or len(words) <= 4


def _marker(page: Page) -> str | None:
    """'Agenda Item No. 9' stamped at the top (or, in some packs, the foot) of an item's first page."""
    lines = page.text.splitlines()
    for line in lines[:6] + lines[-4:]:
        match = _ITEM_MARKER.match(line.strip())
        if match:
            return match.group(1)
    return None


def _page_number(page: Page, use_labels: bool) -> int | None:
    if not use_labels:
        return page.pdf_page
    return int(page.page_label) if page.page_label and page.page_label.isdigit() else None


def _tidy_title(title: str) -> str:
    title = re.sub(r"\s+", " ", title).strip(" .:-–")
    return title


def _dedupe(items: list[AgendaItem]) -> list[AgendaItem]:
    """Keep the first listing of each item number; prefer one that gives pages."""
    chosen: dict[str, AgendaItem] = {}
    for item in items:
        known = chosen.get(item.number)
        if known is None or (known.first_page is None and item.first_page is not None):
            chosen[item.number] = item
    return list(chosen.values())
