"""Measure the decisions register against annotated minutes (eval/DECISIONS_GOLD.md).

A gold file holds one JSON object per decision part: {"id", "source", "doc", "page",
"snippet", "borderline", ...}. A gold record is found when its snippet (whitespace
collapsed, lower case) occurs in the text of a decision extracted from the same
document; records sharing one snippet are matched one-to-one, in page order.
Recall counts a borderline record only when it is found; precision counts the
extracted decisions holding any snippet of their document; page accuracy is over
the records found.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..find.index import Index
from .evaluate import BadQuestionFile


@dataclass(frozen=True)
class GoldDecision:
    id: str
    source: str
    doc: str
    page: int
    snippet: str
    borderline: bool


@dataclass(frozen=True)
class Extracted:
    text: str
    pdf_page: int


@dataclass
class DecisionScore:
    found: int = 0           # records found, borderline ones included
    wanted: int = 0          # non-borderline records, plus borderline ones found
    on_page: int = 0         # found records whose matching decision starts on the gold page
    matching: int = 0        # extracted decisions holding a gold snippet
    extracted: int = 0
    missed: list[GoldDecision] = field(default_factory=list)
    wrong_page: list[tuple[GoldDecision, int]] = field(default_factory=list)
    false_positives: list[tuple[str, Extracted]] = field(default_factory=list)  # (doc, decision)

    @property
    def recall(self) -> float:
        return self.found / self.wanted if self.wanted else 0.0

    @property
    def precision(self) -> float:
        return self.matching / self.extracted if self.extracted else 0.0

    @property
    def page_accuracy(self) -> float:
        return self.on_page / self.found if self.found else 0.0

    def add(self, other: DecisionScore) -> None:
        for name in ("found", "wanted", "on_page", "matching", "extracted"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.missed += other.missed
        self.wrong_page += other.wrong_page
        self.false_positives += other.false_positives


def load_gold(path: Path) -> list[GoldDecision]:
    records = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            records.append(GoldDecision(row["id"], row.get("source", "(none)"), row["doc"], int(row["page"]),
                                        row["snippet"], bool(row.get("borderline"))))
        except (ValueError, KeyError, TypeError) as exc:
            raise BadQuestionFile(f"{path}, line {number}: not a gold decision record ({exc})") from exc
    if not records:
        raise BadQuestionFile(f"{path} holds no gold decisions")
    return records


def _norm(text: str) -> str:
    return " ".join(text.split()).lower()


def score_document(gold: list[GoldDecision], extracted: list[Extracted], doc: str = "") -> DecisionScore:
    """One annotated document: its gold records against the decisions extracted from it."""
    score = DecisionScore(extracted=len(extracted))
    texts = [_norm(e.text) for e in extracted]
    snippets = {_norm(g.snippet) for g in gold}
    for e, text in zip(extracted, texts):
        if any(s in text for s in snippets):
            score.matching += 1
        else:
            score.false_positives.append((doc, e))
    used: dict[str, set[int]] = defaultdict(set)   # snippet -> extracted decisions already matched to it
    for record in sorted(gold, key=lambda g: (g.page, g.id)):
        snippet = _norm(record.snippet)
        shared = sum(1 for g in gold if _norm(g.snippet) == snippet) > 1
        candidates = [n for n, text in enumerate(texts) if snippet in text and not (shared and n in used[snippet])]
        if not candidates:
            if not record.borderline:
                score.wanted += 1
                score.missed.append(record)
            continue
        chosen = next((n for n in candidates if extracted[n].pdf_page == record.page), candidates[0])
        used[snippet].add(chosen)
        score.found += 1
        score.wanted += 1
        if extracted[chosen].pdf_page == record.page:
            score.on_page += 1
        else:
            score.wrong_page.append((record, extracted[chosen].pdf_page))
    return score


def score_all(gold: list[GoldDecision], extracted: dict[str, list[Extracted]]) -> dict[str, DecisionScore]:
    """source -> score, summed over its documents, plus "all"; extracted maps document path -> decisions."""
    by_doc: dict[str, list[GoldDecision]] = defaultdict(list)
    for record in gold:
        by_doc[record.doc].append(record)
    scores: dict[str, DecisionScore] = {}
    total = DecisionScore()
    for doc, records in by_doc.items():
        one = score_document(records, extracted.get(doc, []), doc)
        scores.setdefault(records[0].source, DecisionScore()).add(one)
        total.add(one)
    scores["all"] = total
    return scores


def evaluate_decisions(index: Index, gold: list[GoldDecision]) -> dict[str, DecisionScore]:
    """Score the index's decisions register on the gold records. A gold path may sit under a folder of the
    corpus; a file indexed as a copy of the same paper in another format is scored on that paper's decisions."""
    by_path: dict[str, list[Extracted]] = defaultdict(list)
    for record in index.decisions():
        by_path[record.doc_path].append(Extracted(record.text, record.pdf_page))
    indexed_as = {copy: indexed for copy, indexed, _ in index.info().copies}   # a copy is scored as its paper
    extracted = {}
    for doc in {g.doc for g in gold}:
        path = next((p for p in [*by_path, *indexed_as] if p == doc or p.endswith("/" + doc)), None)
        path = indexed_as.get(path, path)
        extracted[doc] = by_path.get(path, []) if path else []
    return score_all(gold, extracted)
