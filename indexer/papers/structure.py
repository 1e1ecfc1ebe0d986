"""Clean pages -> agenda items and paragraph blocks.

An agenda pack lists its items with printed page ranges ("Minutes of the previous
meeting (Pages 3 - 10)") and stamps item pages ("Agenda Item No. 9"); together
they say which item every pack page belongs to. Pages are then cut into blocks
(paragraphs, list entries, headings); a paragraph that runs over a page break is
joined back into one block that remembers both pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..text import ends_sentence
from .layout import TEXT, Page

_ITEM_START = re.compile(r"^(?:[•\-–]\s*)?(?:item\s+)?(\d{1,2})(?:\.|\))?\s+([A-Z0-9(£\"'‘“].*)$")
_PAGE_RANGE = re.compile(r"\(\s*pages?\s+(\d{1,4})(?:\s*[-–—]\s*(\d{1,4}))?\s*\)", re.I)
_ITEM_MARKER = re.compile(r"^agenda\s+item(?:\s+no\.?)?\s*[:.]?\s*(\d{1,2})\b", re.I)
_LIST_START = re.compile(r"^(?:[•\-–*▪○►]\s*|\(?[a-z0-9]{1,3}[.)]\s+|\d{1,2}(?:\.\d{1,2})+\s+)")
_MAX_AGENDA_PAGES = 4
_LONE_NUMBER = re.compile(r"^\d{1,3}\.?$")
_SERIES_NUMBER = re.compile(r"^\d{3,4}\.\s*[A-Z]")   # '3155. Updates:-', '3148.Apologies': a minute numbered in a running series
_SERIES_TITLE_WORDS = 6   # words at most of a series entry whose number could be a year ("2030. Planning Permissions:-")
_MINUTE_HEADING = re.compile(r"^(\d{1,3})\.?\s+([A-Z0-9].{2,150})$")
_ITEM_REF = re.compile(r"^\(\s*item\s+(\d{1,2}[a-z]?)\s*\)\s*$", re.I)
_MONTH_WORD = re.compile(r"^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.I)
_DECIDED = re.compile(r"^(?:\(?\d{1,3}[.)]\)?\s+)?resolved\b", re.I)   # a resolution, never a heading
# 'VI. DISCUSSION AND ACTION ITEMS', 'I. Call to Order'; a full stop only in a number ('Section 54954.5'), after
# an abbreviation ('Resolution No.', '7:30 p.m.') or at the end: a title, not a sentence
_SECTION = re.compile(r"^([IVXL]{1,6})\.\s+([A-Z](?:[^.!?]|\.(?=\d)|(?<=\b\w)\.|(?<=\b\w\w)\.){2,80}\.?)$")
_TITLE_LINES = 3   # lines a minute's title may wrap onto before its '(Item N)'
_UNFINISHED_TITLE = re.compile(r"\bN[Oo]\.$")   # '... ON RESOLUTION NO.' / '22-02: A RESOLUTION ...'
_SECTION_ENTRY = re.compile(r"^(\d{1,2})\.\s+([A-Z].*)$", re.S)
# A heading that ends in its agenda code ('Closed Session/Expulsion Actions (E-5)', 'Consent Calendar Approved
# (G-1/G-12)', 'Closed Session (B)'): the code is the item's number. A lettered code with a number ('E-5') is
# what marks minutes laid out so; a letter alone ('(J)') also follows a councillor's name.
_CODE = r"[A-Z]-\d{1,2}[a-z]?"
_CODED_HEADING = re.compile(rf"^([A-Z].{{2,200}}?[\w)’'])\s*\(((?:{_CODE}|[A-Z])(?:/{_CODE})?)\)$")
_NUMBERED_CODE = re.compile(rf"\({_CODE}(?:/{_CODE})?\)$")
_CODED_WORDS = 30    # a coded heading runs to this many words at most (a long report title)
# A minute numbered in the council's running series, its title on the same line as its text and ended by a
# colon: '3741. Discuss Grants Policy: Draft drawn up ...', '3736. To consider & approve accounts for payment:-'.
_TITLED_MINUTE = re.compile(r"^(\d{1,4})\.\s*([A-Z][^:.!?]{2,160}?)\s*:")
_NUMBERED_MINUTE = re.compile(r"^(\d{1,4})\.\s*([A-Z].*)$", re.S)
_TITLE_WORDS = 24    # a title before its colon runs to this many words at most
_SLIPS = 1           # numbers out of order a running series may hold ('3787. ... 3769. ... 3788.'): a typing slip
_ENTRY_TITLE_WORDS = 16
# 'C. Contract Award: Annual Marketing Campaign': an entry lettered inside a numbered minute
_LETTERED = re.compile(r"^([A-Z])\.\s+([A-Z0-9].*)$")
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
                if _LETTERED.match(previous.text) and _looks_like_heading(previous.text, following):
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


def mark_minute_items(blocks: list[Block], is_minutes: bool, is_agenda: bool = False) -> list[Block]:
    """In minutes, each minute ("86. Minutes of the last meeting" + "(Item 3)") is an item.

    Applied only where no agenda-pack item is known. A heading counts as a minute when
    an "(Item N)" line follows within a few lines (long titles wrap), or when it is one
    of a run of consecutively numbered headings in a document of minutes; the entries
    lettered under such a minute are items too (_lettered_entries). An agenda's
    entries are items where they are titled and numbered in a running series, as its
    minutes will be ('2406. Planning Permissions:- DC/2017/01264 ...'); its other
    numbered lines may be a contents list or a report's paragraphs.
    """
    if any(b.item for b in blocks):
        return blocks
    if is_agenda and not is_minutes:
        return _starting_items(blocks, _titled_items(blocks))
    # minutes in Roman sections, or headed by the agenda's codes, say where every item starts
    outlined = (_sectioned_items(blocks) or _coded_items(blocks)) if is_minutes else {}
    if outlined:
        return [b for b in _starting_items(blocks, outlined) if b.text.strip()]
    candidates = []
    for index, block in enumerate(blocks):
        if _ITEM_REF.match(block.text):
            continue
        match = _MINUTE_HEADING.match(block.text)
        ref_at = next((j for j in range(index + 1, min(index + _TITLE_LINES + 1, len(blocks)))
                       if _ITEM_REF.match(blocks[j].text)), None)
        if not (block.is_heading or match or (ref_at is not None and _plain_title(blocks, index, ref_at))):
            continue
        if ref_at is not None and any(len(b.text.split()) > 20 for b in blocks[index + 1:ref_at]):
            ref_at = None  # text in between: that "(Item N)" belongs to something else
        if ref_at is not None and ref_at > index + 1 and ends_sentence(block.text):
            continue  # a numbered paragraph ending the previous minute, not the title of the next one
        if ref_at is not None or (match and block.is_heading):
            candidates.append((index, match, ref_at))
    numbers = [int(m.group(1)) if m else None for _, m, _ in candidates]
    accepted = [c for n, c in enumerate(candidates)
                if c[2] is not None or (is_minutes and c[1] and _in_run(numbers, n))]
    if not accepted:   # minutes numbered in a running series, each title on its minute's first line
        return _starting_items(blocks, _titled_items(blocks) if is_minutes else {})

    starts = {}
    title_end = -1
    for index, match, ref_at in accepted:
        if index <= title_end:
            continue  # a wrapped line of the title before it
        title_end = ref_at if ref_at is not None else index
        title_blocks = blocks[index:ref_at] if ref_at is not None else [blocks[index]]
        title = " ".join(b.text for b in title_blocks)
        ref = _ITEM_REF.match(blocks[ref_at].text).group(1) if ref_at is not None else None
        if match:
            number, title = match.group(1), title[match.start(2):]
            title = f"{title} (item {ref})" if ref else title
        else:
            number = ref
        starts[index] = (AgendaItem(number, title), ref_at, len(title_blocks))

    item, skip_until = None, -1
    for index, block in enumerate(blocks):
        if index in starts:
            item, ref_at, title_length = starts[index]
            block.text = " ".join(b.text for b in blocks[index:index + title_length])
            block.heading = block.text
            skip_until = index + title_length - 1
            if ref_at is not None:
                blocks[ref_at].text = _ITEM_REF.sub("", blocks[ref_at].text, count=1)
        elif index <= skip_until:
            block.text = ""  # a wrapped title line, now part of the heading
        block.item = item
    return _lettered_entries([b for b in blocks if b.text.strip()])


def _lettered_entries(blocks: list[Block]) -> list[Block]:
    """Entries lettered A, B, C ... under a numbered minute ('5. ACTION', then 'C. Contract Award: Annual
    Marketing Campaign') are items of their own, numbered under it ('5.C'): each is a matter taken apart, and
    the motion under it is cited to it. A letter may be missing from the run, not more; each entry is a
    heading of two words at least (not an initial, 'A. Smith')."""
    minute, expected, entry = None, "A", None
    for block in blocks:
        if block.item != minute:   # the next minute: its entries are lettered from A again
            minute, expected, entry = block.item, "A", None
        match = _LETTERED.match(block.text) if minute and block.is_heading else None
        if match and match.group(1) in (expected, chr(ord(expected) + 1)) and len(match.group(2).split()) >= 2:
            entry = AgendaItem(f"{minute.number}.{match.group(1)}", _tidy_title(match.group(2)))
            expected = chr(ord(match.group(1)) + 1)
        block.item = entry or minute
    return blocks


def _plain_title(blocks: list[Block], index: int, ref_at: int) -> bool:
    """Whether the blocks from `index` up to the "(Item N)" line at `ref_at` are a title not laid out as a
    heading: after a finished sentence or another item's reference, short lines ending no sentence
    ('Adoption Partnership South East, Regional Adoption Agency Annual Report' + '2023/2024' + '(Item 6)')."""
    title = blocks[index:ref_at]
    before = blocks[index - 1].text if index else ""
    opens = not before or ends_sentence(before) or bool(_ITEM_REF.match(before))
    # a list entry ('f) Note the Reserves ...') is not a title, nor the line before a numbered one ('89. Draft ...')
    numbered = any(_MINUTE_HEADING.match(b.text) for b in title[1:])
    return (opens and not numbered and not _LIST_START.match(title[0].text)
            and all(len(b.text.split()) <= 20 and not ends_sentence(b.text) for b in title))


def _starting_items(blocks: list[Block], starts: dict[int, AgendaItem]) -> list[Block]:
    """The blocks, each in the item started at or before it (by block index); none before the first."""
    item = None
    for index, block in enumerate(blocks):
        item = starts.get(index, item)
        block.item = item
    return blocks


def _sectioned_items(blocks: list[Block]) -> dict[int, AgendaItem]:
    """Minutes in Roman sections ('V. DISCUSSION AND ACTION ITEMS: OLD BUSINESS'), each numbering its
    items from 1 again: by block index, the section or item that starts there ('V.2. Update on ...').
    Empty unless the first three sections are numbered upwards from I or II."""
    sections = [(n, match) for n, block in enumerate(blocks) if (match := _SECTION.match(block.text))]
    numerals = [_roman(match.group(1)) for _, match in sections]
    # the first three rise from I or II (a copy of the minutes may follow, numbered again)
    if len(sections) < 3 or not numerals[0] < numerals[1] < numerals[2] or numerals[0] > 2:
        return {}
    starts: dict[int, AgendaItem] = {}
    for (at, match), (end, _) in zip(sections, sections[1:] + [(len(blocks), None)]):
        numeral = match.group(1)
        title = match.group(2)
        if _UNFINISHED_TITLE.search(title) and at + 1 < end:   # the number goes on onto the next line
            carried, _, blocks[at + 1].text = blocks[at + 1].text.partition("\n")
            title, blocks[at].text = f"{title} {carried}", f"{blocks[at].text} {carried}"
        starts[at] = AgendaItem(numeral, _tidy_title(title))
        expected, entries = 1, []
        for n in range(at + 1, end):
            entry = _SECTION_ENTRY.match(blocks[n].text)
            if entry and expected <= int(entry.group(1)) <= expected + 2:   # a number or two may be missing
                starts[n] = AgendaItem(f"{numeral}.{entry.group(1)}", _entry_title(entry.group(2)))
                expected, entries = int(entry.group(1)) + 1, entries + [n]
        # a list of titles with nothing between them (a consent calendar): what follows is the section's
        if len(entries) >= 3 and entries[-1] - entries[-3] == 2 and entries[-1] + 1 < end:
            starts[entries[-1] + 1] = starts[at]
    return starts


def _coded_items(blocks: list[Block]) -> dict[int, AgendaItem]:
    """Minutes whose headings end in the agenda's codes ('Employee Organizations (E-3)'): by block index,
    the item that starts there. Empty unless three codes at least carry a number ('E-3', not 'E')."""
    coded = {n: match for n, block in enumerate(blocks)
             if block.is_heading and (match := _CODED_HEADING.match(block.text))}
    letters = [match.group(2)[0] for match in coded.values()]
    numbered = sum(1 for match in coded.values() if "-" in match.group(2))
    # in the agenda's order (A, A-1, B, ... E-5, F), but for an item taken out of turn now and then
    out_of_turn = sum(1 for before, after in zip(letters, letters[1:]) if after < before)
    if numbered < 3 or out_of_turn > len(letters) // 10:
        return {}
    return {n: AgendaItem(match.group(2), _tidy_title(match.group(1))) for n, match in coded.items()}


def _titled_items(blocks: list[Block]) -> dict[int, AgendaItem]:
    """Minutes whose items are paragraphs numbered in a running series, each opening with its title and a
    colon ('3741. Discuss Grants Policy: Draft drawn up ...'): by block index, the item that starts there.

    Empty unless three titled paragraphs at least are numbered one after another, and the numbering goes
    back no more than a typing slip would (lists numbered afresh under each heading are no series). Each
    such run starts items, and so does a paragraph numbered next in the series even with no colon ('3743.
    Consider request from ... Memorial Green. It was agreed ...'), titled by its first sentence. Titled
    paragraphs just before a run, numbered no higher than where it starts, are the meeting's first minutes
    whatever slips their numbers hold ('3786. Police Report: ... 3787. To receive apologies: ... 3769.
    Public Session: ...'). A file may hold two meetings' minutes, each with its own run ('805. ... 3291.')."""
    titled = [(n, int(match.group(1)), match.group(2)) for n, block in enumerate(blocks)
              if (match := _TITLED_MINUTE.match(block.text)) and len(match.group(2).split()) <= _TITLE_WORDS]
    numbers = [number for _, number, _ in titled]
    runs = [k for k in range(len(titled)) if _in_run(numbers, k)]   # places in titled
    every = [int(match.group(1)) for block in blocks if (match := _NUMBERED_MINUTE.match(block.text))]
    if not runs or sum(later < earlier for earlier, later in zip(every, every[1:])) > _SLIPS:
        return {}
    in_run = {titled[k][0] for k in runs}
    starts: dict[int, AgendaItem] = {}
    expected = None
    for n, block in enumerate(blocks[titled[runs[0]][0]:], start=titled[runs[0]][0]):
        entry = _NUMBERED_MINUTE.match(block.text)
        if not entry or (n not in in_run and not expected <= int(entry.group(1)) <= expected + 1):
            continue   # one number may be missing from the series, not more
        match = _TITLED_MINUTE.match(block.text)
        title = match.group(2) if match else _entry_title(entry.group(2).split(":")[0])
        starts[n] = AgendaItem(entry.group(1), _tidy_title(title))
        expected = int(entry.group(1)) + 1
    for k in runs:   # the minutes just before each run
        opening = titled[k][1]
        for n, number, title in reversed(titled[:k]):
            if n in starts or len(str(number)) != len(str(opening)) or number > opening:
                break
            starts[n] = AgendaItem(str(number), _tidy_title(title))
    return dict(sorted(starts.items()))


def _roman(numeral: str) -> int:
    values = {"I": 1, "V": 5, "X": 10, "L": 50}
    total = 0
    for n, letter in enumerate(numeral):
        value = values[letter]
        total += -value if n + 1 < len(numeral) and values[numeral[n + 1]] > value else value
    return total


def _entry_title(text: str) -> str:
    """A numbered entry's title: up to its first full stop, at most _ENTRY_TITLE_WORDS words (a title wraps
    onto the next line and runs on into what follows it)."""
    title = re.split(r"(?<=[a-z0-9)]{4})\.\s+(?=[A-Z])", text, maxsplit=1)[0]   # not at 'No. 5070'
    words = title.split()
    return " ".join(words[:_ENTRY_TITLE_WORDS]) + (" ..." if len(words) > _ENTRY_TITLE_WORDS else "")


def _in_run(numbers: list[int | None], n: int) -> bool:
    """True when heading n sits in a run of at least three consecutive minute numbers."""
    if numbers[n] is None:
        return False
    run = 1
    i = n
    while i > 0 and numbers[i - 1] is not None and numbers[i - 1] == numbers[i] - 1:
        run, i = run + 1, i - 1
    i = n
    while i + 1 < len(numbers) and numbers[i + 1] is not None and numbers[i + 1] == numbers[i] + 1:
        run, i = run + 1, i + 1
    return run >= 3


def _continues(previous: Block, line: str, following: str, pdf_page: int, item: AgendaItem | None) -> bool:
    if previous.item != item or previous.is_heading:
        return False
    if (_LIST_START.match(line) or _ITEM_MARKER.match(line) or _ITEM_REF.match(line) or _SECTION.match(line)
            or _ITEM_REF.match(previous.text)):
        return False
    if _SERIES_NUMBER.match(line) and not _leads_on(previous.text) and not _year_goes_on(line):
        return False
    ended = ends_sentence(previous.text)
    if previous.pdf_page_end != pdf_page:  # across a page break: only an unfinished sentence
        # or one stopped at a joining word ('... and authorize the' + 'Chancellor or his designee(s) ...'), unless
        # the new page opens on a heading
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
    lettered = _LETTERED.match(line)
    if lettered and (_SENTENCE_INSIDE.search(lettered.group(2)) or line.count("(") != line.count(")")):
        # a lettered paragraph ('A. Conference with ... (Section 54957.6). Agency designated ...'), or a name
        # in a list wrapped after its initial ('... Transportation and Mobility (Mr.' + 'B. Kennedy), Director')
        return False
    if _NUMBERED_CODE.search(line) and _CODED_HEADING.match(line) and len(words) <= _CODED_WORDS:
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


def _tidy_title(title: str) -> str:
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
