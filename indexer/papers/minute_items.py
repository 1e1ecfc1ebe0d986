"""Minutes -> their items: which heading starts each minute, where a pack names none.

Minutes number their items in several ways: headings numbered in a run ('86. Minutes of the last meeting',
with '(Item 3)' after it), Roman sections each numbering its items afresh ('V.2. Update on ...'), headings
ending in the agenda's codes ('Employee Organizations (E-3)'), paragraphs numbered in a running series and
titled before a colon ('3741. Discuss Grants Policy: ...'), and entries lettered under a numbered minute
('5. ACTION', then 'C. Contract Award: ...'). Each is read from the blocks structure.py cuts.
"""

from __future__ import annotations

import re

from ..text import ends_sentence
from .structure import CODED_HEADING, ITEM_REF, LETTERED, LIST_START, SECTION, AgendaItem, Block, tidy_title

_MINUTE_HEADING = re.compile(r"^(\d{1,3})\.?\s+([A-Z0-9].{2,150})$")
_TITLE_LINES = 3   # lines a minute's title may wrap onto before its '(Item N)'
_UNFINISHED_TITLE = re.compile(r"\bN[Oo]\.$")   # '... ON RESOLUTION NO.' / '22-02: A RESOLUTION ...'
_SECTION_ENTRY = re.compile(r"^(\d{1,2})\.\s+([A-Z].*)$", re.S)
# A minute numbered in the council's running series, its title on the same line as its text and ended by a
# colon: '3741. Discuss Grants Policy: Draft drawn up ...', '3736. To consider & approve accounts for payment:-'.
_TITLED_MINUTE = re.compile(r"^(\d{1,4})\.\s*([A-Z][^:.!?]{2,160}?)\s*:")
_NUMBERED_MINUTE = re.compile(r"^(\d{1,4})\.\s*([A-Z].*)$", re.S)
_TITLE_WORDS = 24    # a title before its colon runs to this many words at most
_SLIPS = 1           # numbers out of order a running series may hold ('3787. ... 3769. ... 3788.'): a typing slip
_ENTRY_TITLE_WORDS = 16


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
        if ITEM_REF.match(block.text):
            continue
        match = _MINUTE_HEADING.match(block.text)
        ref_at = next((j for j in range(index + 1, min(index + _TITLE_LINES + 1, len(blocks)))
                       if ITEM_REF.match(blocks[j].text)), None)
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
        ref = ITEM_REF.match(blocks[ref_at].text).group(1) if ref_at is not None else None
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
                blocks[ref_at].text = ITEM_REF.sub("", blocks[ref_at].text, count=1)
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
        match = LETTERED.match(block.text) if minute and block.is_heading else None
        if match and match.group(1) in (expected, chr(ord(expected) + 1)) and len(match.group(2).split()) >= 2:
            entry = AgendaItem(f"{minute.number}.{match.group(1)}", tidy_title(match.group(2)))
            expected = chr(ord(match.group(1)) + 1)
        block.item = entry or minute
    return blocks


def _plain_title(blocks: list[Block], index: int, ref_at: int) -> bool:
    """Whether the blocks from `index` up to the "(Item N)" line at `ref_at` are a title not laid out as a
    heading: after a finished sentence or another item's reference, short lines ending no sentence
    ('Adoption Partnership South East, Regional Adoption Agency Annual Report' + '2023/2024' + '(Item 6)')."""
    title = blocks[index:ref_at]
    before = blocks[index - 1].text if index else ""
    opens = not before or ends_sentence(before) or bool(ITEM_REF.match(before))
    # a list entry ('f) Note the Reserves ...') is not a title, nor the line before a numbered one ('89. Draft ...')
    numbered = any(_MINUTE_HEADING.match(b.text) for b in title[1:])
    return (opens and not numbered and not LIST_START.match(title[0].text)
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
    sections = [(n, match) for n, block in enumerate(blocks) if (match := SECTION.match(block.text))]
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
        starts[at] = AgendaItem(numeral, tidy_title(title))
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
             if block.is_heading and (match := CODED_HEADING.match(block.text))}
    letters = [match.group(2)[0] for match in coded.values()]
    numbered = sum(1 for match in coded.values() if "-" in match.group(2))
    # in the agenda's order (A, A-1, B, ... E-5, F), but for an item taken out of turn now and then
    out_of_turn = sum(1 for before, after in zip(letters, letters[1:]) if after < before)
    if numbered < 3 or out_of_turn > len(letters) // 10:
        return {}
    return {n: AgendaItem(match.group(2), tidy_title(match.group(1))) for n, match in coded.items()}


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
        starts[n] = AgendaItem(entry.group(1), tidy_title(title))
        expected = int(entry.group(1)) + 1
    for k in runs:   # the minutes just before each run
        opening = titled[k][1]
        for n, number, title in reversed(titled[:k]):
            if n in starts or len(str(number)) != len(str(opening)) or number > opening:
                break
            starts[n] = AgendaItem(str(number), tidy_title(title))
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
