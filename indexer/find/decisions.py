"""Decisions as a reader wants them: whole resolutions, the precedent line on a topic, one readable entry each,
and the resolutions a question asking what was decided may be answered by."""

from __future__ import annotations

import re

from ..papers.metadata import long_date
from ..records import DecisionRecord, Filters, Hit
from ..text import sentences
from .focus import Focus, as_indexed
from .index import Index
from .search import focused_decisions
from .stating import headed, with_antecedent

HISTORY_DEPTH = 60      # decisions read for a topic before keeping the closely matching ones
HISTORY_SHARE = 0.4     # a decision stays in a topic's history when it scores this share of the best match
DECISION_CANDIDATES = 10   # resolutions matching a question's words read as answers, beside those of its passages
_FEWEST_WORDS = 6   # a shorter resolution ('Agreed.') is too common to be known by its words
_HEADING_LENGTH = 120   # characters before it, at most, in the sentence holding it: a heading, not a discussion


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


def decision_candidates(index: Index, question: str, filters: Filters, focus: Focus,
                         hits: list[Hit]) -> list[tuple[str, str, Hit, list[DecisionRecord]]]:
    """Resolutions matching the question's words (of the meetings it names first), and those held in the
    best passages, each whole (every part) and paired with the passage holding its first part; scored with
    the item it was taken under."""
    worded = as_indexed(question, list(index.info().bodies))   # the register names bodies as the index does
    records = focused_decisions(index, worded, filters, focus, DECISION_CANDIDATES)
    records += index.decisions_in([hit.chunk_id for hit in hits])
    groups = [parts for parts in whole(index, [r for r in records if r.chunk_id is not None])
              if parts[0].chunk_id is not None]
    passages = {hit.chunk_id: hit for hit in index.hits_for([(parts[0].chunk_id, 0.0) for parts in groups])}
    candidates = []
    for parts in groups:
        if (hit := passages.get(parts[0].chunk_id)) is None:
            continue
        # 'The Board were in agreement with this.' is read with what it agrees to, as it is stated
        text = resolution_text(parts)
        candidates.append((headed(parts[0], with_antecedent(text, hit)), text, hit, parts))
    return candidates


def read_in_passage(candidates: list, scores: list[float]) -> list[float]:
    """A resolution of the register scores as well as a sentence of the best passages that holds it after
    a heading it was minuted under ('C. Contract Award: Annual Marketing Campaign A motion was made ... to award
    the contract for RFP 23007 to ...'), which the register's item may not name (a section alone, '5. ACTION',
    where the heading was not read as an entry's title): read alone it would lose to another resolution of the
    same item that names its subject. A sentence holds a resolution when it holds the resolution's whole first
    sentence after a heading's words of its own: after a discussion, the sentence's score is the discussion's ('... the following Motion ... was unanimously agreed: "That ..."
    It was also agreed that this Motion would replace the previous Motion ...')."""
    held = [(f" {_plain(shown)} ", score) for (_, shown, _, parts), score in zip(candidates, scores) if not parts]
    read = list(scores)
    for n, (_, shown, _, parts) in enumerate(candidates):
        first = f" {_plain(next(iter(sentences(shown)), ''))} "
        if parts and len(first.split()) >= _FEWEST_WORDS:
            read[n] = max([scores[n], *(score for sentence, score in held
                                        if 0 < sentence.find(first) <= _HEADING_LENGTH)])
    return read


def same_statement(one: str, other: str) -> bool:
    """Whether two candidate answers state the same thing: a resolution and the sentence of its passage that
    holds it, or one sentence read in two overlapping passages. The same words, or one's words holding the
    other's where those are enough to be known by (_FEWEST_WORDS: 'Agreed.' is in many a sentence)."""
    a, b = sorted((f" {_plain(one)} ", f" {_plain(other)} "), key=len)
    return a == b or (len(a.split()) >= _FEWEST_WORDS and a in b)


def _plain(text: str) -> str:
    """A text as its words alone, lower case: a resolution and its sentence compared whatever the marks."""
    return " ".join(re.findall(r"\w+", text.lower()))
