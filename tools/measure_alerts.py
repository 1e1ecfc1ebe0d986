"""Alerts on a corpus split by date: index the papers up to a date, save searches, add the next meetings, build
again, and list for each saved search every new passage it finds with the cross-encoder's score, so that the
relevant ones can be marked by eye and the threshold (alerts.ALERT_FROM) read off.

    .venv/bin/python tools/measure_alerts.py --early EARLY_DIR --late LATE_DIR --work /tmp/alerts \\
        --searches eval/alert_searches.jsonl --out /tmp/alerts/candidates.jsonl

EARLY_DIR and LATE_DIR are folders of papers (links are followed); the corpus is EARLY, then EARLY + LATE.
Each line of --searches: {"name": ..., "q": ...}. Each line written: one candidate (search, score, citation, text).
A second run reuses the builds. Give --judged FILE (the candidates with "relevant": true/false added) to print
precision and the alerts each search gets at a range of thresholds.
"""
import argparse
import json
import os
import shutil
import sys
from pathlib import Path

sys.path.insert(0, ".")
from indexer import build_index, open_index  # noqa: E402
from indexer.sources.alerts import ALERT_FROM, find_alerts, read_seen, start_from  # noqa: E402
from indexer.sources.watch import SavedSearches, saved_search  # noqa: E402


def link_tree(source: Path, into: Path) -> None:
    """Link every file under source (following linked folders) into the same place under into."""
    for folder, _, names in os.walk(source, followlinks=True):
        for name in names:
            path = Path(folder) / name
            target = into / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.exists():
                target.symlink_to(path.resolve())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--early", type=Path)
    parser.add_argument("--late", type=Path)
    parser.add_argument("--work", type=Path, default=Path("/tmp/alerts"))
    parser.add_argument("--searches", type=Path, default=Path("eval/alert_searches.jsonl"))
    parser.add_argument("--out", type=Path)
    parser.add_argument("--judged", type=Path)
    args = parser.parse_args()


    if args.judged:
        rows = [json.loads(line) for line in args.judged.read_text().splitlines() if line.strip()]
        searches = sorted({r["search"] for r in rows if r["kind"] == "passage"})
        print("threshold | alerts | relevant | precision | relevant found of all relevant candidates")
        everything = sum(r["relevant"] for r in rows if r["kind"] == "passage")
        for threshold in (-2, 0, 1, 2, 3, 4, 5, 6):
            kept = [r for r in rows if r["kind"] == "passage" and r["score"] >= threshold]
            good = sum(r["relevant"] for r in kept)
            print(f"{threshold} | {len(kept)} | {good} | {good / len(kept) if kept else 0:.2f} | {good}/{everything}")
        print(f"\nsearch | new passages scored | alerts at {ALERT_FROM} | relevant of them | relevant below it")
        for name in searches:
            mine = [r for r in rows if r["search"] == name and r["kind"] == "passage"]
            kept = [r for r in mine if r["score"] >= ALERT_FROM]
            print(f"{name} | {len(mine)} | {len(kept)} | {sum(r['relevant'] for r in kept)} | "
                  f"{sum(r['relevant'] for r in mine if r['score'] < ALERT_FROM)}")
        return

    corpus, index_dir = args.work / "corpus", args.work / "index"
    if not (index_dir / "manifest.json").is_file() or read_seen(SavedSearches(index_dir).folder)[0] is None:
        shutil.rmtree(args.work, ignore_errors=True)
        link_tree(args.early, corpus)
        print(build_index(corpus, index_dir).documents, "documents up to the split", file=sys.stderr)
        start_from(open_index(index_dir))
        link_tree(args.late, corpus)
        report = build_index(corpus, index_dir)
        print(report.embedded_files, "documents added", file=sys.stderr)
    index = open_index(index_dir)
    seen = read_seen(SavedSearches(index_dir).folder)[1]
    rows = index.build.passage_ids()
    chunk_of = {passage_id: chunk_id for chunk_id, passage_id, _ in rows}
    new = [(chunk_id, path) for chunk_id, passage_id, path in rows if passage_id not in seen]
    print(f"{len(new)} new passages in {len({p for _, p in new})} documents", file=sys.stderr)
    with open(args.out, "w", encoding="utf-8") as out:
        for line in args.searches.read_text().splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            found = find_alerts(index, saved_search(row["name"], row["q"]), new, "http://localhost:8501",
                                threshold=float("-inf"), most=20)
            query = index.models.embedder(index.manifest.model).encode_queries([row["q"]])[0]
            for alert in [*found.passages, *found.decisions]:
                cosine = float(index.build.vectors_by_id([chunk_of[alert.passage_id]])[0] @ query)
                out.write(json.dumps({"search": row["name"], "q": row["q"], "kind": alert.kind, "score": alert.score,
                                      "cosine": round(cosine, 4), "passage_id": alert.passage_id,
                                      "citation": alert.citation, "text": " ".join(alert.text.split())[:700]},
                                     ensure_ascii=False) + "\n")
            kept = [sum(a.score >= ALERT_FROM for a in alerts) for alerts in (found.passages, found.decisions)]
            print(f"{row['name']}: {len(found.passages)} passages, {len(found.decisions)} decisions scored; "
                  f"{kept[0]} and {kept[1]} at {ALERT_FROM}", file=sys.stderr)


if __name__ == "__main__":
    main()
