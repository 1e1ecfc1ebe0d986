"""A chosen answer -> the words stated: how much of its passage a reader needs to see it answer.

A resolution is stated whole; a sentence with the neighbour that completes it (a figure's subject in one
sentence, the figure in the next), a lead-in with its list, the sentences before it that it points back
at ('agreed to this amendment'); asked whether something happened or what was decided, with what the
minute records after it, up to the outcome or decision that settles it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from ..papers.decision_sentences import decides
from ..papers.metadata import long_date
from ..papers.outcomes import moved_by, refuses, vote_of
from ..records import DecisionRecord, Hit
from ..text import sentences
from .asked import asked_for, asks_whether, fits
from .index import Index
from .search import DECISION_QUESTION

if TYPE_CHECKING:
    from .answer import Choice

_BULLET = re.compile(r"^(?:[•▪●◦·]\s*|[-–]\s+)")  # a list marker is not part of the answer
_LIST_ENTRIES, _LIST_WORDS = 6, 80   # the most of a list read with its lead-in
_LIST_MARK = re.compile(r"^\s*(?:[•▪●◦·\-–]|\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)])\s*", re.I)
_SHORT_ENTRY = 8   # words: an unmarked entry this short, not ending as a sentence, is one too ('Colin Rockall (Lavenham)')
_ENDS = re.compile(r"[.!?]['\"’”)]?$")
_ANTECEDENT = 2   # sentences stated before an answer that points back at them
# A sentence that points back at what was said before it: 'agreed to this amendment', 'approved the above'.
_REFERS_BACK = re.compile(r"\b(?:this|these|the above)\b(?!\s+(?:year|month|week|meeting|morning|afternoon|evening|"
                          r"winter|spring|summer|autumn|quarter|term|session|time|stage|point|financial|municipal|"
                          r"council|board|committee)\b)", re.I)
_DECISION_GAP = 100   # words of discussion read past, at most, to the decision that ends it
_MOTION_ENTRIES = 2   # the motion and its seconding, stated before the vote that carried it
_OUTCOME_WORDS = 60   # asked whether something happened, the answer runs on through what follows, to this many words
# A numbered paragraph, or its number split off as a sentence of its own: the next minute, not this one's outcome.
_NEW_MINUTE = re.compile(r"^\(?\d{1,4}(?:[.)]|(?:\.\d{1,3})+[.)]?)(?:\s+[A-Z]|$)")   # '7. ', '5.2.4 Update'
_HEAD_WORDS = 20   # of an item's title, read by the cross-encoder before each candidate
_NOT_BACKED = re.compile(r"\b(?:did|do|does|would|could)\s+not\s+(?:\w+\s+)?"
                         r"(?:support|agree|approve|accept|endorse|adopt)", re.I)


def stated(index: Index, question: str, choice: Choice) -> str | None:
    """The chosen answer as it would be stated: a resolution whole, a sentence with the neighbour that
    completes it; None when it is not of the kind asked for (no amount, time or person beyond the question's)."""
    if choice.parts:
        return with_antecedent(choice.text, choice.hit)
    text = _in_context(index, question, choice.text, choice.hit, choice.score)
    if not fits(asked_for(question), text, question, choice.hit.body or ""):
        return None
    text = with_antecedent(text, choice.hit)
    if asks_whether(question):
        return _with_outcome(text, choice.hit, _following(index, choice.hit))
    if DECISION_QUESTION.search(question) and not settles(text):
        return _with_decision(text, choice.hit, _following(index, choice.hit))
    return text


def _with_outcome(text: str, hit: Hit, following: Hit | None = None) -> str:
    """Asked whether something happened ('Did the panel endorse the proposal?'), a sentence that names it
    is stated with the sentences after it, up to _OUTCOME_WORDS words, not into the next numbered minute
    nor up to a lead-in ('Action:'). The outcome is minuted after the discussion, in words that seldom name
    the subject again ('No conclusion was reached on whether to endorse the proposal.'). Where the minute's
    decision or vote comes later than that, in its passage or the one following it, it is stated after a
    mark of the words left out."""
    after = _read_after(text, hit, following)
    if after is None:
        return text
    skipping = False
    for entry in after:
        if _NEW_MINUTE.match(entry):
            break   # the next minute
        lead_in = entry.endswith(":")   # what comes next is not read on to ('Action:', 'the result was:')
        if not skipping and not lead_in and len(f"{text} {entry}".split()) <= _OUTCOME_WORDS:
            text = f"{text} {_BULLET.sub('', entry)}"
            continue
        if settles(text):
            break   # the outcome is stated already
        if settles(entry) and not lead_in:
            return f"{text} … {_BULLET.sub('', entry)}"
        skipping = True
    return text


def _with_decision(text: str, hit: Hit, following: Hit | None = None) -> str:
    """Asked what was decided and answered by a sentence of the discussion ('Three quotations were
    received.'), the answer goes on to the decision minuted after it in the same minute ('It was agreed
    to accept the quote from ...'): with the sentences between where all come to _OUTCOME_WORDS words at
    most, else after a mark of the words left out. Unchanged when no decision follows before the next
    minute, a lead-in or _DECISION_GAP words."""
    after = _read_after(text, hit, following)
    if after is None:
        return text
    between: list[str] = []
    for entry in after:
        if _NEW_MINUTE.match(entry) or entry.endswith(":"):
            return text   # the next minute, or a list that is not this minute's outcome
        entry = _BULLET.sub("", entry)
        if settles(entry):
            whole = " ".join([text, *between, entry])
            if len(whole.split()) <= _OUTCOME_WORDS:
                return whole
            # 'Motion carried.' says what it carried only with the motion before it ('X moved to ... Y seconded.')
            moved = max((n for n, said in enumerate(between) if moved_by(said)), default=len(between))
            return " ".join([text, "…", *between[moved:moved + _MOTION_ENTRIES], entry])
        between.append(entry)
        if len(" ".join(between).split()) > _DECISION_GAP:
            return text   # too far on to be this discussion's decision
    return text


def _read_after(text: str, hit: Hit, following: Hit | None) -> list[str] | None:
    """The sentences and lines minuted after what the text quotes of its passage, on into the passage
    following it; None when the text quotes none of the passage."""
    entries = sentences(hit.text, lines=True)
    last = max((n for n, entry in enumerate(entries) if len(entry.split()) >= 3 and entry in text), default=None)
    if last is None:
        return None
    after = entries[last + 1:]
    if following:   # the passage after it begins with a repeat of this one's end
        after += [entry for entry in sentences(following.text, lines=True) if entry not in hit.text]
    return after


def _following(index: Index, hit: Hit) -> Hit | None:
    """The passage after this one in its paper, when it is of the same item."""
    after = index.hits_for([(hit.chunk_id + 1, 0.0)])
    return after[0] if after and (after[0].doc_path, after[0].item) == (hit.doc_path, hit.item) else None


def cited(index: Index, hit: Hit, text: str) -> Hit:
    """The passage cited for an answer, to the last page of the passage after it where the answer ends there
    (an outcome read on into it)."""
    ending = " ".join(text.split()[-6:])
    if ending in " ".join(hit.text.split()):
        return hit
    following = _following(index, hit)
    if not following or following.pdf_page_end <= hit.pdf_page_end:
        return hit
    return replace(hit, pdf_page_end=following.pdf_page_end)


def settles(text: str) -> bool:
    """Whether minuted text records the outcome: a decision, the result of a vote ('The Chair declared the
    motion defeated.'), or a refusal ('Councillors did not support any being reclassified')."""
    vote = vote_of(text)
    return decides(text) or bool(vote and vote.result) or refuses(text) or bool(_NOT_BACKED.search(text))


def with_antecedent(text: str, hit: Hit) -> str:
    """An answer whose first sentence points back at what was said before it ('The Board reviewed and agreed
    to this amendment.') is stated after the _ANTECEDENT sentences of its passage before it, where the
    amendment is."""
    units = [unit for unit, _ in _units(hit.text)]
    at = next((n for n, unit in enumerate(units) if text.startswith(unit)), None)
    if not at or not _REFERS_BACK.search(units[at]):
        return text
    return " ".join([*units[max(0, at - _ANTECEDENT):at], text])


def _in_context(index: Index, question: str, text: str, hit: Hit, score: float) -> str:
    """The chosen sentence, or it with the sentence before or after where the cross-encoder reads that
    pair as a better answer (a figure's subject in one sentence, the figure in the next)."""
    spans = _units(hit.text)
    at = next((n for n, (unit, _) in enumerate(spans) if unit == text), None)
    if at is None or spans[at][1] > 1:   # not found, or a lead-in read with its list already
        return _with_next(text, hit)
    # a neighbour that is a list holding this entry is no neighbour
    units = [" ".join(u for u, _ in spans[a:b]) for a, b in ((at - 1, at + 1), (at, at + 2))
             if a >= 0 and b <= len(spans) and spans[a][1] == 1]
    if not units:
        return _with_next(text, hit)
    scores = index.relevance(question, [headed(hit, unit) for unit in units])
    best = int(scores.argmax())
    return units[best] if scores[best] > score else _with_next(text, hit)


def heading(body: str | None, meeting_date: str | None, item: str | None) -> str:
    """What the cross-encoder reads before a candidate: the body, the meeting's date and the item, as a
    reader would see them above the text ('Cabinet 30 January 2025, 92. Commissioning Plan')."""
    return f"{body or ''} {long_date(meeting_date)}, {' '.join((item or '').split()[:_HEAD_WORDS])}".strip(" ,")


def headed(where: Hit | DecisionRecord, text: str) -> str:
    """A candidate answer as the cross-encoder reads it: the heading of where it was minuted, then the text."""
    return f"{heading(where.body, where.meeting_date, where.item)}: {text}"


def quotable(text: str) -> list[str]:
    """The passage's sentences and list entries as answers could quote them (three words at least); a
    lead-in ending in ':' is read with the entries it introduces ('The three aims were: 1) ... 2) ...'),
    as alone it answers nothing."""
    return [unit for unit, _ in _units(text)]


def _units(text: str) -> list[tuple[str, int]]:
    """Each quotable unit and how many entries of the passage it spans (more than one: a lead-in and its list)."""
    entries = sentences(text, lines=True)
    found = [_BULLET.sub("", s) for s in entries]
    units = []
    for n, entry in enumerate(found):
        span = _list_span(entries, n) if entry.rstrip().endswith(":") else 1
        units.append((" ".join(found[n:n + span]), span))
    return [(unit, span) for unit, span in units if len(unit.split()) >= 3]


def _list_span(entries: list[str], at: int) -> int:
    """How many entries from the lead-in at `at` make its list: those after it that are marked as list
    entries ('1)', '(b)', '•') or are short and not sentences, up to _LIST_ENTRIES and _LIST_WORDS words."""
    span, words = 1, len(entries[at].split())
    for entry in entries[at + 1:at + 1 + _LIST_ENTRIES]:
        words += len(entry.split())
        listed = _LIST_MARK.match(entry) or (len(entry.split()) <= _SHORT_ENTRY and not _ENDS.search(entry))
        if not listed or entry.rstrip().endswith(":") or words > _LIST_WORDS:
            break
        span += 1
    return span


def _with_next(text: str, hit: Hit) -> str:
    """A short sentence or one ending in ':' reads better with the sentence after it."""
    if len(text.split()) >= 8 and not text.rstrip().endswith(":"):
        return text
    said = quotable(hit.text)
    if text in said and said.index(text) + 1 < len(said):
        return f"{text} {said[said.index(text) + 1]}"
    return text
