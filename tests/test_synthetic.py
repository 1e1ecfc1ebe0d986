"""The benchmark's synthetic sizes: an index grown from a real one opens and searches like one, and through
Milvus (bench --backend) as it does embedded."""

from test_milvus import milvus  # noqa: F401  (the milvus-lite server fixture)

from indexer.find.index import open_index
from indexer.measure import bench
from indexer.measure.synthetic import grow


def test_a_grown_index_holds_copies_of_every_passage_and_decision(demo_index, tmp_path):
    source = open_index(demo_index.index_dir)
    passages, decisions = source.build.count(), len(source.decisions())
    grown = grow(demo_index.index_dir, tmp_path / "grown", passages * 3 - 1)
    index = open_index(grown.index_dir)
    assert index.build.count() == passages * 3 - 1
    copied = index.decisions()
    assert decisions * 2 < len(copied) <= decisions * 3
    groups = {}
    for record in copied:
        groups.setdefault(record.group, []).append(record.part)
    assert all(sorted(parts) == list(range(len(parts))) for parts in groups.values())   # each copy's group whole
    hits = index.search("What was resolved about the forward plan?", k=5, rerank=False)
    assert len(hits) == 5 and all(hit.doc_path.startswith("synthetic/") for hit in hits)


def test_the_benchmark_writes_a_grown_index_into_milvus_and_times_search_through_it(demo_index, milvus,  # noqa: F811
                                                                                      tmp_path):
    passages = demo_index.build.count()
    grown = grow(demo_index.index_dir, tmp_path / "grown", passages * 2)
    url = f"{milvus}/bench_synthetic"
    bench._into_milvus(grown.index_dir, url)
    bench._into_milvus(grown.index_dir, url)   # a second run empties the collection and writes it whole again
    result = bench._search_milvus("synthetic", grown.index_dir, url, ["forward plan", "outbreak control"])
    assert (result.chunks, result.collection) == (passages * 2, "bench_synthetic")
    assert set(result.latency_ms) == {"keyword", "dense", "hybrid"}
    question = "What was resolved about the forward plan?"
    served, embedded = open_index(grown.index_dir, backend=url), open_index(grown.index_dir)
    assert type(served.build).__name__ == "MilvusBuild" and type(embedded.build).__name__ == "LocalBuild"
    for mode in ("dense", "keyword", "hybrid"):
        assert served.search(question, k=1, mode=mode, rerank=False)[0].passage_id == \
            embedded.search(question, k=1, mode=mode, rerank=False)[0].passage_id, mode
    served.close()
    embedded.close()


def test_the_benchmark_table_gains_a_milvus_row():
    latency = {name: {"p50": 10.0, "p95": 20.0} for name, *_ in bench.SEARCHES}
    results = {"command": "python -m indexer bench", "date": "2026-12-03", "questions": 2, "seconds": 1.0,
               "machine": {"cores": 2, "memory_gb": 1.0, "cpu": "test"}, "ingest": [],
               "search": [{"size": "synthetic 100k", "chunks": 100_000, "vector_index": "IndexFlatIP", "disk_mb": 1.0,
                           "rss_after_load_mb": 1.0, "latency_ms": latency, "recall_at_10": None,
                           "exact_dense_ms": None}],
               "milvus": [{"size": "synthetic 100k", "chunks": 100_000, "collection": "bench_synthetic_100k",
                           "write_seconds": 90.0, "latency_ms": {"keyword": {"p50": 300.0, "p95": 500.0},
                                                                 "dense": {"p50": 40.0, "p95": 60.0},
                                                                 "hybrid": {"p50": 350.0, "p95": 550.0}}}]}
    row = bench.markdown(results).splitlines()[-1]
    assert row == ("| synthetic 100k | 100,000 | bench_synthetic_100k | 90 | 10 / 20 against 300 / 500 "
                   "| 10 / 20 against 40 / 60 | 10 / 20 against 350 / 550 |")
