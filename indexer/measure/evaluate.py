"""Measure search quality on questions with known answer strings.

A question file holds one JSON object per line: {"id", "q", "a": [answer strings]}.
A hit answers a question when its text contains any answer string after
normalising both (lower case, one space, plain quotes and dashes). Citation
accuracy reads the cited pages back from the file itself and checks that the
answer is there.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..backends.folder import CONVERTED
from ..errors import IndexerError
from ..find.index import Index
from ..papers.layout import clean_pages
from ..readers import Conversions, read_file
from ..readers.pages import clean_chars
from ..records import Hit
from .stats import percentile

_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "′": "'", "“": '"', "”": '"', "„": '"',
                         "–": "-", "—": "-", "‒": "-", "−": "-", "‐": "-", "‑": "-"})


class BadQuestionFile(IndexerError):
    pass


@dataclass
class Question:
    id: str
    q: str
    answers: list[str]
    tags: dict[str, str] = field(default_factory=dict)   # the record's other plain fields: kind, source ...


@dataclass
class EvalResult:
    questions: int
    recall: dict[int, float]          # k -> share of questions answered within the top k
    mrr: float
    citation_accuracy: float          # share of answering hits whose cited pages hold the answer
    p50_ms: float
    p95_ms: float
    misses: list[str] = field(default_factory=list)  # ids not answered within the top k
    ranks: dict[str, int | None] = field(default_factory=dict)  # id -> rank of the first answering hit


def by_group(questions: list[Question], result: EvalResult, tag: str) -> dict[str, tuple[int, float, float, float]]:
    """tag value ('kent', 'limerick') -> (questions, recall@1, recall@5, MRR), from one evaluation."""
    groups: dict[str, list[int | None]] = {}
    for question in questions:
        groups.setdefault(question.tags.get(tag, "(none)"), []).append(result.ranks[question.id])
    return {name: (len(ranks), sum(1 for r in ranks if r and r <= 1) / len(ranks),
                   sum(1 for r in ranks if r and r <= 5) / len(ranks), sum(1 / r for r in ranks if r) / len(ranks))
            for name, ranks in sorted(groups.items())}


def normalise(text: str) -> str:
    text = clean_chars(text).translate(_QUOTES).lower()
    text = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1-\2", text)
    return " ".join(text.split())


def load_questions(path: Path, answered: bool = True) -> list[Question]:
    """answered=False: questions the papers cannot answer (off-topic), which carry no "a"."""
    if not Path(path).is_file():
        raise BadQuestionFile(f"no questions file at {path}")
    questions = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            answers = record["a"] if answered else []
            if answered and (not isinstance(answers, list) or not answers or not all(isinstance(a, str) for a in answers)):
                raise ValueError('"a" must be a non-empty list of strings')
            tags = {k: str(v) for k, v in record.items() if k not in ("id", "q", "a") and isinstance(v, (str, int))}
            questions.append(Question(str(record["id"]), str(record["q"]), answers, tags))
        except (ValueError, KeyError, TypeError) as exc:
            raise BadQuestionFile(f"{path} line {number}: {exc}") from exc
    if not questions:
        raise BadQuestionFile(f"{path} holds no questions")
    return questions


def evaluate(index: Index, questions: list[Question], k: int = 10, mode: str = "hybrid",
             rerank: bool = False) -> EvalResult:
    ranks: list[int | None] = []
    timings: list[float] = []
    cited, cited_right = 0, 0
    page_reader = _CitedPages(index.corpus_root, index.build.index_dir / CONVERTED)
    index.search(questions[0].q, k=k, mode=mode, rerank=rerank)  # load the models before timing
    for question in questions:
        started = time.perf_counter()
        hits = index.search(question.q, k=k, mode=mode, rerank=rerank)
        timings.append((time.perf_counter() - started) * 1000)
        answers = [normalise(a) for a in question.answers]
        rank = next((h.rank for h in hits if _answers(h.text, answers)), None)
        ranks.append(rank)
        if rank is not None:
            cited += 1
            cited_right += page_reader.holds(hits[rank - 1], answers)
    n = len(questions)
    return EvalResult(
        questions=n,
        recall={cut: sum(1 for r in ranks if r is not None and r <= cut) / n for cut in (1, 5, 10) if cut <= k},
        mrr=sum(1 / r for r in ranks if r) / n,
        citation_accuracy=cited_right / cited if cited else 0.0,
        p50_ms=percentile(timings, 50),
        p95_ms=percentile(timings, 95),
        misses=[q.id for q, r in zip(questions, ranks) if r is None],
        ranks={q.id: r for q, r in zip(questions, ranks)},
    )


ANSWER_OUTCOMES = ("right", "wrong", "declined")


@dataclass
class AnswerResult:
    questions: int
    outcomes: dict[str, str]   # question id -> right (the answer holds an answer string), wrong or declined
    p50_ms: float
    p95_ms: float

    def share(self, outcome: str, ids: set[str] | None = None) -> float:
        chosen = [o for q, o in self.outcomes.items() if ids is None or q in ids]
        return sum(1 for o in chosen if o == outcome) / len(chosen) if chosen else 0.0

    def ids(self, outcome: str) -> list[str]:
        return [q for q, o in self.outcomes.items() if o == outcome]

    def to_json(self, ids: set[str] | None = None) -> dict:
        chosen = [q for q in self.outcomes if ids is None or q in ids]
        return {"questions": len(chosen), **{o: round(self.share(o, ids), 3) for o in ANSWER_OUTCOMES},
                **({"p50_ms": round(self.p50_ms), "p95_ms": round(self.p95_ms)} if ids is None else {}),
                **{f"{o}_ids": [q for q in chosen if self.outcomes[q] == o] for o in ("wrong", "declined")}}


def evaluate_answers(index: Index, questions: list[Question]) -> AnswerResult:
    """What `ask` answers: right, wrong, or declined, and how long it takes. A question with no answer
    strings (an off-topic one) is right only when declined."""
    from ..find.answer import ask

    ask(index, questions[0].q)  # load the models before timing
    timings, outcomes = [], {}
    for question in questions:
        started = time.perf_counter()
        answer = ask(index, question.q)
        timings.append((time.perf_counter() - started) * 1000)
        if answer.text is None:
            outcomes[question.id] = "declined"
        elif question.answers and _answers(answer.text, [normalise(a) for a in question.answers]):
            outcomes[question.id] = "right"
        else:
            outcomes[question.id] = "wrong"
    return AnswerResult(len(questions), outcomes, percentile(timings, 50), percentile(timings, 95))


def groups_of(questions: list[Question], tag: str) -> dict[str, set[str]]:
    """tag value ('decision', 'kent') -> the ids of the questions having it."""
    groups: dict[str, set[str]] = {}
    for question in questions:
        groups.setdefault(question.tags.get(tag, "(none)"), set()).add(question.id)
    return dict(sorted(groups.items()))


def only(questions: list[Question], wanted: list[str] | None) -> list[Question]:
    """The questions whose fields match every FIELD=VALUE given ('kind=decision')."""
    for condition in wanted or []:
        name, _, value = condition.partition("=")
        questions = [q for q in questions if q.tags.get(name) == value]
    return questions


def _answers(text: str, answers: list[str]) -> bool:
    text = normalise(text)
    return any(a in text for a in answers)


class _CitedPages:
    """Reads cited pages straight from the file (with running headers and footers removed); an office
    file from the PDF the index converted it to."""

    def __init__(self, corpus_root: Path, converted: Path):
        self.root = Path(corpus_root)
        self.conversions = Conversions(earlier=[converted])
        self.pages: dict[str, list] = {}

    def holds(self, hit: Hit, answers: list[str]) -> bool:
        if hit.doc_path not in self.pages:
            self.pages[hit.doc_path] = clean_pages(read_file(self.root / hit.doc_path, self.conversions))
        cited = self.pages[hit.doc_path][hit.pdf_page - 1:hit.pdf_page_end]
        text = normalise(" ".join(page.text for page in cited))
        return any(a in text for a in answers)
