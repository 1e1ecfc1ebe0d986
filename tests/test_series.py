"""Papers that never name their body take it from the series they are filed in (papers/series.py)."""

from __future__ import annotations

from conftest import HashEmbedder

from indexer import build_index, open_index
from indexer.index.plan import index_status
from indexer.papers.series import Filed, series_bodies


def _filed(rows):
    return [Filed(n, path, date, body) for n, (path, date, body) in enumerate(rows)]


def test_a_renamed_council_is_one_series_and_each_paper_takes_the_name_of_its_day():
    papers = _filed([
        ("tcc/minutes/2019-01.pdf", "2019-01-28", "Tintern Community Council"),
        ("tcc/minutes/2019-02.pdf", "2019-02-25", "Tintern Community Council"),
        ("tcc/minutes/2019-03.pdf", "2019-03-25", "Tintern Community Council"),
        ("tcc/minutes/2021-05.txt", "2021-05-24", None),
        ("tcc/minutes/2022-09.txt", "2022-09-26", "Wye Valley Community Council"),
        ("tcc/agenda/2023-01.txt", "2023-01-30", None),
        ("tcc/agenda/2018-12.txt", "2018-12-03", None),
        ("tcc/budgets/budget.pdf", None, None),
    ])
    assert series_bodies(papers) == {3: "Tintern Community Council", 5: "Wye Valley Community Council",
                                     6: "Tintern Community Council"}


def test_boards_filed_side_by_side_are_no_series():
    alternating = _filed([
        ("archive/files/a.doc", "2011-01-10", "Transparency Board"),
        ("archive/files/b.doc", "2011-02-10", "Local Public Data Panel"),
        ("archive/files/c.doc", "2011-03-10", "Transparency Board"),
        ("archive/files/d.doc", "2011-04-10", "Local Public Data Panel"),
        ("archive/files/e.doc", "2011-05-10", None),
    ])
    assert series_bodies(alternating) == {}
    one_each = _filed([
        ("tests/files/a.pdf", "2019-08-01", "Sex Offender Management Board"),
        ("tests/files/b.pdf", "2019-11-04", "Advisory Board"),
        ("tests/files/c.pdf", "2020-04-22", "Emergency Telephone System Board"),
        ("tests/files/d.pdf", "2020-12-03", None),
    ])
    assert series_bodies(one_each) == {}


NAMED = "Minutes of a meeting of Tintern Community Council held on Monday {day}\n\n{n}. Village green\n{text}"
ABOVE = "Minutes of a meeting of the above Council held on Monday {day}\n\n{n}. Village green\n{text}"


def _write(folder, name, text):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def test_a_build_names_the_series_body_and_works_it_out_again_on_the_next(tmp_path, hash_embedder):
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    minutes = corpus / "village__papers" / "minutes"
    for n, day in enumerate(("7 January 2019", "4 February 2019", "4 March 2019")):
        _write(minutes, f"2019010{n + 1}.txt", NAMED.format(day=day, n=n + 1, text="The bench was discussed."))
    _write(minutes, "20200106.txt", ABOVE.format(day="6 January 2020", n=9,
                                                text="Resolved to replace the mowing contractor."))
    build_index(corpus, index_dir, embedder=hash_embedder)

    index = open_index(index_dir, hash_embedder)
    found = index.search("mowing contractor", k=1, mode="keyword", body="Tintern")
    assert [h.doc_path for h in found] == ["village__papers/minutes/20200106.txt"]
    assert found[0].body == "Tintern Community Council"
    # The body is searched as the passage's context, as a paper's own body is.
    assert index.search("Tintern mowing", k=1, mode="keyword")[0].doc_path == "village__papers/minutes/20200106.txt"

    # A paper of the new name arrives: the later unnamed paper is reused, not parsed again, and takes it.
    _write(minutes, "20191125.txt", NAMED.replace("Tintern", "Wye Valley").format(
        day="25 November 2019", n=8, text="The council's new name was used for the first time."))
    report = build_index(corpus, index_dir, embedder=hash_embedder)
    assert report.reused_files == 4
    assert index_status(corpus, index_dir, model=HashEmbedder.name) == "current"
    index = open_index(index_dir, hash_embedder)
    assert index.search("mowing contractor", k=1, mode="keyword")[0].body == "Wye Valley Community Council"
    assert index.search("mowing contractor", k=1, mode="keyword", body="Tintern") == []
