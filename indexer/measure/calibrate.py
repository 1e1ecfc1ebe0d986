"""Fit how likely an answer is to be right (find/confidence.py) on question sets with answer strings.

    python -m indexer.measure.calibrate --index INDEX SET.jsonl [SET.jsonl ...]

For each question it chooses the answer as `ask` does, records the evidence weighed and whether the
answer as stated holds an answer string, and fits a logistic model (L2, on standardised evidence) to
all of it. It prints the weights to put in confidence.py and, for the threshold there, each set's
right / wrong / declined shares judged by a model fitted on the other sets.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..find.answer import ANSWER_THRESHOLD, choose, read_to_decision
from ..find.confidence import FEATURES, SURE_FROM, Evidence, chance_right
from ..find.index import Index, open_index
from ..find.stating import stated
from ..records import make_filters
from .evaluate import _answers, load_questions, normalise


@dataclass
class Judged:
    set_name: str
    evidence: Evidence | None   # None: nothing was answerable (declined whatever the model says)
    right: bool                 # the answer as stated holds an answer string


def judge(index: Index, path: Path) -> list[Judged]:
    judged = []
    for question in load_questions(path):
        filters = make_filters()
        with index.pinned():
            hits = index.search_many([question.q], 5, filters, steer=True)[0]
            choice = choose(index, question.q, filters, hits, True)
            if choice is None or max(choice.scores) < ANSWER_THRESHOLD:
                judged.append(Judged(path.stem, None, False))
                continue
            text = stated(index, question.q, choice)
            choice = read_to_decision(index, question.q, choice, text)   # as `ask` weighs it
        right = text is not None and _answers(text, [normalise(a) for a in question.answers])
        judged.append(Judged(path.stem, choice.evidence if text is not None else None, right))
    return judged


def fit(rows: list[Judged], l2: float = 1.0, steps: int = 50) -> tuple[tuple[float, ...], float]:
    """Logistic regression by Newton's method; the weights are returned on the evidence's own scale."""
    rows = [r for r in rows if r.evidence is not None]
    x = np.array([r.evidence.vector() for r in rows])
    y = np.array([float(r.right) for r in rows])
    mean, spread = x.mean(0), x.std(0) + 1e-9
    z = np.hstack([(x - mean) / spread, np.ones((len(x), 1))])
    penalty = np.diag([l2] * x.shape[1] + [0.0])   # the intercept goes free
    w = np.zeros(z.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-z @ w))
        gradient = z.T @ (p - y) + penalty @ w
        hessian = (z.T * (p * (1 - p))) @ z + penalty
        w -= np.linalg.solve(hessian, gradient)
    weights = w[:-1] / spread
    return tuple(float(v) for v in weights), float(w[-1] - np.sum(w[:-1] * mean / spread))


def shares(rows: list[Judged], weights: tuple[float, ...], intercept: float, sure: float) -> tuple[float, float, float]:
    """right, wrong, declined among these questions, stating what the model puts at `sure` or above."""
    stated_ = [r for r in rows if r.evidence is not None and chance_right(r.evidence, weights, intercept) >= sure]
    right = sum(r.right for r in stated_)
    return right / len(rows), (len(stated_) - right) / len(rows), 1 - len(stated_) / len(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m indexer.measure.calibrate", description=__doc__.split("\n")[0])
    parser.add_argument("--index", required=True)
    parser.add_argument("questions", nargs="+", type=Path)
    args = parser.parse_args(argv)
    index = open_index(args.index)
    rows = [row for path in args.questions for row in judge(index, path)]
    weights, intercept = fit(rows)
    print("WEIGHTS =", tuple(round(w, 4) for w in weights), " # " + ", ".join(FEATURES))
    print(f"INTERCEPT = {intercept:.4f}")
    for path in args.questions:
        held = [r for r in rows if r.set_name == path.stem]
        others = fit([r for r in rows if r.set_name != path.stem]) if len(args.questions) > 1 else (weights, intercept)
        right, wrong, declined = shares(held, *others, SURE_FROM)
        print(f"{path.stem}: {len(held)} questions, fitted on the others, from {SURE_FROM}: "
              f"right {right:.2f} wrong {wrong:.2f} declined {declined:.2f}")


if __name__ == "__main__":
    main()
