"""python -m indexer build | search | ask | decisions | info; eval, bench and load are in cli_measure.py,
fetch, sync and watch in cli_sources.py. Each command is a few lines over the library."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from .backends.vectors import APPROXIMATE_ABOVE
from .cli_decisions import decisions_command
from .cli_measure import add_commands as add_measure_commands
from .cli_options import backend_argument, filter_arguments, filters_of, retrieval_arguments
from .cli_sources import add_commands as add_source_commands
from .cli_sources import alerts_after_build
from .errors import BadQuery, IndexerError, NothingIndexed
from .find.answer import ask
from .find.decisions import describe_decision
from .find.index import open_index
from .index.build import build_index
from .index.embedding import DEFAULT_MODEL, MODELS
from .index.plan import index_status
from .index.report import BuildProgress, BuildReport
from .papers.outcomes import OUTCOMES
from .readers.office import CONVERT_TIMEOUT
from .records import Hit


def main(argv: list[str] | None = None) -> int:
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    logging.getLogger("ray").setLevel(logging.ERROR)   # build --ray: Ray's and Ray Data's notes on each run
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

    build = commands.add_parser("build", help="index a folder of papers (PDF, office, text, Markdown, HTML)")
    build.add_argument("corpus_dir", type=Path)
    build.add_argument("--index", type=Path, required=True, help="index folder to create or update")
    build.add_argument("--quiet", action="store_true", help="no progress bar")
    build.add_argument("--model", choices=list(MODELS), default=DEFAULT_MODEL,
                       help=f"embedding model (default {DEFAULT_MODEL}); a change rebuilds everything")
    build.add_argument("--if-stale", action="store_true",
                       help="only build when the index is missing or out of date with this corpus")
    build.add_argument("--approximate-above", type=int, default=APPROXIMATE_ABOVE, metavar="N",
                       help=f"above N passages use an approximate vector index (default {APPROXIMATE_ABOVE:,})")
    build.add_argument("--include-exempt", action="store_true",
                       help="also index pages marked exempt or confidential (for an internal deployment only)")
    build.add_argument("--backend", metavar="URL",
                       help="also write the passages into Milvus (milvus://HOST:PORT[/COLLECTION]), which then serves "
                            "the index's searches; 'local': the embedded index only (default: as the index was built)")
    build.add_argument("--convert-timeout", type=float, default=CONVERT_TIMEOUT, metavar="SECONDS",
                       help=f"stop converting an office file to PDF after this long and skip it (default {CONVERT_TIMEOUT})")
    build.add_argument("--ray", nargs="?", const="auto", metavar="ADDRESS",
                       help="parse and embed with Ray Data: on the cluster whose head is at ADDRESS (HOST:6379), "
                            "or, given alone, on a Ray instance started here for the build")
    build.set_defaults(run=_build)

    search = commands.add_parser("search", help="search an index")
    search.add_argument("index_dir", type=Path)
    search.add_argument("query", nargs="?", help="free text")
    search.add_argument("-k", type=int, default=10, help="number of passages (default 10)")
    search.add_argument("--json", action="store_true", help="one JSON object per hit per line")
    search.add_argument("--queries", type=Path, help="file with one query per line")
    retrieval_arguments(search)
    filter_arguments(search)
    backend_argument(search)
    search.set_defaults(run=_search)

    decisions = commands.add_parser("decisions", help="list the resolutions found in minutes")
    decisions.add_argument("index_dir", type=Path)
    decisions.add_argument("--query", help="only decisions about this, most relevant first")
    decisions.add_argument("--json", action="store_true", help="one JSON object per decision per line")
    decisions.add_argument("--limit", type=int, help="at most this many")
    decisions.add_argument("--history", action="store_true",
                           help="the decisions on the --query topic across meetings and years, oldest first")
    decisions.add_argument("--outcome", action="append", choices=OUTCOMES, help="only this outcome (repeatable)")
    decisions.add_argument("--compare", action="store_true",
                           help="set each resolution beside the report's recommendation behind it, where one is indexed")
    filter_arguments(decisions, doc_type=False)
    decisions.set_defaults(run=_decisions)

    ask = commands.add_parser("ask", help="answer a question from the papers, with its citation")
    ask.add_argument("index_dir", type=Path)
    ask.add_argument("question")
    ask.add_argument("-k", type=int, default=5, help="supporting passages to show (default 5)")
    ask.add_argument("--json", action="store_true", help="one JSON object: answer, citation, hits")
    filter_arguments(ask)
    backend_argument(ask)
    ask.set_defaults(run=_ask)

    add_measure_commands(commands)

    info = commands.add_parser("info", help="what an index holds")
    info.add_argument("index_dir", type=Path)
    info.set_defaults(run=_info)

    add_source_commands(commands)
    return parser


def _build(args) -> int:
    if args.if_stale:
        status = index_status(args.corpus_dir, args.index, args.model, args.include_exempt)
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
        report = build_index(args.corpus_dir, args.index, model=args.model,
                             progress=progress if bar is not None else None,
                             approximate_above=args.approximate_above, include_exempt=args.include_exempt,
                             convert_timeout=args.convert_timeout, backend=args.backend, ray=args.ray)
    finally:
        if bar is not None:
            bar.close()
    print(format_report(report, args.index))
    alerts = alerts_after_build(args.index)
    if alerts:
        print(alerts)
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
    lines.append(f"Time: {report.parse_seconds:.1f} s reading and parsing files (of it {report.convert_seconds:.1f} s "
                 f"converting office files to PDF), {report.embed_seconds:.1f} s embedding; "
                 f"vector index {report.vector_index}.")
    if report.backend:
        lines.append(f"Milvus {report.backend}: {report.backend_written} documents written, "
                     f"{report.backend_removed} removed, the rest already there ({report.backend_seconds:.1f} s).")
    lines.append("By format (files indexed, pages, passages, files skipped):")
    lines += [f"  {name}: {c.files} files, {c.pages} pages, {c.chunks} passages" + (f", {c.skipped} skipped" if c.skipped else "")
              for name, c in sorted(report.formats.items(), key=lambda kv: (-kv[1].files, -kv[1].skipped, kv[0]))]
    if report.removed_files:
        lines.append("Removed (no longer in the corpus): " + ", ".join(report.removed_files))
    lines.append(f"Skipped files: {len(report.skipped_files)}")
    lines += [f"  {path}: {reason}" for path, reason in report.skipped_files]
    lines.append(f"Withheld as exempt or confidential: {len(report.withheld_pages)} pages")
    lines += [f"  {path}: pages {_ranges(pages)} ({marking})" for (path, marking), pages in _by_file(report.withheld_pages)]
    lines.append(f"Scanned pages read by OCR: {report.ocr_pages}"
                 + (f" ({report.ocr_seconds:.1f} s for those read in this run)" if report.ocr_seconds else ""))
    lines.append(f"Pages without text: {len(report.skipped_pages)} ({report.scanned_pages} scanned, not read)")
    lines += [f"  {path}: pages {_ranges(pages)} ({reason})" for (path, reason), pages in _by_file(report.skipped_pages)]
    lines.append(f"Copies indexed once: {len(report.copies)}")
    lines += [f"  {path}: {same} as {original}" for path, original, same in report.copies]
    return "\n".join(lines)


def _by_file(pages: list[tuple[str, int, str]]) -> list[tuple[tuple[str, str], list[int]]]:
    """(path, page, reason) rows grouped by file and reason, in order."""
    grouped: dict[tuple[str, str], list[int]] = {}
    for path, page, reason in pages:
        grouped.setdefault((path, reason), []).append(page)
    return list(grouped.items())


def _search(args) -> int:
    if bool(args.query) == bool(args.queries):
        print("error: give either a query or --queries FILE", file=sys.stderr)
        return 2
    index = open_index(args.index_dir, backend=args.backend)
    filters = filters_of(args)
    if args.queries and not args.queries.is_file():
        raise BadQuery(f"no queries file at {args.queries}")
    if args.queries:
        queries = [line.strip() for line in args.queries.read_text(encoding="utf-8").splitlines() if line.strip()]
    else:
        queries = [args.query]
    results = index.search_many(queries, args.k, filters, mode=args.mode, rerank=args.rerank) if queries else []
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
        print(f"   {hit.location} - {hit.doc_path}"
              + (" (read by OCR from a scan)" if hit.ocr else ""))
        if hit.copies:
            print(f"   Also published as: {'; '.join(hit.copies)}")
        if hit.source_url:
            print(f"   On the council's site: {hit.source_url}")
        text = " ".join(hit.text.split())
        print(f"   {text[:400]}{'...' if len(text) > 400 else ''}\n")


def _decisions(args) -> int:
    return decisions_command(args, filters_of(args))


def _ask(args) -> int:
    answer = ask(open_index(args.index_dir, backend=args.backend), args.question, k=args.k, filters=filters_of(args))
    if args.json:
        print(json.dumps(answer.to_json(), ensure_ascii=False))
        return 0
    if answer.text is None:
        print(answer.note + "\n")
        if answer.closest:
            print(f"Closest to an answer, to check on the page: {answer.closest}")
            print(f"  -- {answer.closest_in.citation}\n")
    elif answer.decision:
        print("Decided:\n")
        print("\n".join(describe_decision(part) for part in answer.decision) + "\n")
        print(answer.confidence_words + "\n")
    else:
        print(answer.text)
        print(f"  -- {answer.citation.citation}")
        print(answer.confidence_words + "\n")
    if answer.hits:
        print("Supporting passages:")
        _print_hits(args.question, answer.hits, show_query=False)
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
    print("Formats (files indexed, pages, passages, files skipped):")
    for name, (files, pages, passages, skipped) in info.formats.items():
        print(f"  {name}: {files} files, {pages} pages, {passages} passages" + (f", {skipped} skipped" if skipped else ""))
    print(f"Skipped files: {len(info.skipped_files)}")
    for path, reason in info.skipped_files:
        print(f"  {path}: {reason}")
    print(f"Pages without text: {len(info.skipped_pages)}")
    for path, page, reason in info.skipped_pages:
        print(f"  {path} p. {page}: {reason}")
    print(f"Scanned pages read by OCR: {len(info.ocr_pages)} ({info.ocr_engine or 'no OCR program found'})")
    for (path, _), pages in _by_file([(path, page, "") for path, page in info.ocr_pages]):
        print(f"  {path}: pages {_ranges(pages)}")
    print(f"Copies indexed once: {len(info.copies)}")
    for path, original, same in info.copies:
        print(f"  {path}: {same} as {original}")
    if info.include_exempt:
        print(f"INCLUDES EXEMPT MATERIAL: built with --include-exempt ({info.exempt_included} marked pages indexed)")
    print(f"Withheld as exempt or confidential: {len(info.withheld_pages)} pages")
    for (path, marking), pages in _by_file(info.withheld_pages):
        print(f"  {path}: pages {_ranges(pages)} ({marking})")
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
