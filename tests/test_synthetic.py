"""The benchmark's synthetic sizes: an index grown from a real one opens and searches like one."""

from indexer.find.index import open_index
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
