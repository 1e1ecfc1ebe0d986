"""Hits -> an extractive answer: the resolution or sentence that answers, with its citation.

Nothing is generated. Questions about what was resolved, decided or agreed are
answered from the decisions register first; other questions from the sentences
of the best passages. A cross-encoder scores each candidate against the
question, and the passage it comes from weighs in. How sure the answer is comes
from the candidate's own score, on thresholds measured on the development
questions: a sure answer is stated; below that the answer says it is not sure
and leaves the reader the closest passages; and when even the best scores far
below, it says that nothing in the papers answers it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from ..papers.decision_sentences import decides
from ..papers.metadata import long_date, long_month, named_month
from ..papers.outcomes import moved_by, refuses, vote_of
from ..records import DecisionRecord, Filters, Hit, make_filters
from ..text import sentences
from .asked import asked_for, asks_whether, fits, lesser_role
from .confidence import HIGH_FROM, SURE_FROM, Evidence, chance_right, evidence
from .decisions import resolution_text, whole
from .focus import Focus, as_indexed
from .index import Index, open_index
from .search import DECISION_QUESTION, focused_decisions

# Cross-encoder logits: ms-marco models put clearly relevant pairs above 0 and unrelated ones far below.
ANSWER_THRESHOLD = -2.0   # below: nothing in the papers answers the question
PASSAGE_WEIGHT = 0.3   # of the passage's reranked logit, added to each of its sentences' when choosing one
FOCUS_BONUS = 1.0      # logits added to a decision inside what the question names (focus.py)
KIND_PENALTY = 3.0     # logits taken from a candidate not of the kind asked for (an amount, a time: asked.py)
_BULLET = re.compile(r"^(?:[•▪●◦·]\s*|[-–]\s+)")  # a list marker is not part of the answer
_PASSAGES_FOR_SENTENCES = 3   # whose sentences may answer (5: no more right answers, two thirds more work)
_DECISION_CANDIDATES = 10
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
_NOT_BACKED = re.compile(r"\b(?:did|do|does|would|could)\s+not\s+(?:\w+\s+)?"
                         r"(?:support|agree|approve|accept|endorse|adopt)", re.I)
# Asked what was decided, a matching resolution answers unless a sentence of discussion scores this much higher.
_DECISION_MARGIN = 2.0
# and a decision of the very item that sentence discusses, unless the sentence scores this much higher
_ITEM_MARGIN = 4.0
# Asked about a month ('in December 2023'), an answer from a meeting this many months or more away from it is
# not stated: over all 482 questions of the sets in eval/ and ../shared/eval, 2 of 39 such answers held an answer
# string, against 191 of 265 from meetings of the month asked about.
_MONTHS_AWAY = 3


@dataclass
class Answer:
    text: str | None            # the answering resolution or sentence(s); None when nothing answers
    citation: Hit | None        # the passage it comes from
    hits: list[Hit]             # supporting passages, best first
    score: float | None = None  # cross-encoder logit of the answer
    note: str | None = None     # what was searched, when nothing answers; why not, when not sure
    decision: list[DecisionRecord] | None = None   # the parts of the resolution that answers, when one does
    confidence: str | None = None   # "high", "medium", "not sure"; None when nothing answers

    def to_json(self) -> dict:
        return {
            "answer": self.text,
            "citation": self.citation.to_json() if self.citation else None,
            "hits": [hit.to_json() for hit in self.hits],
            "decision": [part.to_json() for part in self.decision] if self.decision else None,
            "confidence": self.confidence,
        }

    @property
    def confidence_words(self) -> str:
        """How sure the answer is, as the app and the CLI say it."""
        return CONFIDENCE_WORDS.get(self.confidence, "")


CONFIDENCE_WORDS = {
    "high": "High confidence: the passage answers the question closely.",
    "medium": "Medium confidence: the passage matches the question well; check it on the page.",
    "not sure": "Not sure: the closest passages are below.",
}


def ask(index: Index | Path | str, question: str, k: int = 5, filters: Filters | None = None,
        hits: list[Hit] | None = None, steer: bool = True, **filter_options) -> Answer:
    """indexer.ask("index", "what did we resolve on homelessness?", body="Health").

    hits: the search already run for this question and these filters, to avoid running it again.
    steer: look first where the question says (a body, month, document type: focus.py).
    """
    index = index if isinstance(index, Index) else open_index(index)
    filters = filters or make_filters(**filter_options)
    with index.pinned():
        return _answer(index, question, k, filters, hits, steer)


@dataclass
class Choice:
    """The candidate that answers best, and what was weighed to choose it."""
    text: str                     # the sentence or resolution, as shown
    hit: Hit                      # the passage it comes from
    parts: list[DecisionRecord] | None
    score: float                  # its cross-encoder logit
    scores: list[float]           # every candidate's logit
    evidence: Evidence            # what says how likely it is to be right (confidence.py)


def _answer(index: Index, question: str, k: int, filters: Filters, hits: list[Hit] | None, steer: bool) -> Answer:
    if hits is None:
        hits = index.search_many([question], max(k, _PASSAGES_FOR_SENTENCES), filters, steer=steer)[0]
    choice = choose(index, question, filters, hits, steer)
    if choice is None:
        return Answer(None, None, hits[:k], note=_nothing(index, filters))
    if max(choice.scores) < ANSWER_THRESHOLD:
        return Answer(None, None, hits[:k], max(choice.scores), _nothing(index, filters))
    chance = chance_right(choice.evidence)
    if chance < SURE_FROM:
        return Answer(None, None, hits[:k], choice.score, CONFIDENCE_WORDS["not sure"], confidence="not sure")
    elsewhen = _other_meeting(question, choice) if steer else None
    if elsewhen:
        return Answer(None, None, hits[:k], choice.score, elsewhen, confidence="not sure")
    confidence = "high" if chance >= HIGH_FROM else "medium"
    text = stated(index, question, choice)
    if text is None:   # the best there is says no number (or no date): not an answer to state
        return Answer(None, None, hits[:k], choice.score, CONFIDENCE_WORDS["not sure"], confidence="not sure")
    return Answer(text, _cited(index, choice.hit, text), hits[:k], choice.score, decision=choice.parts,
                  confidence=confidence)


def _other_meeting(question: str, choice: Choice) -> str | None:
    """Why the answer is not stated when it comes from a meeting months away from the month the question
    names ('in December 2023' answered from December 2021); None when the question names no month, the
    meeting's date is unknown, or it is near."""
    held = choice.parts[0].meeting_date if choice.parts else choice.hit.meeting_date
    if not _months_away(question, held):
        return None
    return (f"Not sure: the closest answer found is from a meeting of {long_date(held)}, not "
            f"{long_month(named_month(question))}. The closest passages are below.")


def _months_away(question: str, held: str | None) -> bool:
    """Whether a meeting held on `held` is _MONTHS_AWAY months or more from the month the question names
    (False when it names none or the date is unknown)."""
    month = named_month(question)
    if not month or not held:
        return False
    asked, found = (int(y) * 12 + int(m) for y, m in (month.split("-"), held.split("-")[:2]))
    return abs(asked - found) >= _MONTHS_AWAY


def stated(index: Index, question: str, choice: Choice) -> str | None:
    """The chosen answer as it would be stated: a resolution whole, a sentence with the neighbour that
    completes it; None when it is not of the kind asked for."""
    if choice.parts:
        return _with_antecedent(choice.text, choice.hit)
    text = _in_context(index, question, choice.text, choice.hit, choice.score)
    if not fits(asked_for(question), text):
        return None
    text = _with_antecedent(text, choice.hit)
    if asks_whether(question):
        return _with_outcome(text, choice.hit, _following(index, choice.hit))
    if DECISION_QUESTION.search(question) and not _settles(text):
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
        if _settles(text):
            break   # the outcome is stated already
        if _settles(entry) and not lead_in:
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
        if _settles(entry):
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


def _cited(index: Index, hit: Hit, text: str) -> Hit:
    """The passage cited for an answer, to the last page of the passage after it where the answer ends there
    (an outcome read on into it)."""
    ending = " ".join(text.split()[-6:])
    if ending in " ".join(hit.text.split()):
        return hit
    following = _following(index, hit)
    if not following or following.pdf_page_end <= hit.pdf_page_end:
        return hit
    return replace(hit, pdf_page_end=following.pdf_page_end)


def _settles(text: str) -> bool:
    """Whether minuted text records the outcome: a decision, the result of a vote ('The Chair declared the
    motion defeated.'), or a refusal ('Councillors did not support any being reclassified')."""
    vote = vote_of(text)
    return decides(text) or bool(vote and vote.result) or refuses(text) or bool(_NOT_BACKED.search(text))


def _with_antecedent(text: str, hit: Hit) -> str:
    """An answer whose first sentence points back at what was said before it ('The Board reviewed and agreed
    to this amendment.') is stated after the _ANTECEDENT sentences of its passage before it, where the
    amendment is."""
    units = [unit for unit, _ in _units(hit.text)]
    at = next((n for n, unit in enumerate(units) if text.startswith(unit)), None)
    if not at or not _REFERS_BACK.search(units[at]):
        return text
    return " ".join([*units[max(0, at - _ANTECEDENT):at], text])


def choose(index: Index, question: str, filters: Filters, hits: list[Hit], steer: bool) -> Choice | None:
    """The resolution or sentence of the best passages that answers the question best; None when there is none."""
    candidates: list[tuple[str, str, Hit, list[DecisionRecord] | None]] = []   # (scored, shown, passage, decision)
    focus = index.focus(question) if steer else Focus()
    if DECISION_QUESTION.search(question):
        candidates += _decision_candidates(index, question, filters, focus, hits[:_PASSAGES_FOR_SENTENCES])
    for hit in hits[:_PASSAGES_FOR_SENTENCES]:
        head = _head(hit.body, hit.meeting_date, hit.item)
        candidates += [(f"{head}: {sentence}", sentence, hit, None) for sentence in _sentences(hit.text)]
    if not candidates:
        return None
    scores = [float(s) for s in index.relevance(question, [scored for scored, _, _, _ in candidates])]
    # A sentence of a passage the reranker put high is likelier to answer than one as good of a lower passage.
    passage = {hit.chunk_id: hit.score for hit in hits if hit.reranked}
    weighed = [s + PASSAGE_WEIGHT * passage.get(c[2].chunk_id, 0.0) for s, c in zip(scores, candidates)]
    # 'at Cabinet in May 2024': a decision or a passage of that body and month counts for more (a form filed
    # later, or minutes dated by their folder, can still win on its words). A sentence's bonus helps choose
    # it but is kept out of how sure the answer is (`aside`): the confidence model was fitted with decisions
    # alone having one, and with it sentences of the month asked about were stated wrong more often.
    aside = [0.0] * len(candidates)
    for n, (_, _, hit, parts) in enumerate(candidates):
        where = parts[0] if parts else hit
        if focus and focus.holds(where.body, where.meeting_date, where.doc_type):
            weighed[n] += FOCUS_BONUS
            aside[n] = 0.0 if parts else FOCUS_BONUS
    # 'How many ...?' is not answered by a sentence without a number, nor 'When ...?' by one without a date,
    # nor 'Who was elected president?' by the election of a vice president.
    kind = asked_for(question)
    for n, (_, shown, _, _) in enumerate(candidates):
        if not fits(kind, shown) or lesser_role(question, shown):
            weighed[n] -= KIND_PENALTY
    # An answer from a meeting months away from the month the question names is not stated (_other_meeting),
    # so one of that month scoring near it is given instead. How sure the answer is leaves this out: where
    # every candidate is that far, the answer is declined saying when it is from.
    far = [steer and _months_away(question, parts[0].meeting_date if parts else hit.meeting_date)
           for _, _, hit, parts in candidates]
    for n, away in enumerate(far):
        if away:
            weighed[n] -= KIND_PENALTY
            aside[n] -= KIND_PENALTY
    best = max(range(len(candidates)), key=lambda n: weighed[n])
    decided = [n for n, candidate in enumerate(candidates) if candidate[3]]
    if decided:
        best_decision = _over_action(candidates, decided, max(decided, key=lambda n: weighed[n]), weighed)
        # an action given ('Clerk to ask MCC ...') is what was decided only where nothing answers better
        margin = 0.0 if candidates[best_decision][3][0].outcome == "action" else _DECISION_MARGIN
        if scores[best_decision] >= ANSWER_THRESHOLD and weighed[best_decision] >= weighed[best] - margin:
            best = best_decision
        elif not candidates[best][3]:
            best = _item_decision(candidates, decided, best, scores, weighed)
    _, text, hit, parts = candidates[best]
    # how far it stands above the rest is measured against the candidates that could be stated in its place
    rivals = [score for score, away in zip(scores, far) if not away] if not far[best] else scores
    return Choice(text, hit, parts, scores[best], scores,
                  evidence(scores[best], weighed[best] - aside[best], rivals, hit, hits))


def _item_decision(candidates: list, decided: list[int], best: int, scores: list[float], weighed: list[float]) -> int:
    """Asked what was decided, a sentence of an item's discussion ('Counsel presented the options: appoint a
    director or call an election.') names the subject in the question's words; the item's own decision
    ('moved to call an election ... Motion carried') answers when it scores within _ITEM_MARGIN of it."""
    hit = candidates[best][2]
    same = [n for n in decided if (candidates[n][3][0].doc_path, candidates[n][3][0].item) == (hit.doc_path, hit.item)
            and scores[n] >= ANSWER_THRESHOLD]
    if not same:
        return best
    top = max(same, key=lambda n: weighed[n])
    return top if weighed[top] >= weighed[best] - _ITEM_MARGIN else best


def _over_action(candidates: list, decided: list[int], best: int, weighed: list[float]) -> int:
    """An action given at the meeting ('Clerk inform the Kennedys of TCC's decision') follows from the
    decision of its item: that answers what was decided when it scores within _DECISION_MARGIN of it."""
    first = candidates[best][3][0]
    if first.outcome != "action":
        return best
    same_item = [n for n in decided if (part := candidates[n][3][0]).outcome != "action"
                 and (part.doc_path, part.item) == (first.doc_path, first.item)]
    if not same_item:
        return best
    runner_up = max(same_item, key=lambda n: weighed[n])
    return runner_up if weighed[runner_up] >= weighed[best] - _DECISION_MARGIN else best


def _in_context(index: Index, question: str, text: str, hit: Hit, score: float) -> str:
    """The chosen sentence, or it with the sentence before or after where the cross-encoder reads that
    pair as a better answer (a figure's subject in one sentence, the figure in the next)."""
    quotable = _units(hit.text)
    at = next((n for n, (unit, _) in enumerate(quotable) if unit == text), None)
    if at is None or quotable[at][1] > 1:   # not found, or a lead-in read with its list already
        return _with_next(text, hit)
    # a neighbour that is a list holding this entry is no neighbour
    units = [" ".join(u for u, _ in quotable[a:b]) for a, b in ((at - 1, at + 1), (at, at + 2))
             if a >= 0 and b <= len(quotable) and quotable[a][1] == 1]
    if not units:
        return _with_next(text, hit)
    head = _head(hit.body, hit.meeting_date, hit.item)
    scores = index.relevance(question, [f"{head}: {unit}" for unit in units])
    best = int(scores.argmax())
    return units[best] if scores[best] > score else _with_next(text, hit)


def _decision_candidates(index: Index, question: str, filters: Filters, focus: Focus,
                         hits: list[Hit]) -> list[tuple[str, str, Hit, list[DecisionRecord]]]:
    """Resolutions matching the question's words (of the meetings it names first), and those held in the
    best passages, each whole (every part) and paired with the passage holding its first part; scored with
    the item it was taken under."""
    worded = as_indexed(question, list(index.info().bodies))   # the register names bodies as the index does
    records = focused_decisions(index, worded, filters, focus, _DECISION_CANDIDATES)
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
        head = _head(parts[0].body, parts[0].meeting_date, parts[0].item)
        candidates.append((f"{head}: {_with_antecedent(text, hit)}", text, hit, parts))
    return candidates


def _head(body: str | None, meeting_date: str | None, item: str | None) -> str:
    """What the cross-encoder reads before a candidate: the body, the meeting's date and the item, as a
    reader would see them above the text ('Cabinet 30 January 2025, 92. Commissioning Plan')."""
    return f"{body or ''} {long_date(meeting_date)}, {' '.join((item or '').split()[:12])}".strip(" ,")


def _sentences(text: str) -> list[str]:
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
    quotable = _sentences(hit.text)
    if text in quotable and quotable.index(text) + 1 < len(quotable):
        return f"{text} {quotable[quotable.index(text) + 1]}"
    return text


def _nothing(index: Index, filters: Filters) -> str:
    info = index.info()
    scope = ", ".join(filters.body) if filters.body else f"{len(info.bodies)} bodies"
    years = f"{(filters.date_from or info.first_date or '?')[:4]}-{(filters.date_to or info.last_date or '?')[:4]}"
    return f"Nothing in the indexed papers answers this (searched {info.documents} documents, {scope}, {years})."
