"""Officers' recommendations: what a report asks the meeting to decide, to set beside what it resolved.

A report states its recommendations under a heading or lead-in of their own:
"Recommendation(s):" (alone, numbered "4. Recommendations", or followed by the text on the
same line), then "Cabinet is asked to:" and lettered or numbered parts, up to the next
section heading. A report often states them twice (the front sheet and the closing
section); each statement is kept, and the comparison picks the closer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .metadata import DocumentMeta
from .structure import Block

_HEADING = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})?\.?\s+)?recommendations?(?:\s*\(s\))?\s*(?:[:.–-]\s*(.*))?$", re.I)
_PART = re.compile(r"^(?:\(?(?:\d{1,2}(?:\.\d{1,2})?|[a-z]|[ivx]{1,4})[.)]\)?\s+|[•▪◦●\-–*]\s*)")
_ASKS = re.compile(r"\b(?:asked to|recommended to|recommend(?:s|ed)? that|invited to|requested to|agree|approve|note|"
                   r"endorse|adopt|delegate|consider)\b", re.I)
_NEW_SECTION = re.compile(r"^\d{1,2}\.?\s+[A-Z]")
_MAX_BLOCKS = 14


@dataclass
class Recommendation:
    text: str
    item: str | None        # the report (or pack item) it is made in
    pdf_page: int


def extract_recommendations(blocks: list[Block], meta: DocumentMeta) -> list[Recommendation]:
    """Recommendations stated in a report or in a pack's report items (none in minutes)."""
    if meta.doc_type == "minutes":
        return []
    found: list[Recommendation] = []
    i = 0
    while i < len(blocks):
        heading = _HEADING.match(blocks[i].text.strip())
        if not heading or (blocks[i].item is not None and "minutes" in blocks[i].item.title.lower()):
            i += 1
            continue
        parts = [heading.group(1)] if heading.group(1) else []
        j = i + 1
        while j < len(blocks) and j - i <= _MAX_BLOCKS and blocks[j].item == blocks[i].item:
            text = blocks[j].text.strip()
            unfinished = bool(parts) and not re.search(r"[.;:]$", parts[-1])
            if _HEADING.match(text) or (parts and not unfinished and not _PART.match(text) and
                                        (blocks[j].is_heading or _NEW_SECTION.match(text) or not _ASKS.search(text))):
                break
            if parts and _NEW_SECTION.match(text) and not _ASKS.search(text):
                break
            parts.append(text)
            j += 1
        text = " ".join(" ".join(parts).split())
        if text and _ASKS.search(text):
            item = str(blocks[i].item) if blocks[i].item else meta.title
            found.append(Recommendation(text, item, blocks[i].pdf_page))
        i = max(j, i + 1)
    return found
