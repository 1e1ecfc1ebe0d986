"""python -m indexer build | search | info. Each command is a few lines over the library."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from .build import BuildProgress, BuildReport, build_index, index_status
from .errors import IndexerError, NothingIndexed
from .evaluate import evaluate, load_questions
from .search import Hit, make_filters, open_index, page_citation


def main(argv: list[str] | None = None) -> int:
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except NothingIndexed as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except IndexerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; the previous index is unchanged", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m indexer", description="Search council and board papers.")
    commands = parser.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", help="index a folder of PDFs")
    build.add_argument("corpus_dir", type=Path)
    build.add_argument("--index", type=Path, required=True, help="index folder to create or update")
    build.add_argument("--quiet", action="store_true", help="no progress bar")
    build.add_argument("--if-stale", action="store_true",
                       help="only build when the index is missing or out of date with this corpus")
    build.set_defaults(run=_build)

    search = commands.add_parser("search", help="search an index")
    search.add_argument("index_dir", type=Path)
    search.add_argument("query", nargs="?", help="free text")
    search.add_argument("-k", type=int, default=10, help="number of passages (default 10)")
    search.add_argument("--json", action="store_true", help="one JSON object per hit per line")
    search.add_argument("--queries", type=Path, help="file with one query per line")
    search.add_argument("--body", action="append", help="only this body (repeatable; part of the name is enough)")
    search.add_argument("--doc-type", action="append", help="only this document type (repeatable)")
    search.add_argument("--from", dest="date_from", help="meetings on or after YYYY-MM-DD")
    search.add_argument("--to", dest="date_to", help="meetings on or before YYYY-MM-DD")
    search.set_defaults(run=_search)

    evaluate = commands.add_parser("eval", help="measure search quality on questions with known answers")
    evaluate.add_argument("questions", type=Path, help='JSON lines: {"id", "q", "a": [answer strings]}')
    evaluate.add_argument("--index", type=Path, required=True)
    evaluate.add_argument("-k", type=int, default=10)
    evaluate.set_defaults(run=_eval)

    info = commands.add_parser("info", help="what an index holds")
    info.add_argument("index_dir", type=Path)
    info.set_defaults(run=_info)
    return parser


def _build(args) -> int:
    if args.if_stale:
        status = index_status(args.corpus_dir, args.index)
        if status == "current":
            print(f"{args.index} is up to date with {args.corpus_dir}")
            return 0
        if status == "other-corpus":
            print(f"{args.index} was built from another folder; leaving it as it is")
            return 0
    bar = None
    if not args.quiet:
        from tqdm import tqdm

        bar = tqdm(total=0, unit="file", file=sys.stderr, dynamic_ncols=True)

    def progress(p: BuildProgress) -> None:
        bar.total = p.files_total
        bar.n = p.files_done
        bar.set_postfix(pages=p.pages, chunks=p.chunks, embedded=p.embedded, refresh=False)
        bar.set_description(Path(p.current).name[:30])
        bar.refresh()

    try:
        report = build_index(args.corpus_dir, args.index, progress=progress if bar is not None else None)
    finally:
        if bar is not None:
            bar.close()
    print(format_report(report, args.index))
    return 0


def format_report(report: BuildReport, index_dir: Path) -> str:
    lines = []
    if report.full_rebuild_reason:
        lines.append(f"Full rebuild: {report.full_rebuild_reason}.")
    lines.append(
        f"Indexed {report.documents} documents, {report.pages} pages, {report.chunks} chunks "
        f"into {index_dir} in {report.seconds:.1f} s "
        f"({report.embedded_files} embedded, {report.reused_files} unchanged, {len(report.removed_files)} removed)."
    )
    if report.removed_files:
        lines.append("Removed (no longer in the corpus): " + ", ".join(report.removed_files))
    lines.append(f"Skipped files: {len(report.skipped_files)}")
    lines += [f"  {path}: {reason}" for path, reason in report.skipped_files]
    lines.append(f"Pages without text: {len(report.skipped_pages)} ({report.scanned_pages} scanned, need OCR)")
    by_file: dict[str, list[int]] = {}
    for path, page, _ in report.skipped_pages:
        by_file.setdefault(path, []).append(page)
    reasons = {path: reason for path, _, reason in report.skipped_pages}
    lines += [f"  {path}: pages {_ranges(pages)} ({reasons[path]})" for path, pages in by_file.items()]
    return "\n".join(lines)


def _search(args) -> int:
    if bool(args.query) == bool(args.queries):
        print("error: give either a query or --queries FILE", file=sys.stderr)
        return 2
    index = open_index(args.index_dir)
    filters = make_filters(args.body, args.doc_type, args.date_from, args.date_to)
    if args.queries:
        queries = [line.strip() for line in args.queries.read_text(encoding="utf-8").splitlines() if line.strip()]
    else:
        queries = [args.query]
    results = index.search_many(queries, args.k, filters) if queries else []
    for query, hits in zip(queries, results):
        if args.json:
            for hit in hits:
                record = hit.to_json()
                if args.queries:
                    record["query"] = query
                print(json.dumps(record, ensure_ascii=False))
        else:
            _print_hits(query, hits, show_query=bool(args.queries))
    return 0


def _print_hits(query: str, hits: list[Hit], show_query: bool) -> None:
    if show_query:
        print(f"## {query}")
    if not hits:
        print("No passages found (check the filters).")
    for hit in hits:
        where = ", ".join(x for x in (hit.body, hit.meeting_date, hit.doc_type) if x)
        print(f"{hit.rank}. [{hit.score:.3f}] {hit.doc_title} ({where})")
        if hit.item:
            print(f"   Item {hit.item}")
        print(f"   {page_citation(hit.pdf_page, hit.pdf_page_end, hit.page_label)} - {hit.doc_path}")
        text = " ".join(hit.text.split())
        print(f"   {text[:400]}{'...' if len(text) > 400 else ''}\n")


def _eval(args) -> int:
    questions = load_questions(args.questions)
    result = evaluate(open_index(args.index), questions, k=args.k)
    recall = "  ".join(f"recall@{k} {v:.2f}" for k, v in result.recall.items())
    print(f"{result.questions} questions  {recall}  MRR {result.mrr:.2f}  "
          f"citation accuracy {result.citation_accuracy:.2f}  p50 {result.p50_ms:.0f} ms  p95 {result.p95_ms:.0f} ms")
    if result.misses:
        print(f"not answered in the top {args.k}: {', '.join(result.misses)}")
    return 0


def _info(args) -> int:
    info = open_index(args.index_dir).info()
    print(f"Index {args.index_dir}: built {info.built_at} with {info.model} from {info.corpus_root}")
    print(f"{info.documents} documents, {info.pages} pages, {info.chunks} chunks")
    print(f"Meeting dates: {info.first_date or '?'} to {info.last_date or '?'}")
    print("Bodies:")
    for body, count in info.bodies.items():
        print(f"  {body}: {count}")
    print("Document types:")
    for doc_type, count in info.doc_types.items():
        print(f"  {doc_type}: {count}")
    print(f"Skipped files: {len(info.skipped_files)}")
    for path, reason in info.skipped_files:
        print(f"  {path}: {reason}")
    print(f"Pages without text: {len(info.skipped_pages)}")
    for path, page, reason in info.skipped_pages:
        print(f"  {path} p. {page}: {reason}")
    return 0


def _ranges(numbers: list[int]) -> str:
    spans, start = [], None
    for i, n in enumerate(numbers):
        if start is None:
            start = n
        if i + 1 == len(numbers) or numbers[i + 1] != n + 1:
            spans.append(str(start) if start == n else f"{start}-{n}")
            start = None
    return ", ".join(spans)
