"""Clean pages -> agenda items and paragraph blocks.

An agenda pack lists its items with printed page ranges ("Minutes of the previous
meeting (Pages 3 - 10)") and stamps item pages ("Agenda Item No. 9"); together
they say which item every pack page belongs to. Pages are then cut into blocks
(paragraphs, list entries, headings); a paragraph that runs over a page break is
joined back into one block that remembers both pages. Minutes' own items are read from
these blocks by minute_items.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..text import ends_sentence
from .layout import TEXT, Page

_ITEM_START = re.compile(r"^(?:[•\-–]\s*)?(?:item\s+)?(\d{1,2})(?:\.|\))?\s+([A-Z0-9(£\"'‘“].*)$")
_PAGE_RANGE = re.compile(r"\(\s*pages?\s+(\d{1,4})(?:\s*[-–—]\s*(\d{1,4}))?\s*\)", re.I)
_ITEM_MARKER = re.compile(r"^agenda\s+item(?:\s+no\.?)?\s*[:.]?\s*(\d{1,2})\b", re.I)
LIST_START = re.compile(r"^(?:[•\-–*▪○►]\s*|\(?[a-z0-9]{1,3}[.)]\s+|\d{1,2}(?:\.\d{1,2})+\s+)")
_MAX_AGENDA_PAGES = 4
_LONE_NUMBER = re.compile(r"^\d{1,3}\.?$")
_SERIES_NUMBER = re.compile(r"^\d{3,4}\.\s*[A-Z]")   # '3155. Updates:-', '3148.Apologies': a minute numbered in a running series
_SERIES_TITLE_WORDS = 6   # words at most of a series entry whose number could be a year ("2030. Planning Permissions:-")
ITEM_REF = re.compile(r"^\(\s*item\s+(\d{1,2}[a-z]?)\s*\)\s*$", re.I)
_MONTH_WORD = re.compile(r"^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.I)
_DECIDED = re.compile(r"^(?:\(?\d{1,3}[.)]\)?\s+)?resolved\b", re.I)   # a resolution, never a heading
# 'VI. DISCUSSION AND ACTION ITEMS', 'I. Call to Order'; a full stop only in a number ('Section 54954.5'), after
# an abbreviation ('Resolution No.', '7:30 p.m.') or at the end: a title, not a sentence
SECTION = re.compile(r"^([IVXL]{1,6})\.\s+([A-Z](?:[^.!?]|\.(?=\d)|(?<=\b\w)\.|(?<=\b\w\w)\.){2,80}\.?)$")
# A heading that ends in its agenda code ('Closed Session/Expulsion Actions (E-5)', 'Consent Calendar Approved
# (G-1/G-12)', 'Closed Session (B)'): the code is the item's number. A lettered code with a number ('E-5') is
# what marks minutes laid out so; a letter alone ('(J)') also follows a councillor's name.
_CODE = r"[A-Z]-\d{1,2}[a-z]?"
CODED_HEADING = re.compile(rf"^([A-Z].{{2,200}}?[\w)’'])\s*\(((?:{_CODE}|[A-Z])(?:/{_CODE})?)\)$")
_NUMBERED_CODE = re.compile(rf"\({_CODE}(?:/{_CODE})?\)$")
_CODED_WORDS = 30    # a coded heading runs to this many words at most (a long report title)
# 'C. Contract Award: Annual Marketing Campaign': an entry lettered inside a numbered minute
LETTERED = re.compile(r"^([A-Z])\.\s+([A-Z0-9].*)$")
_SENTENCE_INSIDE = re.compile(r"(?<=[a-z0-9)]{2})\.\s+(?=[A-Z])")   # not at 'Dr. King' or 'No. 5'
_LETTERED_WORDS = 20  # a lettered entry's title, wrapped over lines, runs to this many words at most
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
    page_turns: list[tuple[int, int]] = field(default_factory=list)  # (offset in text, page) where a page begins

    def page_at(self, offset: int) -> int:
        """The page the character at offset is printed on."""
        page = self.pdf_page
        for start, turned_to in self.page_turns:
            if offset >= start:
                page = turned_to
        return page


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
                items.append(AgendaItem(match.group(1), tidy_title(title), first, last))
                i = j
            else:
                items.append(AgendaItem(match.group(1), tidy_title(match.group(2))))
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
        lines = _join_lone_numbers([line.strip() for line in page.text.splitlines() if line.strip()])
        for index, line in enumerate(lines):
            if _ITEM_MARKER.match(line):
                continue
            previous = blocks[-1] if blocks else None
            following = lines[index + 1] if index + 1 < len(lines) else ""
            if previous and _continues(previous, line, following, page.pdf_page, item):
                if previous.pdf_page_end != page.pdf_page:
                    previous.page_turns.append((len(previous.text) + 1, page.pdf_page))
                previous.text = f"{previous.text} {line}"
                previous.pdf_page_end = page.pdf_page
                if LETTERED.match(previous.text) and _looks_like_heading(previous.text, following):
                    heading = previous.heading = previous.text   # that line ended a wrapped title
                    previous.is_heading = True
                continue
            if _looks_like_heading(line, following):
                heading = line
                blocks.append(Block(line, page.pdf_page, page.pdf_page, item, heading, is_heading=True))
            else:
                blocks.append(Block(line, page.pdf_page, page.pdf_page, item, heading))
    return blocks


def _join_lone_numbers(lines: list[str]) -> list[str]:
    """'1.' or '11' alone on a line, its title on the next (table layouts): one line '1. Title'."""
    joined: list[str] = []
    for line in lines:
        if joined and _LONE_NUMBER.match(joined[-1]) and line[:1].isupper():
            joined[-1] = f"{joined[-1]} {line}"
        else:
            joined.append(line)
    return joined


def _continues(previous: Block, line: str, following: str, pdf_page: int, item: AgendaItem | None) -> bool:
    if previous.item != item or previous.is_heading:
        return False
    if (LIST_START.match(line) or _ITEM_MARKER.match(line) or ITEM_REF.match(line) or SECTION.match(line)
            or ITEM_REF.match(previous.text)):
        return False
    if _SERIES_NUMBER.match(line) and not _leads_on(previous.text) and not _year_goes_on(line):
        return False
    ended = ends_sentence(previous.text)
    if previous.pdf_page_end != pdf_page:  # across a page break: only an unfinished sentence
        # or one stopped at a joining word in lower case ('... and authorize the' + 'Chancellor or his designee(s)
        # ...'; 'Attachment A' may end a title), unless the new page opens on a heading
        stopped = previous.text.split()[-1] in _DANGLING and not _looks_like_heading(line, following)
        return not ended and (line[:1].islower() or line[:1].isdigit() or previous.text.endswith(",") or stopped)
    return not ended or line[:1].islower()


def _year_goes_on(line: str) -> bool:
    """Whether a line opening with a year, not a minute's number, goes on with the sentence before it ('the
    Crime and Disorder Act' + '1998. The Act places a duty on ...'): a running series' entry is a short title."""
    return 1900 <= int(re.match(r"\d+", line).group()) <= 2099 and len(line.split()) > _SERIES_TITLE_WORDS


def _leads_on(text: str) -> bool:
    """Whether text stops where the next line must go on: after a comma, a joining word or a month ('31 March,'
    + '2028. The next ...' is one paragraph; '... Old Park Cottage' + '3155. Updates:-' is two)."""
    last = text.split()[-1] if text.split() else ""
    return last.endswith((",", "-", "–", "/")) or last.lower() in _DANGLING or bool(_MONTH_WORD.fullmatch(last))


def _looks_like_heading(line: str, following: str) -> bool:
    """Short, title-like lines: '3.0 Financial implications', '12. Homelessness', 'Background', and lettered
    entries of up to _LETTERED_WORDS words ('B. Curriculum Proposals: American River, Cosumnes River, ...')."""
    words = line.split()
    if _DECIDED.match(line):
        return False
    lettered = LETTERED.match(line)
    if lettered and (_SENTENCE_INSIDE.search(lettered.group(2)) or line.count("(") != line.count(")")):
        # a lettered paragraph ('A. Conference with ... (Section 54957.6). Agency designated ...'), or a name
        # in a list wrapped after its initial ('... Transportation and Mobility (Mr.' + 'B. Kennedy), Director')
        return False
    if _NUMBERED_CODE.search(line) and CODED_HEADING.match(line) and len(words) <= _CODED_WORDS:
        return True
    if " | " in line or not 1 <= len(words) <= (_LETTERED_WORDS if lettered else 12) or ends_sentence(line) \
            or line[-1] in ",-–(":
        return False
    if words[-1].lower() in _DANGLING or (following and following[:1].islower()):
        return False
    numbered = re.match(r"^\d{1,3}(?:\.\d{1,2})?\.?\s+[A-Z0-9]", line)
    if not (numbered or line[:1].isupper()) or (not numbered and not lettered and len(words) > 8):
        return False
    content = [w for w in words if w.lower() not in _DANGLING]
    capitals = sum(1 for w in content if w[:1].isupper() or w[:1].isdigit())
    return capitals / max(1, len(content)) >= (0.5 if numbered else 0.75) or len(words) <= 3


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


def tidy_title(title: str) -> str:
    title = re.sub(r"\s+", " ", title).strip()
    abbreviated = re.search(r"\b\w\.\w\.$", title)   # '7:30 p.m.' keeps its last full stop
    title = title.strip(" .:-–")
    return f"{title}." if abbreviated else title


def _dedupe(items: list[AgendaItem]) -> list[AgendaItem]:
    """Keep the first listing of each item number; prefer one that gives pages."""
    chosen: dict[str, AgendaItem] = {}
    for item in items:
        known = chosen.get(item.number)
        if known is None or (known.first_page is None and item.first_page is not None):
            chosen[item.number] = item
    return list(chosen.values())
