"""Decisions recorded one to a form: a record of (executive) decision, a decision notice.

Such a form names who decides, a decision number and the subject, then the decision itself under a
"Decision:" label, then the reasons and the options considered under labels of their own. The
decision is read from its label to the next label. A line opening with a capitalised verb
(APPROVE, DELEGATE, AGREE) starts a part, as in minutes ("RESOLVED Members to: a) NOTE ..."); the
date is the form's own. A proposed record of decision, attached to the report that asks for it,
records nothing yet and is left out, as recommendations are.
"""

from __future__ import annotations

import re

from .metadata import DocumentMeta
from .outcomes import Decision, outcome_of
from .structure import Block

_NOTICE = re.compile(r"\brecord of (?:[a-z]+ ){0,2}decisions?\b|\bdecision notice\b|\bnotice of (?:[a-z]+ )?decision\b",
                     re.I)
# A proposed record is what a report asks the decision maker to decide, not a decision.
_PROPOSED = re.compile(r"\b(?:proposed|draft|provisional)\s+(?:record|decision|notice)\b", re.I)
_DECISION_LABEL = re.compile(r"^\s*decisions?(?: (?:taken|made))?\s*:\s*", re.I)
# The labels that follow the decision on such forms.
_NEXT_LABEL = re.compile(r"^\s*(?:reasons?\b|options?\b|alternatives?\b|any alternatives|background\b|conflicts?\b"
                         r"|dispensations?\b|signed\b|date\b|legal\b|financial\b|equalit|consultation|decision number"
                         r"|subject matter|title of decision)", re.I)
_LABEL_AT_END = re.compile(r"\bdecisions?\s*:\s*$", re.I)   # a label the layout joined to the line before
_SUBJECT = re.compile(r"\b(?:subject(?: matter)?|title)(?: / title)?(?: of (?:the )?decision)?\s*:?\s+(.+?)\s+decisions?\s*:",
                      re.I | re.S)
_NUMBER = re.compile(r"\b\d{2}/\d{3,6}\b")
_VERB_PART = re.compile(r"^(?:\(?[a-z0-9]{1,2}[.)]\s*|[•▪-]\s*)?[A-Z]{4,}\b(?!\s*[A-Z]{2,}\b)")
_OPENING_BLOCKS = 3


def notice_decisions(blocks: list[Block], meta: DocumentMeta) -> list[Decision]:
    """The decision of a record-of-decision form, one record per part; none for any other document."""
    opening = " ".join(b.text for b in blocks[:_OPENING_BLOCKS])
    if not _NOTICE.search(opening) or _PROPOSED.search(opening):
        return []
    start = next((n for n, b in enumerate(blocks) if _DECISION_LABEL.match(b.text) or _LABEL_AT_END.search(b.text)),
                 None)
    if start is None:
        return []
    lines: list[tuple[str, int]] = []   # (line, its PDF page)
    first = "" if _LABEL_AT_END.search(blocks[start].text) else _DECISION_LABEL.sub("", blocks[start].text, count=1)
    for n, block in enumerate(blocks[start:], start=start):
        text = first if n == start else block.text
        if n > start and _NEXT_LABEL.match(text):
            break
        lines += [(line.strip(), block.pdf_page) for line in text.splitlines() if line.strip()]
    parts = _parts(lines)
    item = _item(blocks[:start + 1])
    return [Decision(text, item, meta.meeting_date, page, outcome_of(text), part=n)
            for n, (text, page) in enumerate(parts)]


def _parts(lines: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Lines -> parts, each opening at a capitalised verb; a lead-in ('I agree to:') heads the first."""
    parts: list[list[tuple[str, int]]] = []
    lead: list[str] = []
    for line, page in lines:
        if _VERB_PART.match(line) or not parts:
            if not parts and not _VERB_PART.match(line) and line.endswith(":"):
                lead.append(line)
                continue
            parts.append([(line, page)])
        else:
            parts[-1].append((line, page))
    if not parts and lead:
        parts = [[(line, lines[0][1]) for line in lead]]
        lead = []
    joined = [(" ".join(line for line, _ in part), part[0][1]) for part in parts]
    if lead and joined:
        joined[0] = (" ".join(lead) + " " + joined[0][0], joined[0][1])
    return joined


def _item(blocks: list[Block]) -> str | None:
    """The form's decision number and subject: '24/00093 Commissioned Family Hub Contracts'."""
    opening = "\n".join(b.text for b in blocks)
    number, subject = _NUMBER.search(opening), _SUBJECT.search(opening)
    named = " ".join(part for part in (number and number.group(0), subject and " ".join(subject.group(1).split()))
                     if part)
    return named or None
