"""Thread settings: one place sets how many threads the models and FAISS use."""

import faiss
import pytest

from indexer import threads
from indexer.errors import BadSetting


def test_model_threads_default_to_the_cores(monkeypatch):
    monkeypatch.delenv(threads.ENV, raising=False)
    monkeypatch.setattr(threads.os, "cpu_count", lambda: 6)
    assert threads.model_threads() == 6


def test_model_threads_from_the_environment(monkeypatch):
    monkeypatch.setenv(threads.ENV, "1")
    assert threads.model_threads() == 1


@pytest.mark.parametrize("value", ["0", "two", "-1", "1.5"])
def test_a_bad_thread_count_says_what_is_wrong(monkeypatch, value):
    monkeypatch.setenv(threads.ENV, value)
    with pytest.raises(BadSetting, match=threads.ENV):
        threads.model_threads()


def test_a_search_runs_faiss_on_one_thread_and_gives_the_rest_back():
    faiss.omp_set_num_threads(2)
    with threads.searching():
        assert faiss.omp_get_max_threads() == threads.SEARCH_FAISS_THREADS
    assert faiss.omp_get_max_threads() == 2
