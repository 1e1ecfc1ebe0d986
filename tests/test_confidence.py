from __future__ import annotations

import random

from indexer.find.confidence import SURE_FROM, Evidence, chance_right, evidence
from indexer.measure.calibrate import Judged, fit, shares
from indexer.records import Hit


def _evidence(score: float, lead: float = 1.0, rank: int = 0) -> Evidence:
    return Evidence(score=score, weighed=score + 1.0, passage=5.0, rank=rank, lead=lead, candidates=20, margin=1.0)


def test_an_answer_that_stands_out_is_likelier_right_than_one_that_does_not():
    assert chance_right(_evidence(9.0, lead=3.0)) > chance_right(_evidence(9.0, lead=0.1))
    assert chance_right(_evidence(9.0)) > chance_right(_evidence(3.0))
    assert chance_right(_evidence(9.0, rank=0)) > chance_right(_evidence(9.0, rank=2))
    assert 0.0 < chance_right(_evidence(-30.0)) < chance_right(_evidence(30.0)) < 1.0


def _hit(chunk_id: int, score: float) -> Hit:
    return Hit(rank=1, score=score, text="", doc_path="a.pdf", doc_title="A", doc_type="minutes", body=None,
               meeting_date=None, pdf_page=1, pdf_page_end=1, page_label=None, item=None, chunk_id=chunk_id,
               reranked=True)


def test_the_evidence_is_read_from_the_answer_its_passage_and_the_other_candidates():
    hits = [_hit(7, 8.0), _hit(9, 5.5), _hit(3, 2.0)]
    found = evidence(6.0, 8.4, [6.0, 7.5, 1.0], hits[1], hits)
    assert (found.passage, found.rank, found.lead, found.candidates) == (5.5, 1, 2.5, 3)
    assert found.margin == 6.0 - 6.0   # the second-highest candidate's logit is its own here
    alone = evidence(4.0, 4.0, [4.0], hits[0], hits)
    assert alone.margin == 14.0 and alone.rank == 0


def test_the_fit_learns_which_evidence_tells_right_from_wrong():
    generator = random.Random(4)
    rows = []
    for _ in range(300):
        lead = generator.uniform(0.0, 4.0)
        right = generator.random() < (0.9 if lead > 2.0 else 0.2)   # only the lead says anything
        rows.append(Judged("set", _evidence(generator.uniform(4.0, 9.0), lead=lead), right))
    rows.append(Judged("set", None, False))   # nothing answerable: declined, never fitted
    weights, intercept = fit(rows)
    lead_weight, score_weight = weights[4], weights[0]
    assert lead_weight > 0.5 and abs(score_weight) < lead_weight / 3
    right, wrong, declined = shares(rows, weights, intercept, SURE_FROM)
    assert abs(right + wrong + declined - 1.0) < 1e-9
    assert wrong < right / 3   # what it states is mostly right
