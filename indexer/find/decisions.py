"""Decisions as a reader wants them: whole resolutions, the precedent line on a topic, one readable entry each."""

from __future__ import annotations

import re

from ..papers.metadata import long_date
from ..records import DecisionRecord, Filters
from .index import Index

HISTORY_DEPTH = 60      # decisions read for a topic before keeping the closely matching ones
HISTORY_SHARE = 0.4     # a decision stays in a topic's history when it scores this share of the best match


def whole(index: Index, records: list[DecisionRecord]) -> list[list[DecisionRecord]]:
    """Each resolution the records belong to, with all its parts in order, in the order first met."""
    groups: dict[int, list[DecisionRecord]] = {}
    for record in records:
        if record.group not in groups:
            groups[record.group] = index.decision_group(record.group) or [record]
    return list(groups.values())


def decision_history(index: Index, topic: str, filters: Filters | None = None, outcome: tuple[str, ...] = (),
                     limit: int | None = None) -> list[DecisionRecord]:
    """The decisions on a topic across meetings and years, oldest first, every part of each resolution."""
    matches = index.decisions(topic, filters, limit=HISTORY_DEPTH, outcome=outcome)
    if not matches:
        return []
    best = max(r.score or 0.0 for r in matches)
    close = [r for r in matches if (r.score or 0.0) >= HISTORY_SHARE * best]
    groups = sorted(whole(index, close), key=lambda parts: (parts[0].meeting_date or "9999", parts[0].doc_path,
                                                           parts[0].id))
    if limit:
        groups = groups[:limit]
    return [record for parts in groups for record in parts]


# Items every meeting has, which make poor examples of what the papers hold.
_PROCEDURAL = re.compile(r"\b(minutes|apolog\w*|declarations?|interests?|urgent|any other business|aob|next meeting"
                         r"|welcome|introductions?|chair\w*|quorum|public (?:questions|participation|comments?)|exclusion"
                         r"|consent|roll call|call to order|adjourn\w*|closed session|pledge)\b", re.I)
# An item's number: '7', '89.', '3(a)', 'II.', 'B)'.
_NUMBERING = re.compile(r"^\s*(?:item\s+)?(?:[ivxlcdm]+[.)]|[a-z][.)]|\(?[\da-z]{0,3}\d[\d.()a-z]*[.):]?)\s+", re.I)


def example_questions(index: Index, count: int = 3) -> list[str]:
    """Questions the index can answer, drawn from its newest substantive decisions, from as many bodies
    as it holds: 'What did Cabinet decide on the Draft Revenue Budget 2025-26?'."""
    found: dict[str, str] = {}   # question -> body
    for record in index.decisions(limit=400):
        title = _NUMBERING.sub("", " ".join((record.item or "").split())).strip(" .:-")
        if not 2 <= len(title.split()) <= 10 or _PROCEDURAL.search(title):
            continue
        title = title.capitalize() if title.isupper() else title
        who = re.split(r"\s+[-–|/]\s+", record.body)[-1] if record.body else "the meeting"
        found.setdefault(f"What did {who} decide on {title}?", record.body or "")
    first_of_body = [q for n, (q, body) in enumerate(found.items()) if body not in list(found.values())[:n]]
    return (first_of_body + [q for q in found if q not in first_of_body])[:count]


def resolution_text(parts: list[DecisionRecord]) -> str:
    return " ".join(" ".join(p.text.split()) for p in parts)


def vote_summary(vote: dict | None) -> str | None:
    """'carried unanimously', 'carried: for 35, against 0, abstained 9', 'lost: for 15, against 35'."""
    if not vote:
        return None
    words = [vote.get("result") or "voted"]
    if vote.get("unanimous"):
        words.append("unanimously")
    counts = vote.get("counts") or {}
    summary = " ".join(words)
    if counts:
        summary += ": " + ", ".join(f"{way} {n}" for way, n in counts.items())
    return summary


def describe_decision(record: DecisionRecord) -> str:
    """A decision as the CLI lists it: where it was taken, what was decided, how, and where to check it."""
    where = ", ".join(x for x in (long_date(record.meeting_date) or None, record.body) if x)
    how = [f"outcome: {record.outcome}"]
    if vote_summary(record.vote):
        how.append(f"vote: {vote_summary(record.vote)}")
    if record.moved_by:
        how.append(f"moved by {record.moved_by}" + (f", seconded by {record.seconded_by}" if record.seconded_by else ""))
    if record.owner:
        how.append(f"for {record.owner} to act")
    part = f" (part {record.part + 1})" if record.part else ""
    return (f"{where}: {record.item or ''}{part}\n   {' '.join(record.text.split())}\n   {' · '.join(how)}\n"
            f"   {record.location} - {record.doc_path}")
