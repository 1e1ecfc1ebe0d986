"""The decisions register: every resolution found in minutes, with its meeting and page.

Minutes record decisions in a handful of ways: "Resolved:" followed by numbered
"That ..." paragraphs, "RESOLVED that ...", "(4) RESOLVED – to note ...", and in
smaller bodies "The Board agreed ..." or "It was agreed that ...". Each becomes a
Decision carrying the minute it sits under and the page it is printed on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text import sentences
from .metadata import DocumentMeta, find_date
from .structure import Block

_RESOLVED = re.compile(r"^(?:\(?\d{1,3}[.)]\)?\s+)?resolved\b\s*(?:[:–—-]\s*)?", re.I)
_RESOLVED_ALONE = re.compile(r"^(?:\(?\d{1,3}[.)]\)?\s+)?resolved\s*[:.–—-]?\s*$", re.I)
_PART = re.compile(r"^(?:\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)]\s+|•\s*)?(?:that\b|to\b|\(?[a-z]\)|\(?[ivx]{1,4}\))", re.I)
_LIST_ITEM = re.compile(r"^(?:\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)]|•)\s+")
_BODY = r"(?:board|committee|council|cabinet|panel|group|meeting|members?|directors?|trustees?|partnership)"
_VERB = r"(?:resolved|agreed|approved|accepted|adopted|endorsed|ratified|decided)"
_AGREED = re.compile(
    rf"\b(?:it was|the {_BODY}(?: \w+)?)\s+(?:(?:unanimously|formally|then)\s+)?{_VERB}\b"
    rf"|\b(?:was|were)\s+(?:\w+\s+and\s+|unanimously\s+|formally\s+)?{_VERB}\b",
    re.I,
)
_MAX_PARTS = 12


@dataclass
class Decision:
    text: str
    item: str | None        # the minute or agenda item it was taken under
    meeting_date: str | None
    pdf_page: int


def extract_decisions(blocks: list[Block], meta: DocumentMeta) -> list[Decision]:
    """Resolutions in the minutes of this document (a minutes file, or a pack's minutes item)."""
    decisions: list[Decision] = []
    dates: dict[str, str | None] = {}
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if not _in_minutes(block, meta):
            i += 1
            continue
        item_key = str(block.item)
        if item_key not in dates:
            dates[item_key] = _minutes_date(blocks, block, meta)
        text, used = _resolution(blocks, i)
        if text:
            decisions.append(Decision(text, _decision_item(block), dates[item_key], block.pdf_page))
            i += used
            continue
        for sentence in sentences(block.text):
            if _AGREED.search(sentence):
                decisions.append(Decision(sentence.strip(), _decision_item(block), dates[item_key], block.pdf_page))
        i += 1
    return _dedupe(decisions)


def _resolution(blocks: list[Block], start: int) -> tuple[str | None, int]:
    """'Resolved ...' at blocks[start], with the numbered parts that follow it."""
    first = blocks[start]
    if not _RESOLVED.match(first.text):
        return None, 1
    parts = [first.text]
    j = start + 1
    needs_parts = bool(_RESOLVED_ALONE.match(first.text)) or first.text.rstrip().endswith(":")
    while j < len(blocks) and j - start <= _MAX_PARTS:
        block = blocks[j]
        unfinished = not re.search(r"[.;:]$", parts[-1].rstrip())
        if block.item != first.item or _RESOLVED.match(block.text) or (block.is_heading and not unfinished):
            break
        if not (_PART.match(block.text) or (needs_parts and len(parts) == 1) or _LIST_ITEM.match(block.text)
                or unfinished):
            break
        parts.append(block.text)
        j += 1
    if len(parts) == 1 and _RESOLVED_ALONE.match(first.text):
        return None, 1
    return " ".join(" ".join(parts).split()), j - start


def _in_minutes(block: Block, meta: DocumentMeta) -> bool:
    if meta.doc_type == "minutes":
        return True
    return block.item is not None and "minutes" in block.item.title.lower()


def _decision_item(block: Block) -> str | None:
    """In a pack's minutes item, the minute heading says more than 'Minutes of the previous meeting'."""
    if block.item is not None and "minutes" in block.item.title.lower() and block.heading:
        return block.heading
    return str(block.item) if block.item else block.heading


def _minutes_date(blocks: list[Block], block: Block, meta: DocumentMeta) -> str | None:
    """Minutes inside a pack record an earlier meeting: 'Minutes - 8 July 2020'."""
    if meta.doc_type == "minutes" or block.item is None:
        return meta.meeting_date
    opening = [b.text for b in blocks if b.item == block.item][:4]
    return find_date("\n".join(opening)) or meta.meeting_date


def _dedupe(decisions: list[Decision]) -> list[Decision]:
    """One decision per wording within an item: the same words under two items are two decisions."""
    seen, unique = set(), []
    for decision in decisions:
        key = (decision.item, " ".join(decision.text.lower().split()))
        if key not in seen:
            seen.add(key)
            unique.append(decision)
    return unique
