"""python -m indexer eval | bench | load: search and answer quality on questions with known answers, the
decisions register on annotated minutes, speed and memory at several sizes, and throughput under load."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .cli_options import backend_argument
from .errors import BadQuery
from .find.index import open_index
from .find.search import MODES
from .measure.decision_gold import evaluate_decisions, load_gold
from .measure.evaluate import by_group, evaluate, evaluate_answers, groups_of, load_questions, only
from .measure.report import RETRIEVAL_HEADER, answer_lines, decision_lines, retrieval_json, retrieval_lines

# The project's own files and the shared data beside it, for the measuring commands run from the project folder.
DEMO_CORPUS, APP = Path("corpus"), Path("app.py")
REALDATA = Path("../shared/realdata")
EVAL_QUESTIONS = (Path("../shared/eval/dev_questions.jsonl"), Path("eval/realdata_questions.jsonl"))


def add_commands(commands) -> None:
    evaluate = commands.add_parser("eval", help="measure search quality on questions with known answers")
    evaluate.add_argument("questions", type=Path, nargs="*",
                          help='JSON lines: {"id", "q", "a": [answer strings]}; several sets are reported each apart')
    evaluate.add_argument("--decisions", type=Path, metavar="GOLD",
                          help="instead, score the decisions register on annotated minutes (JSON lines, DECISIONS_GOLD.md)")
    evaluate.add_argument("--index", type=Path, required=True)
    evaluate.add_argument("-k", type=int, default=10)
    evaluate.add_argument("--mode", choices=[*MODES, "all"], default="all", help="retrieval mode (default: all)")
    evaluate.add_argument("--rerank", choices=["on", "off", "both"], default="both",
                          help="cross-encoder reranking (default: both)")
    evaluate.add_argument("--only", action="append", metavar="FIELD=VALUE",
                          help="only the questions with this field value, e.g. kind=decision (repeatable)")
    evaluate.add_argument("--answers", action="store_true",
                          help="also measure `ask`: answers holding an answer string, wrong answers, declines")
    evaluate.add_argument("--off-topic", type=Path, default=Path("eval/off_topic.jsonl"), metavar="FILE",
                          help="with --answers: questions the papers cannot answer, which should be declined"
                               " (default eval/off_topic.jsonl)")
    evaluate.add_argument("--json", action="store_true", help="print everything measured as one JSON object")
    evaluate.add_argument("--by", metavar="FIELD",
                          help="also report each group of questions by this field of theirs (source, kind)")
    backend_argument(evaluate)
    evaluate.set_defaults(run=_eval)

    bench = commands.add_parser("bench", help="measure ingest and search speed, memory and recall")
    bench.add_argument("--quick", action="store_true",
                       help="the demo corpus and a fixed subset of realdata only (a few minutes)")
    bench.add_argument("--realdata", type=Path, default=REALDATA, help=f"folder of papers (default {REALDATA})")
    bench.add_argument("--questions", type=Path, default=EVAL_QUESTIONS[0],
                       help="JSON lines questions (default ../shared/eval/dev_questions.jsonl)")
    bench.add_argument("--out", type=Path, default=Path("bench/results.json"))
    bench.add_argument("--work", type=Path, default=Path("bench/work"), help="scratch folder for the indexes")
    bench.add_argument("--realdata-index", type=Path, metavar="DIR",
                       help="an index already built from --realdata: searched and grown from (a copy) instead of "
                            "building realdata again")
    bench.add_argument("--synthetic", type=int, action="append", metavar="PASSAGES",
                       help="a synthetic size to grow and search (repeatable; default 100000 and 1000000)")
    bench.add_argument("--backend", metavar="URL",
                       help="also write the realdata and synthetic indexes up to 100k passages into this Milvus "
                            "server (milvus://HOST:PORT, a collection each) and time search through it")
    bench.set_defaults(run=_bench)

    load = commands.add_parser("load", help="measure the search under concurrent clients (library and app)")
    load.add_argument("--clients", type=int, default=16, help="concurrent clients (default 16)")
    load.add_argument("--seconds", type=float, default=60, help="seconds each target runs (default 60)")
    load.add_argument("--index", type=Path, default=Path("index"), help="index folder (default index)")
    load.add_argument("--target", choices=["api", "app", "both"], default="both",
                      help="the library API, the running Streamlit app, or both (default)")
    load.add_argument("--questions", type=Path, action="append",
                      help="JSON lines questions (repeatable; default the evaluation sets)")
    load.add_argument("--out", type=Path, default=Path("bench/load.json"), help="JSON results (default bench/load.json)")
    backend_argument(load)
    load.set_defaults(run=_load)


def _eval(args) -> int:
    if args.decisions:
        return _eval_decisions(args)
    if not args.questions:
        raise BadQuery("give a questions file, or --decisions GOLD.jsonl")
    sets = []
    for path in args.questions:
        questions = only(load_questions(path), args.only)
        if not questions:
            raise BadQuery(f"no question in {path} has {' and '.join(args.only)}")
        sets.append((path, questions))
    off_topic = load_questions(args.off_topic, answered=False) if args.answers and args.off_topic.is_file() else []
    index = open_index(args.index, backend=args.backend)
    modes = MODES if args.mode == "all" else (args.mode,)
    reranks = {"on": (True,), "off": (False,), "both": (False, True)}[args.rerank]
    report = {"index": str(args.index), "k": args.k, "sets": []}
    for path, questions in sets:
        report["sets"].append(_eval_set(index, path, questions, modes, reranks, args))
    if off_topic:
        a = evaluate_answers(index, off_topic)
        report["off_topic"] = {"file": str(args.off_topic), "questions": len(off_topic),
                               "declined": round(a.share("declined"), 3), "answered_ids": a.ids("wrong")}
        if not args.json:
            print(f"off-topic ({args.off_topic}): declined {a.share('declined'):.2f} of {len(off_topic)}"
                  + (f"; answered: {', '.join(a.ids('wrong'))}" if a.ids("wrong") else ""))
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0


def _eval_set(index, path: Path, questions: list, modes, reranks, args) -> dict:
    """One question set: retrieval for each mode, then (--answers) what `ask` answers; printed unless --json."""
    say = (lambda text: None) if args.json else print
    result = {"file": str(path), "questions": len(questions), "retrieval": []}
    say(f"{len(questions)} questions from {path}, index {args.index}, top {args.k}")
    say(RETRIEVAL_HEADER)
    for mode in modes:
        for rerank in reranks:
            r = evaluate(index, questions, k=args.k, mode=mode, rerank=rerank)
            groups = by_group(questions, r, args.by) if args.by else {}
            for line in retrieval_lines(mode, rerank, r, args.by, groups):
                say(line)
            result["retrieval"].append(retrieval_json(mode, rerank, r, groups))
    if args.answers:
        a = evaluate_answers(index, questions)
        asked = groups_of(questions, args.by) if args.by else {}
        for line in answer_lines(a, args.by, asked):
            say(line)
        result["answers"] = a.to_json()
        if asked:
            result["answers"]["by"] = {name: a.to_json(ids) for name, ids in asked.items()}
    return result


def _eval_decisions(args) -> int:
    gold = load_gold(args.decisions)
    scores = evaluate_decisions(open_index(args.index), gold)
    print(f"{len(gold)} gold decisions from {args.decisions}, index {args.index}")
    for line in decision_lines(scores):
        print(line)
    return 0


def _bench(args) -> int:
    from .measure import bench

    if args.synthetic and min(args.synthetic) < 1:
        print("error: --synthetic takes a number of passages", file=sys.stderr)
        return 2
    bench.run(args.quick, args.realdata, args.questions, DEMO_CORPUS, args.work, args.out,
              say=lambda line: print(line, flush=True), backend=args.backend, realdata_index=args.realdata_index,
              synthetic_sizes=tuple(args.synthetic or bench.SYNTHETIC_SIZES))
    return 0


def _load(args) -> int:
    from .measure import load

    if args.clients < 1 or args.seconds <= 0:
        print("error: --clients and --seconds must be positive", file=sys.stderr)
        return 2
    missing = [str(path) for path in args.questions or () if not path.is_file()]
    if missing:
        print(f"error: no questions file at {', '.join(missing)}", file=sys.stderr)
        return 2
    questions = load.questions_from(args.questions or list(EVAL_QUESTIONS))
    targets = load.TARGETS if args.target == "both" else (args.target,)
    if args.backend and "app" in targets:
        print("error: --backend applies to --target api; the app searches where the index's manifest says "
              "(build the index with --backend to change it)", file=sys.stderr)
        return 2
    results = load.run(args.index, APP, questions, args.clients, args.seconds, targets,
                       say=lambda line: print(line, flush=True), backend=args.backend)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps([r.to_json() for r in results], indent=2) + "\n", encoding="utf-8")
    print(load.markdown(results))
    print(f"Written to {args.out}")
    return 1 if any(r.errors for r in results) else 0
