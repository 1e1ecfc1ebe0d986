"""The benchmark: ingest speed, search latency at four sizes, memory, and approximate-index recall.

    python -m indexer bench [--quick]
    python -m indexer bench --realdata-index /tmp/idx_all --synthetic 100000 --backend milvus://127.0.0.1:19530

Sizes: the demo corpus; the PDFs of ../shared/realdata (a fixed subset with --quick);
and, without --quick, synthetic 100k and 1M-passage indexes grown from the real one
(see synthetic.py). Each index is searched in a fresh process, so the memory it
reports is what loading that index and the models costs. Results are printed as
a Markdown table and written to bench/results.json.

With --backend, the realdata index and the synthetic sizes up to MILVUS_MAX passages are also
written into that Milvus server, each into a collection of its own (bench_realdata,
bench_synthetic_100k, dropped first), by the build's own MilvusSync, and searched through it
without reranking (the cross-encoder is the same either way): the Milvus table.
--realdata-index searches and grows from an index already built from realdata instead of
building it again (a copy, so the given folder is left as it is).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import platform
import resource
import shutil
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import numpy as np

from ..errors import IndexerError
from .stats import percentile

QUICK_FILES = 24               # every n-th paper of realdata, for a subset that mixes its sources
RAW_ENCODER_SAMPLE = 768       # passages the bare encoder is timed on
SYNTHETIC_SIZES = (100_000, 1_000_000)
SEARCHES = (("keyword", "keyword", False), ("dense", "dense", False), ("hybrid", "hybrid", False),
            ("hybrid+rerank", "hybrid", True))
MILVUS_SEARCHES = tuple(search for search in SEARCHES if not search[2])
MILVUS_MAX = 100_000           # the largest size written into Milvus (its collection's vector index is exact)


@dataclass
class IngestResult:
    corpus: str
    files: int
    pages: int
    chunks: int
    seconds: float
    parse_seconds: float
    embed_seconds: float
    pages_per_s_parsing: float       # text extraction and parsing alone (OCR not included)
    ocr_pages: int                   # scanned pages read by OCR
    ocr_seconds: float               # reading them (part of the build's time)
    chunks_per_s: float              # the whole build, end to end
    raw_encoder_chunks_per_s: float  # the bare encoder on the same passages
    overhead: float                  # raw encoder speed / whole-build speed
    peak_rss_mb: float


@dataclass
class SearchResult:
    size: str
    chunks: int
    vector_index: str
    disk_mb: float
    rss_after_load_mb: float
    latency_ms: dict[str, dict[str, float]] = field(default_factory=dict)  # search -> {"p50", "p95"}
    recall_at_10: float | None = None       # approximate dense top 10 against exact search
    exact_dense_ms: dict[str, float] | None = None  # exact search at this size, for the threshold
    build_seconds: float | None = None


@dataclass
class MilvusResult:
    size: str
    chunks: int
    collection: str
    write_seconds: float                     # MilvusSync writing every passage into an empty collection
    latency_ms: dict[str, dict[str, float]]  # search -> {"p50", "p95"}, through Milvus


class BenchError(IndexerError):
    """The benchmark cannot run: its data is not there."""


def quick_subset(files: list[Path]) -> list[Path]:
    """The first file of each format a reader reads, then every n-th paper up to QUICK_FILES."""
    from ..readers import READERS

    papers = [f for f in files if f.suffix.lower() in READERS]
    first = {}
    for f in papers:
        first.setdefault(f.suffix.lower(), f)
    rest = [f for f in papers[:: max(1, len(papers) // QUICK_FILES)] if f not in first.values()]
    return sorted([*first.values(), *rest][:max(QUICK_FILES, len(first))])


def run(quick: bool, realdata: Path, questions_file: Path, demo_corpus: Path, work: Path, out: Path,
        say: Callable[[str], None] = lambda line: None, *, backend: str | None = None,
        realdata_index: Path | None = None, synthetic_sizes: tuple[int, ...] = SYNTHETIC_SIZES) -> dict:
    """realdata: a folder of real papers; demo_corpus: the demo pack's folder; work: scratch space for indexes.
    backend: a Milvus server (milvus://HOST:PORT) to search the realdata and synthetic sizes up to MILVUS_MAX
    through as well; realdata_index: an index built from realdata, searched and grown from instead of building
    one; synthetic_sizes: the synthetic indexes to grow (without quick)."""
    from ..readers import find_files
    from .evaluate import load_questions

    started = time.perf_counter()
    if not realdata.is_dir():
        raise BenchError(f"{realdata} is not there; the benchmark reads its papers (give --realdata FOLDER)")
    if realdata_index is not None and not (realdata_index / "manifest.json").is_file():
        raise BenchError(f"{realdata_index} is not a built index (no manifest.json); build it with: "
                         f"python -m indexer build {realdata} --index {realdata_index}")
    server = _milvus_server(backend) if backend else None
    questions = [q.q for q in load_questions(questions_file)]
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    subset = quick_subset(find_files(realdata))
    corpora = [("realdata subset", _linked_corpus(realdata, subset, work / "subset"))]
    if not quick and realdata_index is None:
        corpora.append(("realdata", realdata))

    ingests, built = [], {}
    for name, corpus in corpora:
        say(f"ingest: building {name} ({len(find_files(corpus))} files)...")
        result, index_dir = _in_fresh_process(_ingest, name, corpus, work / name.replace(" ", "-"))
        ingests.append(result)
        built[name] = index_dir
        say(f"  {result.chunks} chunks in {result.seconds:.0f} s, {result.chunks_per_s:.1f} chunks/s "
            f"(bare encoder {result.raw_encoder_chunks_per_s:.1f}), peak RSS {result.peak_rss_mb:.0f} MB")

    if not quick and realdata_index is not None:
        say(f"realdata: copying the index at {realdata_index}...")
        built["realdata"] = work / "realdata"
        shutil.copytree(realdata_index, built["realdata"], ignore=shutil.ignore_patterns("converted"))

    say("demo: building the demo corpus...")
    _, built["demo"] = _in_fresh_process(_ingest, "demo", demo_corpus, work / "demo", False)
    real = "realdata subset" if quick else "realdata"
    sizes = [("demo", built["demo"], None), (real, built[real], None)]
    if not quick:
        from ..index.embedding import DEFAULT_MODEL, Embedder
        from .synthetic import grow

        probes = Embedder(DEFAULT_MODEL).encode_queries(questions)
        for count in synthetic_sizes:
            name = f"synthetic {count // 1000}k" if count < 1_000_000 else f"synthetic {count // 1_000_000}M"
            say(f"{name}: growing it from the realdata index...")
            grown = grow(built["realdata"], work / name.replace(" ", "-"), count, probes)
            say(f"  written in {grown.seconds:.0f} s ({grown.vector_index})")
            sizes.append((name, grown.index_dir, grown))

    searches = []
    for name, index_dir, grown in sizes:
        say(f"search: {name}...")
        result = _in_fresh_process(_search, name, index_dir, questions,
                                   grown.exact_top10 if grown is not None else None)
        if grown is not None:
            result.exact_dense_ms = _percentiles(grown.exact_ms)
            result.build_seconds = round(grown.seconds, 1)
        searches.append(result)
        say("  " + ", ".join(f"{k} p95 {v['p95']:.0f} ms" for k, v in result.latency_ms.items()))

    through_milvus = []
    for (name, index_dir, _), searched in zip(sizes, searches) if server else ():
        if name == "demo" or searched.chunks > MILVUS_MAX:
            continue
        url = f"{server}/bench_{name.replace(' ', '_')}"
        say(f"Milvus: writing {name} into {url}...")
        seconds = _in_fresh_process(_into_milvus, index_dir, url)
        result = _in_fresh_process(_search_milvus, name, index_dir, url, questions)
        result.write_seconds = round(seconds, 1)
        through_milvus.append(result)
        say(f"  written in {seconds:.0f} s; " + ", ".join(f"{k} p95 {v['p95']:.0f} ms"
                                                        for k, v in result.latency_ms.items()))

    command = ["python -m indexer bench"] + (["--quick"] if quick else [])
    if realdata_index is not None:
        command.append(f"--realdata-index {realdata_index}")
    if not quick and tuple(synthetic_sizes) != SYNTHETIC_SIZES:
        command += [f"--synthetic {count}" for count in synthetic_sizes]
    if backend:
        command.append(f"--backend {backend}")
    results = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "command": " ".join(command),
        "machine": _machine(),
        "questions": len(questions),
        "seconds": round(time.perf_counter() - started, 1),
        "ingest": [asdict(r) for r in ingests],
        "search": [asdict(r) for r in searches],
        "milvus": [asdict(r) for r in through_milvus],
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    say(markdown(results))
    say(f"Written to {out}")
    return results


def markdown(results: dict) -> str:
    """The results as the Markdown tables BENCHMARKS.md holds."""
    lines = [f"{results['command']}: {results['date']}, {results['machine']['cores']} cores, "
             f"{results['machine']['memory_gb']} GB RAM, {results['machine']['cpu']}; "
             f"{results['questions']} questions; {results['seconds']:.0f} s in all.", "",
             "| ingest | files | pages | chunks | parsing pages/s | OCR pages | OCR s | build chunks/s "
             "| bare encoder chunks/s | overhead | peak RSS MB |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results["ingest"]:
        lines.append(f"| {r['corpus']} | {r['files']} | {r['pages']} | {r['chunks']} | {r['pages_per_s_parsing']:.1f} "
                     f"| {r.get('ocr_pages', 0)} | {r.get('ocr_seconds', 0):.0f} | {r['chunks_per_s']:.1f} | {r['raw_encoder_chunks_per_s']:.1f} | {r['overhead']:.2f} "
                     f"| {r['peak_rss_mb']:.0f} |")
    names = [name for name, *_ in SEARCHES]
    lines += ["", "| size | chunks | vector index | disk MB | RSS after load MB | "
              + " | ".join(f"{n} p50/p95 ms" for n in names) + " | dense recall@10 | exact dense p50/p95 ms |",
              "|---|---|---|---|---|" + "---|" * len(names) + "---|---|"]
    for r in results["search"]:
        cells = [f"{r['latency_ms'][n]['p50']:.0f} / {r['latency_ms'][n]['p95']:.0f}" for n in names]
        recall = f"{r['recall_at_10']:.3f}" if r["recall_at_10"] is not None else "exact"
        exact = (f"{r['exact_dense_ms']['p50']:.0f} / {r['exact_dense_ms']['p95']:.0f}"
                 if r["exact_dense_ms"] else "-")
        lines.append(f"| {r['size']} | {r['chunks']:,} | {r['vector_index']} | {r['disk_mb']:.0f} "
                     f"| {r['rss_after_load_mb']:.0f} | " + " | ".join(cells) + f" | {recall} | {exact} |")
    if results.get("milvus"):
        embedded = {r["size"]: r["latency_ms"] for r in results["search"]}
        names = [name for name, *_ in MILVUS_SEARCHES]
        lines += ["", "| size | chunks | Milvus collection | written in s | "
                  + " | ".join(f"{n} p50/p95 ms, embedded / Milvus" for n in names) + " |",
                  "|---|---|---|---|" + "---|" * len(names)]
        for r in results["milvus"]:
            cells = [f"{embedded[r['size']][n]['p50']:.0f} / {embedded[r['size']][n]['p95']:.0f} against "
                     f"{r['latency_ms'][n]['p50']:.0f} / {r['latency_ms'][n]['p95']:.0f}" for n in names]
            lines.append(f"| {r['size']} | {r['chunks']:,} | {r['collection']} | {r['write_seconds']:.0f} | "
                         + " | ".join(cells) + " |")
    return "\n".join(lines)


def _ingest(name: str, corpus: Path, index_dir: Path, time_encoder: bool = True):
    """Build one index (in its own process) and time the bare encoder on the same passages."""
    from ..index.build import build_index
    from ..index.embedding import Embedder

    embedder = Embedder()
    embedder.encode_passages(["warm up"])
    report = build_index(corpus, index_dir, embedder=embedder)
    # this process, plus the parsing process it started (both peaks, so an upper bound)
    peak = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    raw = 0.0
    if time_encoder:
        texts = _embedded_texts(index_dir, RAW_ENCODER_SAMPLE)
        begun = time.perf_counter()
        for start in range(0, len(texts), 64):
            embedder.encode_passages(texts[start:start + 64])
        raw = len(texts) / (time.perf_counter() - begun)
    rate = report.chunks / report.seconds
    result = IngestResult(
        corpus=name, files=report.documents + len(report.skipped_files) + len(report.copies), pages=report.pages,
        chunks=report.chunks, seconds=round(report.seconds, 1), parse_seconds=round(report.parse_seconds, 1),
        embed_seconds=round(report.embed_seconds, 1),
        pages_per_s_parsing=round((report.pages - report.ocr_pages)
                                  / max(report.parse_seconds - report.ocr_seconds, 1e-9), 1),
        ocr_pages=report.ocr_pages, ocr_seconds=round(report.ocr_seconds, 1),
        chunks_per_s=round(rate, 2), raw_encoder_chunks_per_s=round(raw, 2),
        overhead=round(raw / rate, 3) if raw else 0.0, peak_rss_mb=round(peak, 1),
    )
    return result, index_dir


def _embedded_texts(index_dir: Path, limit: int) -> list[str]:
    """What the build gave the encoder (embed.embedding_text) for an even sample of the passages."""
    from ..backends.local import LocalBuild
    from ..index.embed import with_context

    build = LocalBuild(index_dir)
    rows = build.catalog.embedding_contexts()
    build.close()
    step = max(1, len(rows) // limit)
    return [with_context(context, text) for context, text in rows[::step][:limit]]


def _search(name: str, index_dir: Path, questions: list[str], exact_top10: np.ndarray | None) -> SearchResult:
    """Open one index in this (fresh) process and time every kind of search over the questions."""
    from .. import open_index
    from ..backends.vectors import search_parameters

    index = open_index(index_dir)
    for _, mode, rerank in SEARCHES:
        index.search("warm up the models", k=10, mode=mode, rerank=rerank)
    rss = _rss_mb()
    latency = _latencies(index, SEARCHES, questions)
    recall = None
    if exact_top10 is not None and index.manifest.faiss_index != "IndexFlatIP":
        probes = index.models.embedder(index.manifest.model).encode_queries(questions)
        vectors = index.build.vectors
        found = vectors.search(probes, 10, params=search_parameters(vectors))[1]
        recall = float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(found, exact_top10)]))
    disk = sum(f.stat().st_size for f in Path(index_dir).iterdir() if f.is_file()) / 2**20
    return SearchResult(name, index.build.count(), index.manifest.faiss_index, round(disk, 1),
                        round(rss, 1), latency, recall)


def _latencies(index, searches, questions: list[str]) -> dict:
    """label -> percentiles of the milliseconds each question took, for each (label, mode, rerank) search."""
    latency = {}
    for label, mode, rerank in searches:
        timings = []
        for question in questions:
            begun = time.perf_counter()
            index.search(question, k=10, mode=mode, rerank=rerank)
            timings.append((time.perf_counter() - begun) * 1000)
        latency[label] = _percentiles(timings)
    return latency


def _milvus_server(url: str) -> str:
    """milvus://HOST:PORT of a --backend URL (a collection named in it is not used: each size has its own), once
    the server answers, so that a server not there stops the benchmark before it builds anything."""
    from ..backends.milvus_sync import MilvusAddress, calling, connect

    address = MilvusAddress.parse(url)
    client = connect(address)
    with calling(address):
        client.list_collections()
    client.close()
    return f"milvus://{address.host}:{address.port}"


def _into_milvus(index_dir: Path, url: str) -> float:
    """Write a published index's passages into the collection at url, emptied first, as a build with --backend
    does (MilvusSync, which also writes the folder's milvus-keys.json); the seconds it took."""
    from ..backends.local import LocalBuild
    from ..backends.milvus_sync import MilvusAddress, MilvusSync, calling, connect

    address = MilvusAddress.parse(url)
    client = connect(address)
    with calling(address):
        if client.has_collection(address.collection):
            client.drop_collection(address.collection)
    client.close()
    build = LocalBuild(index_dir)
    try:
        sync = MilvusSync(url, build.manifest.model, build.manifest.dimension)
        sync.sync(Path(index_dir), build.vectors)
        sync.client.close()
    finally:
        build.close()
    return sync.seconds


def _search_milvus(name: str, index_dir: Path, url: str, questions: list[str]) -> MilvusResult:
    """Open the index through the collection at url in this (fresh) process and time each search without reranking."""
    from .. import open_index

    index = open_index(index_dir, backend=url)
    try:
        for _, mode, rerank in MILVUS_SEARCHES:
            index.search("warm up the models", k=10, mode=mode, rerank=rerank)
        latency = _latencies(index, MILVUS_SEARCHES, questions)
        return MilvusResult(name, index.build.count(), index.build.address.collection, 0.0, latency)
    finally:
        index.close()


def _percentiles(values: list[float]) -> dict[str, float]:
    return {"p50": percentile(values, 50), "p95": percentile(values, 95)}


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _in_fresh_process(function, *args):
    """Run function(*args) in a new Python process, so its memory is its own."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(function, *args).result()


def _linked_corpus(root: Path, files: list[Path], folder: Path) -> Path:
    """A folder of links to some files of root, keeping their relative paths."""
    for path in files:
        link = folder / path.relative_to(root)
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(path.resolve())
    return folder


def _machine() -> dict:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown CPU")
    return {"cores": os.cpu_count(), "memory_gb": round(memory, 1), "cpu": cpu, "python": platform.python_version()}
