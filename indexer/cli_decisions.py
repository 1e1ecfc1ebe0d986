"""python -m indexer decisions: the register of decisions, a topic's history, and --compare (each resolution
beside the recommendation behind it, and the recommendations not taken)."""

from __future__ import annotations

import json

from .errors import BadQuery
from .find.decisions import decision_history, describe_decision, whole
from .find.index import open_index
from .find.recommendations import compare, not_taken
from .records import Filters


def decisions_command(args, filters: Filters) -> int:
    index = open_index(args.index_dir)
    outcome = tuple(args.outcome or ())
    if args.history:
        if not args.query:
            raise BadQuery("--history needs --query TOPIC")
        records = decision_history(index, args.query, filters, outcome=outcome, limit=args.limit)
    else:
        records = index.decisions(args.query, filters, limit=args.limit, outcome=outcome)
    if args.compare:
        return _compare(index, records, args.json)
    for record in records:
        if args.json:
            print(json.dumps(record.to_json(), ensure_ascii=False))
        else:
            print(describe_decision(record) + "\n")
    if not records and not args.json:
        print("No decisions found.")
    return 0


def _compare(index, records, as_json: bool) -> int:
    counts: dict[str, int] = {}
    groups = whole(index, records)
    for parts in groups:
        found = compare(index, parts)
        status = found.status if found else "no recommendation indexed"
        counts[status] = counts.get(status, 0) + 1
        if as_json:
            print(json.dumps({"group": parts[0].group, "status": status,
                              "decision": [p.to_json() for p in parts],
                              "recommendation": None if found is None else {
                                  "text": found.recommendation.text, "doc_path": found.recommendation.doc_path,
                                  "pdf_page": found.recommendation.pdf_page, "likeness": found.likeness,
                                  "added": found.added, "dropped": found.dropped}}, ensure_ascii=False))
        elif found:
            rec = found.recommendation
            print(describe_decision(parts[0]))
            print(f"   recommended ({rec.doc_title}, {rec.location}): {rec.text}")
            print(f"   -> {found.status}" + (f"; added: {' | '.join(found.added)}; dropped: {' | '.join(found.dropped)}"
                                              if found.status == "amended" else "") + "\n")
    dates = sorted({parts[0].meeting_date for parts in groups if parts[0].meeting_date})
    skipped = [found for date in dates for found in not_taken(index, date)]
    for found in skipped:
        rec, item = found.recommendation, found.minutes
        if as_json:
            print(json.dumps({"group": None, "status": found.status, "decision": None, "recommendation": {
                "text": rec.text, "doc_path": rec.doc_path, "pdf_page": rec.pdf_page},
                "minutes": {"doc_path": item.doc_path, "item": item.item, "pdf_page": item.pdf_page}},
                ensure_ascii=False))
        else:
            print(f"{rec.meeting_date} {rec.body or ''}: recommended ({rec.doc_title}, {rec.location}): {rec.text}")
            print(f"   -> {found.status}: the minutes list {item.item} ({item.doc_title}, {item.location}) "
                  "with no resolution under it\n")
    if not as_json:
        print(f"{len(groups)} resolutions: " + ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
              + (f"; {len(skipped)} recommendations not taken" if skipped else ""))
    return 0
