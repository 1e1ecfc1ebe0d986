"""What eval prints: retrieval, answer and decision scores as table lines, and retrieval as JSON."""

from __future__ import annotations

from .decision_gold import DecisionScore
from .evaluate import AnswerResult, EvalResult

RETRIEVAL_HEADER = f"{'mode':<10}{'rerank':<8}{'R@1':>6}{'R@5':>6}{'R@10':>6}{'MRR':>6}{'cite':>6}{'p50 ms':>8}{'p95 ms':>8}"
GroupScores = dict[str, tuple[int, float, float, float]]   # group -> (questions, recall@1, recall@5, MRR)


def retrieval_lines(mode: str, rerank: bool, r: EvalResult, by: str | None, groups: GroupScores) -> list[str]:
    """One row of the retrieval table, then a row for each group of questions."""
    row = (f"{mode:<10}{'yes' if rerank else 'no':<8}{r.recall.get(1, 0):>6.2f}{r.recall.get(5, 0):>6.2f}"
           f"{r.recall.get(10, 0):>6.2f}{r.mrr:>6.2f}{r.citation_accuracy:>6.2f}{r.p50_ms:>8.0f}{r.p95_ms:>8.0f}"
           + (f"   missed: {', '.join(r.misses)}" if r.misses else ""))
    return [row] + [f"  {by} {name:<14}{n:>4} questions  R@1 {r1:.2f}  R@5 {r5:.2f}  MRR {mrr:.2f}"
                    for name, (n, r1, r5, mrr) in groups.items()]


def retrieval_json(mode: str, rerank: bool, r: EvalResult, groups: GroupScores) -> dict:
    result = {"mode": mode, "rerank": rerank, **{f"recall@{cut}": round(v, 3) for cut, v in r.recall.items()},
              "mrr": round(r.mrr, 3), "citation_accuracy": round(r.citation_accuracy, 3),
              "p50_ms": round(r.p50_ms), "p95_ms": round(r.p95_ms), "misses": r.misses}
    if groups:
        result["by"] = {name: {"questions": n, "recall@1": round(r1, 3), "recall@5": round(r5, 3),
                               "mrr": round(mrr, 3)} for name, (n, r1, r5, mrr) in groups.items()}
    return result


def answer_lines(a: AnswerResult, by: str | None, groups: dict[str, set[str]]) -> list[str]:
    """Right, wrong and declined shares of `ask`, the ids of each miss, then each group's shares."""
    lines = [f"ask: right {a.share('right'):.2f}, wrong {a.share('wrong'):.2f}, declined {a.share('declined'):.2f}; "
             f"p50 {a.p50_ms:.0f} ms, p95 {a.p95_ms:.0f} ms"]
    lines += [f"   {outcome}: {', '.join(a.ids(outcome))}" for outcome in ("wrong", "declined") if a.ids(outcome)]
    lines += [f"  {by} {name:<14}{len(ids):>4} questions  right {a.share('right', ids):.2f}"
              f"  wrong {a.share('wrong', ids):.2f}  declined {a.share('declined', ids):.2f}"
              for name, ids in groups.items()]
    return lines


def decision_lines(scores: dict[str, DecisionScore]) -> list[str]:
    """Recall, precision and page accuracy per source and overall, then every record missed, on the
    wrong page or extracted without a gold record."""
    lines = [f"{'source':<12}{'recall':>8}{'precision':>11}{'page':>7}   found / wanted, matching / extracted"]
    lines += [f"{source:<12}{s.recall:>8.2f}{s.precision:>11.2f}{s.page_accuracy:>7.2f}   "
              f"{s.found} / {s.wanted}, {s.matching} / {s.extracted}" for source, s in scores.items()]
    total = scores["all"]
    lines += [f"missed      {record.id} (page {record.page}): {record.snippet}" for record in total.missed]
    lines += [f"wrong page  {record.id}: page {page}, not {record.page}" for record, page in total.wrong_page]
    lines += [f"not in gold {doc} page {extracted.pdf_page}: {' '.join(extracted.text.split())[:120]}"
              for doc, extracted in total.false_positives]
    return lines
