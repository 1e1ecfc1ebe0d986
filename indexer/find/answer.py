"""Hits -> an extractive answer: the resolution or sentence that answers, with its citation.

Nothing is generated. Questions about what was resolved, decided or agreed are
answered from the decisions register first; other questions from the sentences
of the best passages. A cross-encoder scores each candidate against the
question, and the passage it comes from weighs in. How sure the answer is comes
from the candidate's own score, on thresholds measured on the development
questions: a sure answer is stated; below that the answer says it is not sure
and leaves the reader the closest passages; and when even the best scores far
below, it says that nothing in the papers answers it. How much of its passage
the chosen answer is stated with: stating.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from ..papers.metadata import MONTH_NAME, long_date, long_month
from ..records import DecisionRecord, Filters, Hit, make_filters
from ..text import STOP_WORDS, sentences
from .asked import asked_for, fits, lesser_role, says_why_held
from .confidence import HIGH_FROM, RESOLUTION_SURE_FROM, SURE_FROM, Evidence, chance_right, evidence
from .decisions import decision_candidates, read_in_passage, same_statement, whole
from .earlier import answers_before, asked_before, asks_earlier
from .focus import Focus, asked_month, names_month
from .index import Index, open_index
from .rerank import corpus_weights
from .search import DECISION_QUESTION, DECISION_VERB
from .stating import cited, headed, quotable, settles, stated
from .tables import long_table, read_in_parts

# Cross-encoder logits: ms-marco models put clearly relevant pairs above 0 and unrelated ones far below.
ANSWER_THRESHOLD = -2.0   # below: nothing in the papers answers the question
PASSAGE_WEIGHT = 0.3   # of the passage's reranked logit, added to each of its sentences' when choosing one
FOCUS_BONUS = 2.0      # logits added to a decision inside what the question names (focus.py; 1 measured less well)
KIND_PENALTY = 3.0     # logits taken from a candidate not of the kind asked for (an amount, a time: asked.py; one
                       # looking back, asked what came before: earlier.py; 1 and 2 measured less well)
TITLE_BONUS = 1.0      # logits added to a resolution whose item's title names everything the question is about
_PASSAGES_FOR_SENTENCES = 3   # whose sentences may answer (5: no more right answers, two thirds more work)
_AHEAD = 2   # sentences after one not of the kind asked for, where one that is may complete it
_JOINED_WORDS = 80   # an answer read on to the sentence completing it, whole up to this many words
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
    # when not sure: the sentence or resolution likeliest to answer and the passage holding it, pointed to for
    # the reader to check, never stated as the answer
    closest: str | None = None
    closest_in: Hit | None = None

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
    # as stated, sure or not: asked what was decided, a sentence of the discussion reads on to the decision
    text = stated(index, question, choice)
    choice = read_to_decision(index, question, choice, text)
    chance = chance_right(choice.evidence)
    sure = chance >= _sure_from(question, choice)
    elsewhen = _other_meeting(question, choice) if steer and sure else None
    if not sure or elsewhen:   # pointed to as it would be stated: with the neighbour completing it
        return _not_sure(choice, hits[:k], elsewhen or CONFIDENCE_WORDS["not sure"], text)
    confidence = "high" if chance >= HIGH_FROM else "medium"
    if text is None:   # the best there is says no number (or no date): not an answer to state
        return _not_sure(choice, hits[:k], CONFIDENCE_WORDS["not sure"])
    return Answer(text, cited(index, choice.hit, text), hits[:k], choice.score, decision=choice.parts,
                  confidence=confidence)


def _sure_from(question: str, choice: Choice) -> float:
    """The chance from which an answer is stated: lower for a resolution answering what was decided, which is
    quoted whole (confidence.RESOLUTION_SURE_FROM), than for a sentence, or for a resolution answering whether
    something had been decided before, where the latest resolution on it is often not the one asked about."""
    return RESOLUTION_SURE_FROM if choice.parts and not asks_earlier(question) else SURE_FROM


def _not_sure(choice: Choice, hits: list[Hit], note: str, read: str | None = None) -> Answer:
    """No answer stated, saying why, with the candidate likeliest to answer pointed to for checking (`read`:
    as stating would give it, with the neighbour completing it or the decision after a sentence of the
    discussion)."""
    return Answer(None, None, hits, choice.score, note, confidence="not sure",
                  closest=" ".join((read or choice.text).split()), closest_in=choice.hit)


def read_to_decision(index: Index, question: str, choice: Choice, text: str | None) -> Choice:
    """Asked what was decided and answered by a sentence of the discussion ('Fryer's Wharf - Discuss quotation
    of £3,795 + VAT from Digby Civils for repairwork to the stream embankment.') that is stated (`text`) with
    the decision minuted after it ('It was agreed ... that once the Insurers consent was given they would give
    Cllrs Shewell & Hayward permission to sanction the go-ahead.'), how sure the answer is comes from the
    cross-encoder's reading of the two together where that reads better: the decision seldom names its subject
    again, so alone it scores low, and the sentence alone does not say what was decided. Which sentence
    answers is unchanged, and so is how it is stated. Any other choice is returned as it is."""
    after = text.replace(choice.text, " ") if text and text != choice.text else ""
    if not _reads_on(question, choice) or not settles(after):
        return choice
    read = float(index.relevance(question, [headed(choice.hit, text)])[0])
    gain = read - choice.evidence.score
    if gain <= 0:
        return choice
    found = choice.evidence
    return replace(choice, evidence=replace(found, score=read, weighed=found.weighed + gain,
                                            margin=found.margin + gain))


def _reads_on(question: str, choice: Choice) -> bool:
    """Whether the question asks what was decided and the answer is a sentence, not a resolution of the register."""
    return not choice.parts and bool(DECISION_QUESTION.search(question))


def _other_meeting(question: str, choice: Choice) -> str | None:
    """Why the answer is not stated when it comes from a meeting months away from the month the question
    names ('in December 2023' answered from December 2021); None when the question names no month, the
    meeting's date is unknown, or it is near."""
    held = choice.parts[0].meeting_date if choice.parts else choice.hit.meeting_date
    if not _months_away(question, held, choice.hit.text):
        return None
    return (f"Not sure: the closest answer found is from a meeting of {long_date(held)}, not "
            f"{long_month(asked_month(question))}. The closest passages are below.")


def _months_away(question: str, held: str | None, text: str) -> bool:
    """Whether a meeting held on `held` is _MONTHS_AWAY months or more from the month the question names
    (False when it names none or the date is unknown, for an earlier meeting when it asks what came before,
    and where the passage's text names the month asked about)."""
    month = asked_month(question)
    if not month or not held or names_month(text, month):
        return False
    if asks_earlier(question) and held[:7] < month:   # asked what came before it, an earlier meeting may answer
        return False
    asked, found = (int(y) * 12 + int(m) for y, m in (month.split("-"), held.split("-")[:2]))
    return abs(asked - found) >= _MONTHS_AWAY


def choose(index: Index, question: str, filters: Filters, hits: list[Hit], steer: bool) -> Choice | None:
    """The resolution or sentence of the best passages that answers the question best; None when there is none."""
    candidates: list[tuple[str, str, Hit, list[DecisionRecord] | None]] = []   # (scored, shown, passage, decision)
    focus = index.focus(question) if steer else Focus()
    decided_asked = bool(DECISION_QUESTION.search(question))
    if decided_asked:
        candidates += decision_candidates(index, question, filters, focus, hits[:_PASSAGES_FOR_SENTENCES])
    passages = [(hit, quotable(hit.text)) for hit in hits[:_PASSAGES_FOR_SENTENCES]]
    # the question's word weights (a lookup a word) only where a table line is to be read in its best part
    weights = (corpus_weights(question, index.build.passages_holding, index.build.count())
               if any(long_table(unit) for _, units in passages for unit in units) else {})
    for hit, units in passages:
        candidates += [(headed(hit, sentence), sentence, hit, None) for sentence in read_in_parts(units, weights)]
    if not candidates:
        return None
    scores = [float(s) for s in index.relevance(question, [scored for scored, _, _, _ in candidates])]
    scores = read_in_passage(candidates, scores)
    # A sentence of a passage the reranker put high is likelier to answer than one as good of a lower passage.
    passage = {hit.chunk_id: hit.score for hit in hits if hit.reranked}
    weighed = [s + PASSAGE_WEIGHT * passage.get(c[2].chunk_id, 0.0) for s, c in zip(scores, candidates)]
    # 'at Cabinet in May 2024': a decision or a passage of that body and month counts for more (a form filed
    # later, or minutes dated by their folder, can still win on its words). A sentence's bonus helps choose
    # it but is kept out of how sure the answer is (`aside`): the confidence model was fitted with decisions
    # alone having one, and with it sentences of the month asked about were stated wrong more often.
    aside = [0.0] * len(candidates)
    # where each candidate was minuted: a resolution's first part, else its passage (body, meeting date, type)
    wheres = [parts[0] if parts else hit for _, _, hit, parts in candidates]
    for n, ((_, _, hit, parts), where) in enumerate(zip(candidates, wheres)):
        if focus and focus.holds(where.body, where.meeting_date, where.doc_type, hit.text):
            weighed[n] += FOCUS_BONUS
            aside[n] = 0.0 if parts else FOCUS_BONUS
    # Asked what was decided on a subject ('about the draft budget'), a resolution of the item whose title names all
    # of it ('89. Draft Revenue Budget 2025-26') answers before one of another item that mentions it in passing;
    # an action given under the item ('Clerk to order the fence') does not. This helps choose only (`aside`), as the
    # focus bonus of a sentence does.
    subject = _subject(question, focus.bodies) if decided_asked else set()
    for n, (_, _, _, parts) in enumerate(candidates):
        if parts and parts[0].outcome != "action" and subject and subject <= _words(parts[0].item or ""):
            weighed[n] += TITLE_BONUS
            aside[n] += TITLE_BONUS
    # 'How many ...?' is not answered by a sentence without a number, nor 'When ...?' by one without a date,
    # nor 'Who ...?' by one naming no one but those the question names and the body whose paper it is, nor
    # 'Who was elected president?' by the election of a vice president, nor any question but why the meeting
    # was held by the chair's opening words saying so.
    kind = asked_for(question)
    fitting = [fits(kind, shown, question, where.body or "") for (_, shown, _, _), where in zip(candidates, wheres)]
    completed: dict[int, int] = {}
    for n, ((_, shown, _, parts), where) in enumerate(zip(candidates, wheres)):
        if not fitting[n] and not parts and (m := _completion(candidates, fitting, scores, n)) is not None:
            completed[n] = m   # 'The two members invited to join are:' ... its list names them
        elif not fitting[n] or lesser_role(question, shown) or (not parts and says_why_held(question, shown)):
            weighed[n] -= KIND_PENALTY
    # 'Had the council already approved ... before the October 2016 meeting?' is answered by a sentence of an
    # earlier meeting or one looking back from its own ('as previously approved', 'adopted in July 2016'), not
    # by the October meeting's resolution on the subject. This helps choose only: how sure the answer is
    # stays as the confidence model was fitted (`aside`).
    before = asked_before(question) if asks_earlier(question) else None
    if before:
        for n, ((_, shown, _, _), where) in enumerate(zip(candidates, wheres)):
            if not answers_before(shown, where.meeting_date, before):
                weighed[n] -= KIND_PENALTY
                aside[n] -= KIND_PENALTY
    # An answer from a meeting months away from the month the question names is not stated (_other_meeting),
    # so one of that month scoring near it is given instead. How sure the answer is leaves this out: where
    # every candidate is that far, the answer is declined saying when it is from.
    far = [steer and _months_away(question, where.meeting_date, hit.text)
           for (_, _, hit, _), where in zip(candidates, wheres)]
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
    score, weighed_best = scores[best], weighed[best] - aside[best]
    if best in completed:   # how sure the answer is: the cross-encoder's reading of it as stated
        text = _joined(candidates, best, completed[best])
        read = float(index.relevance(question, [headed(hit, text)])[0])
        score, weighed_best = read, weighed_best - scores[best] + read
    # how far it stands above the rest is measured against the candidates that could be stated in its place,
    # not against itself read again (the sentence holding a resolution, a sentence of two overlapping passages)
    shown = candidates[best][1]
    rivals = [score for n, (score, away) in enumerate(zip(scores, far))
              if (far[best] or not away) and (n == best or not same_statement(candidates[n][1], shown))]
    return Choice(text, hit, parts, score, scores, evidence(score, weighed_best, rivals, hit, hits))


def _subject(question: str, bodies: tuple[str, ...] = ()) -> set[str]:
    """What a question asking what was decided is about: its words less the asking ('resolve', 'decide'),
    months, years, the common words and those naming the bodies it names ('What did Cabinet resolve about
    the draft budget in January 2025?': draft, budget), and those saying who decided ('What did council resolve
    about ...', 'What did the Scrutiny Committee agree when ...'): the one deciding is seldom in the item's title."""
    asked = _MONTH_OR_YEAR.sub(" ", DECISION_QUESTION.sub(" ", _DECIDER.sub(" ", question)))
    return _words(asked) - _words(" ".join(bodies))


def _words(text: str) -> set[str]:
    """The words of a text that say something, lower case, a plural's 's' off ('Budgets' is 'budget')."""
    return {word.removesuffix("s") for word in re.findall(r"[a-z][a-z'’-]+", text.lower()) if word not in STOP_WORDS}


# 'did council' / 'has the board' before the verb asking what was decided: who decided, not what about
_DECIDER = re.compile(rf"\b(?:did|do|does|has|have|had|will|would)\s+(?:[\w'’&.-]+\s+){{1,6}}?(?=(?:{DECISION_VERB})\b)",
                      re.I)
_MONTH_OR_YEAR = re.compile(rf"\b{MONTH_NAME}\b|\b(?:19|20)\d{{2}}\b", re.I)


def _completion(candidates: list, fitting: list[bool], scores: list[float], n: int) -> int | None:
    """A sentence not of the kind asked for ('Due to the resignation the Board have invited 2 applicants to
    join as Directors.') is completed by one of the _AHEAD sentences after it in its passage that is, and
    that the cross-encoder reads as bearing on the question ('The two members invited are: Colin Rockall
    ...'): that one's place, or None."""
    hit = candidates[n][2]
    for m in range(n + 1, min(n + 1 + _AHEAD, len(candidates))):
        if candidates[m][2] is not hit or candidates[m][3]:
            return None
        if fitting[m] and scores[m] >= ANSWER_THRESHOLD:
            return m
    return None


def _joined(candidates: list, first: int, last: int) -> str:
    """The sentences from first to last as one answer; past _JOINED_WORDS, the first and last with a mark
    of those left out between."""
    shown = [candidates[n][1] for n in range(first, last + 1)]
    whole = " ".join(shown)
    return whole if len(whole.split()) <= _JOINED_WORDS else f"{shown[0]} … {shown[-1]}"


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


def _nothing(index: Index, filters: Filters) -> str:
    info = index.info()
    scope = ", ".join(filters.body) if filters.body else f"{len(info.bodies)} bodies"
    years = f"{(filters.date_from or info.first_date or '?')[:4]}-{(filters.date_to or info.last_date or '?')[:4]}"
    return f"Nothing in the indexed papers answers this (searched {info.documents} documents, {scope}, {years})."
