"""Options several commands share: retrieval mode, where the index lives, and the filters."""

from __future__ import annotations

import argparse

from .find.search import DEFAULT_RERANK, MODES
from .records import Filters, make_filters


def retrieval_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--mode", choices=MODES, default="hybrid",
                        help="hybrid (default): keyword and semantic fused; keyword: exact words; dense: meaning only")
    parser.add_argument("--rerank", action=argparse.BooleanOptionalAction, default=DEFAULT_RERANK,
                        help="re-score the top passages with a cross-encoder")


def backend_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--backend", metavar="URL",
                        help="search here instead of where the index was built to: milvus://HOST:PORT[/COLLECTION], "
                             "or 'local' for the embedded index")


def filter_arguments(parser: argparse.ArgumentParser, doc_type: bool = True) -> None:
    parser.add_argument("--body", action="append", help="only this body (repeatable; part of the name is enough)")
    if doc_type:
        parser.add_argument("--doc-type", action="append", help="only this document type (repeatable)")
    parser.add_argument("--from", dest="date_from", help="meetings on or after YYYY-MM-DD")
    parser.add_argument("--to", dest="date_to", help="meetings on or before YYYY-MM-DD")
    parser.add_argument("--path", action="append", help="only documents under this path in the corpus (repeatable)")


def filters_of(args) -> Filters:
    return make_filters(args.body, getattr(args, "doc_type", None), args.date_from, args.date_to, args.path)
