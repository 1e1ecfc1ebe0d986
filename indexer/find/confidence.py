"""How likely an answer is to be right, from what was weighed to choose it.

The cross-encoder's score of the answering sentence alone says too little: a sentence can score
high in a passage that barely beat the next, or be one of many that score alike. A logistic model
reads the evidence together: the sentence's score, with its passage's weight, the passage's rank
and reranked score, how far the best passage stands above the second, how far the sentence stands
above the next candidate, and how many candidates there were.

Its weights are fitted on the development questions (`python -m indexer.measure.calibrate`), by
whether each answer's text held an answer string; EVALUATION.md gives the fit and what it measured
on questions kept out of it.
"""

from __future__ import annotations

import math
from dataclasses import astuple, dataclass

from ..records import Hit


@dataclass(frozen=True)
class Evidence:
    score: float        # the cross-encoder's logit of the answering sentence or resolution
    weighed: float      # with its passage's weight, the kind penalty and (a decision's) focus bonus
    passage: float      # its passage's reranked logit (NO_PASSAGE when not reranked)
    rank: int           # its passage's place among the hits, from 0
    lead: float         # the best reranked passage's logit less the second's
    candidates: int     # how many sentences and resolutions were scored
    margin: float       # the answer's logit less the second-highest among it and its rivals (or NO_RIVAL);
                        # rivals are candidates stating something else (answer.choose)

    def vector(self) -> list[float]:
        return [float(x) for x in astuple(self)]


NO_PASSAGE = -5.0
NO_RIVAL = -10.0   # the score a lone candidate is measured against
FEATURES = tuple(Evidence.__dataclass_fields__)

# Fitted on dev_questions, dev_questions_2 and realdata_questions (index format 13, 3 December 2026).
WEIGHTS = (0.1288, 0.2434, -0.0345, -0.3712, 0.2768, -0.0303, 0.0778)
INTERCEPT = -1.3991
# Below SURE_FROM the answer is "not sure". Chosen where right answers less twice the wrong ones did best,
# each development set judged by a model fitted on the other two: 0.33 of the questions answered right
# and 0.05 wrong. On 108 questions of our own kept out of the fit: 0.33 right and 0.03 wrong, where the
# cross-encoder's score alone at its best threshold (6.5) gave 0.30 and 0.08. From HIGH_FROM on, every
# one of 25 answers over all these sets was right.
SURE_FROM = 0.75
HIGH_FROM = 0.9
# A resolution of the register answering a question about what was decided (not what had been decided
# before) is stated from RESOLUTION_SURE_FROM: it is quoted whole, parts and all, and where the chance put it
# at 0.60-0.75 it held the answer 35 times in 42 over every question set (8 December 2026), where sentences
# there did so about half the time. Between 0.55 and 0.60 the resolutions held it 6 times in 13 only.
RESOLUTION_SURE_FROM = 0.6


def evidence(score: float, weighed: float, scores: list[float], hit: Hit, hits: list[Hit]) -> Evidence:
    """What was weighed to choose an answer scoring `score` (`weighed` with its passage's weight and
    the bonuses) among candidates scoring `scores`, from the passage `hit` of these `hits`."""
    reranked = [h.score for h in hits if h.reranked]
    rank = next((n for n, h in enumerate(hits) if h.chunk_id == hit.chunk_id), len(hits))
    others = sorted(scores, reverse=True)[1:]
    return Evidence(
        score=score, weighed=weighed,
        passage=hit.score if hit.reranked else NO_PASSAGE, rank=rank,
        lead=reranked[0] - reranked[1] if len(reranked) > 1 else 0.0,
        candidates=len(scores), margin=score - (others[0] if others else NO_RIVAL))


def chance_right(found: Evidence, weights: tuple[float, ...] = WEIGHTS, intercept: float = INTERCEPT) -> float:
    """The fitted probability that an answer with this evidence is right."""
    z = intercept + sum(w * x for w, x in zip(weights, found.vector()))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
