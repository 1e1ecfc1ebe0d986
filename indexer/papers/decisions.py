"""The decisions register: every decision minuted, one record per part, with its item, meeting and page.

Minutes are read as items (the minute's number and heading), the paragraphs under each,
and the decisions among them. A decision is minuted in one of a few shapes, whatever the body:

- a resolution: "RESOLVED that ...", "RESOLVED – to note ...", "RESOLVED Members to:" followed
  by parts (a), 1., bullets), each part its own record sharing the resolution's group;
- a motion and its fate: "X moved to approve ..., Y seconded the motion. Motion carried ...",
  "X proposed, and Y seconded, that ... Agreed unanimously.";
- a sentence of decision: "The Board agreed ...", "It was agreed that ...", "the policy was adopted";
- an action given to someone: "Action: WM to circulate ...", "Clerk to chase ...";
- the outcome written beside the heading or the line it settles: "Approval of minutes: Approved &
  signed as correct", "... – all approved.", "TCC ... have no objections".

Sentences of decision and actions are read by `decision_sentences`; the record is `outcomes.Decision`.
What is only reported is left out: recommendations, what a meeting is asked to do, motions
quoted before the vote or lost, what was agreed earlier or by another body, and the bullet
points of a summary ("it was noted that:", "the highlights were:").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..text import ends_sentence
from . import outcomes
from .decision_sentences import MINUTE_TITLE, sentence_decisions
from .metadata import DocumentMeta, find_date
from .outcomes import Decision
from .structure import Block

_NUMBER = r"(?:\(?(?:\d{1,3}|[a-z]|[ivx]{1,4})[.)]\)?\s+)"
_RESOLVED = re.compile(rf"^{_NUMBER}?(?:(?:and|it was)\s+)?resolved\b\s*(?:[:–—-]\s*)?", re.I)
_RESOLVED_ALONE = re.compile(rf"^{_NUMBER}?(?:(?:and|it was)\s+)?resolved\s*[:.–—-]?\s*$", re.I)
_MARK = re.compile(r"^(?:\(?(\d{1,2}|[a-z]|[ivx]{1,4})[.)]\s+|([•▪◦●\-–*])\s*)")
_CAPITAL_VERB = re.compile(r"^(?:to\s+)?[A-Z]{3,}(?:\s+(?:AND|&)\s+[A-Z]{3,})?\b")   # 'NOTE the ...', 'To AGREE ...'
_INLINE_PART = re.compile(r"(?<=[:;])\s+(?=\(?(?:[a-h]|\d{1,2}|i{1,3}|iv|vi{0,3})\)\s+\S)")
_MAX_PARTS = 15
_MOTION_BLOCKS = 7   # a motion, its seconder and a roll-call vote before "Motion carried"
_QUOTE_OPENS = re.compile(r"^[“\"‘']")
_QUOTE_CLOSED = re.compile(r"[.;]?[”\"’']\s*$")
# A lead-in that is itself the decision, its list the things decided on: '... be and are hereby adopted:'.
_SETTLED_LEAD = re.compile(r"\b(?:be|are|is|were|was)\s+(?:\w+\s+){0,3}?(?:adopted|approved|appointed|elected|noted|agreed"
                           r"|accepted)\s*(?:as follows)?\s*:$", re.I)

# A summary of another body's work or of a report: its bullet points report decisions taken elsewhere.
_SUMMARY_LEAD = re.compile(r"\b(?:highlights?|as follows|updated|reported|discussions? at|key points|included)\b[^:]*:$",
                           re.I)
_PROPOSAL = re.compile(r"\b(?:proposed|moved)(?:,|\s+(?:and|that|to|the motion|approval|by|,))|\bon the proposal of\b"
                       r"|\bmotion (?:was )?made by\b", re.I)
_CLOSES = re.compile(r"\b(?:motion|amendment|proposal)\s+(?:was\s+)?(?:carried|passed|lost|defeated|failed|fell)\b"
                     r"|^\(?(?:\d{1,2}\)\s*)?(?:agreed|carried)(?:\s+unanimously)?\.?$|\bit was agreed\b", re.I)
_VOTING = re.compile(r"\b(?:for|against|abstain\w*)\s*\(\d|\bvot(?:e|ed|ing)\b|\bcarried\b|\bunanimous", re.I)
_SECONDING = re.compile(r"\b(?:proposed|seconded)\s+by\b|^(?:proposer|seconder|proposed|seconded)\s*:", re.I)
_HEADING_NUMBER = re.compile(r"^\(?(\d{1,4})[.)]?\s")   # a minute's number opening a heading ('293. Declarations ...')


@dataclass
class _Minute:
    """What is known of the minute being read: its title, date and the proposal awaiting its vote."""
    title: str | None = None
    date: str | None = None
    proposal: list[Block] = field(default_factory=list)
    summary: bool = False    # inside the bullet points of a summary


def extract_decisions(blocks: list[Block], meta: DocumentMeta) -> list[Decision]:
    """Decisions minuted in this document (a minutes file, or a pack's minutes item)."""
    decisions: list[Decision] = []
    minute, dates, last_item = _Minute(), {}, object()
    minutes_file = _is_minutes(blocks, meta)
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if not (minutes_file or _minutes_item(block)):
            i += 1
            continue
        if block.item != last_item:
            minute, last_item = _Minute(), block.item
        key = str(block.item)
        if key not in dates:
            dates[key] = _minutes_date(blocks, block, meta, minutes_file)
        minute.date = dates[key]
        numbered = MINUTE_TITLE.match(block.text)
        if block.item is None and numbered:
            minute.title, minute.proposal, minute.summary = f"{numbered.group(1)}. {numbered.group(2)}", [], False
        item = _item_name(block, minute, minutes_file)
        if _RESOLVED.match(block.text):
            parts, used = _resolution(blocks, i)
            if parts:
                decisions += _resolution_records(parts, blocks[max(0, i - 3):i], minute, item)
                minute.proposal = []
                i += used
                continue
        closed = _motion(blocks, i)
        if closed is not None:
            found, used = closed
            if found is not None:
                found.item, found.meeting_date = item, minute.date
                decisions.append(found)
            elif used and _RESOLVED.match(blocks[i + used].text):
                minute.proposal = [block]   # the motion and its vote: the resolution that follows is the decision
            i += used
            continue
        if _PROPOSAL.search(block.text) and "second" in block.text.lower() and "amendment" not in block.text.lower():
            minute.proposal = [block]   # the motion; an amendment to it is moved by others and carried or lost
        minute.summary = _in_summary(block, blocks[i - 1] if i else None, minute.summary)
        if not minute.summary:
            found = sentence_decisions(block, item, minute.date)
            following = blocks[i + 1] if i + 1 < len(blocks) else None
            if found and found[-1].text.endswith(":") and following is not None and following.item == block.item:
                found[-1].text = f"{found[-1].text} {' '.join(following.text.split())}"   # 'subject to the following:'
            decisions += found
        i += 1
    return _dedupe(decisions)


def _resolution(blocks: list[Block], start: int) -> tuple[list[tuple[str, int]], int]:
    """'Resolved ...' at blocks[start] and its parts: [(text, page)], and the blocks read."""
    first = blocks[start]
    lead = first.text
    inline = _INLINE_PART.split(lead)
    parts = [(inline[0], first.pdf_page)] + [(p, first.pdf_page) for p in inline[1:]]
    own_mark = _MARK.match(lead)
    own_style = _style(own_mark) if own_mark else None
    part_style, subheading = None, None
    needs_parts = bool(_RESOLVED_ALONE.match(lead)) or lead.rstrip().endswith(":")
    j = start + 1
    while j < len(blocks) and j - start <= _MAX_PARTS:
        block = blocks[j]
        if len(parts) > 1 and _QUOTE_CLOSED.search(parts[-1][0]) and _QUOTE_OPENS.match(parts[1][0]):
            break  # a resolution quoted in full ends with its closing quote
        unfinished = not ends_sentence(parts[-1][0].rstrip())
        mark = _MARK.match(block.text)
        style = _style(mark) if mark else None
        next_part = style is not None and style == part_style   # a numbered part read as a heading is still a part
        following = blocks[j + 1] if j + 1 < len(blocks) else None
        titled = block.is_heading or (len(block.text.split()) <= 8 and not ends_sentence(block.text))
        if (titled and not mark and following is not None and _MARK.match(following.text)
                and (parts[-1][0].rstrip().endswith(":") or part_style) and following.item == first.item):
            subheading = block.text   # '2025-26 Revenue Budget' over the parts it heads
            j += 1
            continue
        if block.item != first.item or _RESOLVED.match(block.text) or (
                block.is_heading and not unfinished and not next_part and not _CAPITAL_VERB.match(block.text)):
            break
        if own_style and style == own_style and not unfinished and not (needs_parts and len(parts) == 1) and (
                part_style != own_style or _number(mark) == _number(own_mark) + 1):
            break  # the minute's next paragraph, numbered as the resolution's own was
        if mark or _CAPITAL_VERB.match(block.text) or (needs_parts and j == start + 1):
            if part_style is None or style == part_style or not mark:
                part_style = part_style or style
                parts.append((f"{subheading}: {block.text}" if subheading else block.text, block.pdf_page))
                subheading = None
            else:
                parts[-1] = (f"{parts[-1][0]} {block.text}", parts[-1][1])   # a sub-part belongs to its part
        elif unfinished:
            parts[-1] = (f"{parts[-1][0]} {block.text}", parts[-1][1])
        else:
            break
        j += 1
    if len(parts) == 1 and _RESOLVED_ALONE.match(lead):
        return [], 1
    first = 1 if len(parts) > 1 and _RESOLVED_ALONE.match(parts[0][0]) else 0
    if len(parts) > first + 1 and _SETTLED_LEAD.search(parts[first][0]):
        folded = " ".join(text for text, _ in parts[first:])   # 'the following be adopted:' and its list
        parts = [*parts[:first], (folded, parts[first][1])]
    if len(parts) > 1 and (_RESOLVED_ALONE.match(parts[0][0]) or parts[0][0].rstrip().endswith(":")):
        lead_in = parts.pop(0)[0]
        parts[0] = (f"{lead_in} {parts[0][0]}", parts[0][1])   # the lead-in reads with the first part
    return [(" ".join(text.split()), page) for text, page in parts], j - start


def _number(mark: re.Match) -> int:
    token = mark.group(1) or ""
    return int(token) if token.isdigit() else -1


def _style(mark: re.Match) -> str:
    token = mark.group(1)
    if token is None:
        return "bullet"
    closer = mark.group(0).strip()[-1]
    kind = "digit" if token.isdigit() else "roman" if re.fullmatch(r"[ivx]+", token) and token != "i" or token in (
        "ii", "iii") else "letter"
    return f"{kind}{closer}"


def _resolution_records(parts: list[tuple[str, int]], before: list[Block], minute: _Minute,
                        item: str | None) -> list[Decision]:
    context = " ".join(b.text for b in [*minute.proposal, *before]
                       if _VOTING.search(b.text) or _SECONDING.search(b.text) or b in minute.proposal)
    vote = outcomes.vote_of(context + " " + parts[0][0])
    seconding = minute.proposal or any(_SECONDING.search(b.text) for b in before)
    mover = outcomes.moved_by(context) if seconding else None
    seconder = outcomes.seconded_by(context) if seconding else None
    owner = outcomes.resolution_owner(parts[0][0])
    return [Decision(text, item, minute.date, page, _part_outcome(text), n, vote, mover, seconder, owner)
            for n, (text, page) in enumerate(parts)]


def _part_outcome(text: str) -> str:
    outcome = outcomes.outcome_of(text)
    return "resolved" if outcome == "other" else outcome


def _motion(blocks: list[Block], start: int) -> tuple[Decision | None, int] | None:
    """A motion moved, seconded and carried (or lost) across a few paragraphs.

    Returns (decision, blocks read), or (None, blocks read) when it was lost or when a resolution
    follows it (the resolution is then the decision); None when blocks[start] opens no such motion."""
    first = blocks[start]
    if not _PROPOSAL.search(first.text) or _RESOLVED.match(first.text):
        return None
    for end in range(start, min(start + _MOTION_BLOCKS, len(blocks))):
        if blocks[end].item != first.item:
            return None
        text = " ".join(b.text for b in blocks[start:end + 1])
        if "second" not in " ".join(b.text for b in blocks[start:start + 2]).lower():
            return None
        closing = _CLOSES.search(blocks[end].text) if end > start else _CLOSES.search(first.text[40:])
        if closing is None:
            continue
        after = blocks[end + 1:end + 3]
        resolution = next((n for n, b in enumerate(after, end + 1) if b.item == first.item and _RESOLVED.match(b.text)),
                          None)
        if resolution is not None:
            return None, resolution - start  # the resolution that follows is the decision; this was its motion
        if end == start and "it was agreed" in text.lower():
            return None  # one sentence of decision: read as such
        text = " ".join(text.split())
        vote = outcomes.vote_of(text)
        if vote is not None and vote.result == "lost":
            return None, end - start + 1
        return (Decision(text, None, None, first.pdf_page, outcomes.outcome_of(text), 0, vote,
                         outcomes.moved_by(text), outcomes.seconded_by(text)), end - start + 1)
    return None


def _in_summary(block: Block, previous: Block | None, was: bool) -> bool:
    """Whether the block is a bullet point of a summary of discussion or of another body's work."""
    if previous is not None and _SUMMARY_LEAD.search(previous.text.strip()):
        return bool(_MARK.match(block.text))
    return was and bool(_MARK.match(block.text))


def _is_minutes(blocks: list[Block], meta: DocumentMeta) -> bool:
    if meta.doc_type == "minutes":
        return True
    opening = " ".join(b.text for b in blocks[:3]).lower()
    return "minutes" in opening and any(_RESOLVED.match(b.text) for b in blocks)


def _minutes_item(block: Block) -> bool:
    return block.item is not None and "minutes" in block.item.title.lower()


def _item_name(block: Block, minute: _Minute, minutes_file: bool) -> str | None:
    """In a pack's minutes item, the minute heading says more than 'Minutes of the previous meeting'. In a
    minutes file, an item about minutes ('294. Minutes of the meeting held on 13 February 2025') under the
    numbered title of an earlier minute laid out as a heading ('293. Declarations of Interests', where 294's
    title was set as plain lines) is its own."""
    if _minutes_item(block) and block.heading and not (minutes_file and _earlier_minutes(block)):
        return block.heading
    if block.item is not None:
        return str(block.item)
    return minute.title or block.heading


def _earlier_minutes(block: Block) -> bool:
    """Whether the heading over a block is the numbered title of a minute before the block's item (a later
    one is a minute the item marks did not find, whose heading names it better)."""
    number = _HEADING_NUMBER.match(block.heading or "")
    return bool(number) and block.item.number.isdigit() and int(number.group(1)) < int(block.item.number)


def minutes_dates(blocks: list[Block], meta: DocumentMeta) -> dict[str, str]:
    """Item -> the date of the meeting whose minutes it carries, for a pack's minutes items dated otherwise than the pack."""
    if _is_minutes(blocks, meta):
        return {}
    dates: dict[str, str] = {}
    for block in blocks:
        key = str(block.item)
        if _minutes_item(block) and key not in dates:
            dates[key] = _minutes_date(blocks, block, meta, False) or ""
    return {key: date for key, date in dates.items() if date and date != meta.meeting_date}


def _minutes_date(blocks: list[Block], block: Block, meta: DocumentMeta, minutes_file: bool) -> str | None:
    """Minutes inside a pack record an earlier meeting: 'Minutes - 8 July 2020'."""
    if minutes_file or block.item is None:
        return meta.meeting_date
    opening = [b.text for b in blocks if b.item == block.item][:4]
    return find_date("\n".join(opening)) or meta.meeting_date


def _dedupe(decisions: list[Decision]) -> list[Decision]:
    """A decision printed twice in a row (a repeated text layer) is one; the same words elsewhere are another."""
    unique: list[Decision] = []
    for decision in decisions:
        previous = unique[-1] if unique else None
        if previous and (previous.item, previous.pdf_page, previous.text.lower()) == (
                decision.item, decision.pdf_page, decision.text.lower()):
            continue
        unique.append(decision)
    return unique
