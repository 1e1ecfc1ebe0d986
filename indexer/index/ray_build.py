"""Parsing and embedding a build's new and changed files with Ray Data, on this machine or a Ray cluster.

    python -m indexer build papers/ --index idx --ray                 # a Ray instance started here, stopped after
    python -m indexer build papers/ --index idx --ray HEAD:6379       # a running cluster, by its head

The files to parse become a dataset, one file to a block. Parse tasks (one CPU each) turn each into a
ParsedDocument; an actor pool embeds them, each actor loading the model once when it starts and using as
many threads as the CPUs it asks for. The two stages ask for different resources, so Ray Data runs
them as two operators, parse tasks feeding the actors, rather than parsing inside the actors. The
results come back in file order (the dataset preserves it) to the build, which writes them through the
same writer as always, so chunk ids are the same as a build on this machine alone. Unchanged files never
reach Ray: the build copies them from the previous index before asking for the next parsed file.

On a cluster every node needs this project's requirements installed (the `indexer` package itself is
shipped with the job), and the corpus (and the index folder's `converted/`, for office files) at the
same path: parse tasks open the files by path. A cluster whose head asks for a token (Ray's token
authentication) is joined with RAY_AUTH_MODE=token and the cluster's token where the build runs.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import socket
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np

from ..errors import RayUnavailable, UnreadableFile
from ..papers.parse import ParsedDocument
from ..readers.office import Conversions
from .embed import embed_documents
from .embedding import Embedder
from .executor import OnThisMachine, Progress
from .parsing import Parser, timed_parse
from .plan import PARSE, Step

LOCAL = "auto"             # --ray alone: a Ray instance on this machine, started for the build
CONNECT_SECONDS = 5        # to reach a cluster's head before Ray is asked to (Ray itself waits minutes)
MAX_BLOCKS = 10_000        # one file a block, up to this many blocks
EMBED_FILES = 8            # files a call to an embedding actor takes
PARSE_CPUS = 1
PARSE_MEMORY = 1 << 30     # bytes a parse task reserves: a node runs no more parses than its memory holds
# A cluster's workers import this package as the build has it, shipped with the job: else they find it only
# where the driver's folder is also on their node, and a build run from elsewhere fails there (No module named
# 'indexer'). The model and the other requirements must still be installed on every node.
SHIPPED = {"py_modules": [str(Path(__file__).resolve().parents[1])], "excludes": ["__pycache__"]}
# Ray 2.60 turns token authentication on for a head started where a token is kept (~/.ray/auth_token, which any
# ray.init() starting a local instance writes), but never for a process that joins a cluster by its address.
TOKEN_FIX = ("Set RAY_AUTH_MODE=token where the build runs, with the cluster's token in ~/.ray/auth_token or "
             "RAY_AUTH_TOKEN (ray get-auth-token on the head prints it)")


class RayExecutor:
    """Parses and embeds the steps to parse with Ray Data; anything else asked of it (a known copy whose
    original has gone) is parsed and embedded here, as the plain build does."""

    def __init__(self, stack: ExitStack, steps: list[Step], include_exempt: bool, conversions: Conversions,
                 embedder: Embedder, address: str = LOCAL, *, embed_actors: int | None = None,
                 embed_cpus: int = 1):
        self.here = OnThisMachine(Parser(stack, [], include_exempt, conversions), embedder)
        self.dimension = embedder.dimension
        self.vectors: dict[str, tuple[np.ndarray, float]] = {}   # path -> (its vectors, seconds embedding them)
        self.results: Iterator[dict] = iter(())
        to_parse = [step for step in steps if step.action == PARSE]
        self.left = len(to_parse)
        if to_parse:   # an update that changes nothing never starts or joins a cluster
            stack.enter_context(ray_session(address))
            self.results = iter(_dataset(to_parse, include_exempt, conversions, embedder, embed_actors,
                                         embed_cpus).iter_rows())
            stack.callback(self.results.close)   # a build stopped early stops the dataset before Ray shuts down

    def parse(self, step: Step) -> tuple[ParsedDocument, float]:
        if step.action != PARSE:
            return self.here.parse(step)
        row = next(self.results)
        self.left -= 1
        if not self.left:
            next(self.results, None)   # lets the dataset's run end
        if row["rel"] != step.rel:   # the dataset preserves order; anything else is a bug, not a bad file
            raise RuntimeError(f"Ray returned {row['rel']} where the build expected {step.rel}")
        if row["error"]:
            raise UnreadableFile(step.path, row["error"])
        doc = pickle.loads(row["doc"])
        vectors = np.frombuffer(row["vectors"], dtype="float32").reshape(-1, self.dimension).copy()
        self.vectors[step.rel] = (vectors, float(row["embed_seconds"]))
        return doc, float(row["parse_seconds"])

    def embed(self, docs: list[ParsedDocument], progress: Progress) -> list[np.ndarray]:
        found = []
        for doc in docs:
            if doc.rel_path not in self.vectors:   # parsed here
                found += self.here.embed([doc], progress)
                continue
            vectors, seconds = self.vectors.pop(doc.rel_path)
            progress(len(vectors), seconds)
            found.append(vectors)
        return found


# --- the cluster


@contextmanager
def ray_session(address: str = LOCAL) -> Iterator[None]:
    """Ray initialised for the build: a running cluster at address, or (auto) an instance started on this
    machine, without dashboard or usage statistics, shut down after. When Ray is already initialised in this
    process (a caller's own cluster) the build uses it and leaves it running.

    The instance here offers a CPU per core for the embedding actors and one more for the parse tasks: the
    build without Ray also parses in a second process while the encoder has every core."""
    levels = {name: logging.getLogger(name).getEffectiveLevel() for name in ("ray", "ray.data")}
    import ray
    import ray.data

    for name, level in levels.items():   # the caller's levels, which importing Ray and Ray Data reset
        logging.getLogger(name).setLevel(level)
    if ray.is_initialized():
        yield
        return
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")   # read by ray.init and the processes it starts
    quiet = {"log_to_driver": False, "logging_level": levels["ray"]}
    if address == LOCAL:
        ray.init(address="local", num_cpus=(os.cpu_count() or 1) + PARSE_CPUS, include_dashboard=False, **quiet)
    else:
        _reachable(address)
        try:
            ray.init(address=address, runtime_env=SHIPPED, **quiet)
        except (ConnectionError, RuntimeError, ValueError) as exc:
            if _token_refused(exc):
                raise RayUnavailable(address, "its head asks for the cluster's authentication token, and this "
                                     "machine sent none or another", fix=TOKEN_FIX) from exc
            raise RayUnavailable(address, " ".join(str(exc).split())[:300]) from exc
    try:
        yield
    finally:
        ray.shutdown()


def _token_refused(exc: BaseException) -> bool:
    """Whether Ray failed to join because the cluster's head refused this process's token (Ray reports it as a
    failure to connect, the head's AuthenticationError in the text of the error it was raised from)."""
    while exc is not None:
        if type(exc).__name__ == "AuthenticationError" or any(
                mark in str(exc) for mark in ("AuthenticationError", "InvalidAuthToken", "Unauthenticated")):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _reachable(address: str) -> None:
    """The head's port answers; else RayUnavailable naming the address (Ray would wait minutes)."""
    parts = urlsplit(address if "://" in address else f"ray-head://{address}")
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        host, port = None, None
    if not host or port is None:
        raise RayUnavailable(address, "it is not HOST:PORT, the head node and its port")
    try:
        socket.create_connection((host, port), timeout=CONNECT_SECONDS).close()
    except OSError as exc:
        raise RayUnavailable(address, f"nothing answers on port {port} of {host}: {exc.strerror or exc}") from exc


# --- the dataset


def _dataset(steps: list[Step], include_exempt: bool, conversions: Conversions, embedder: Embedder,
             actors: int | None, embed_cpus: int):
    import ray
    from ray.data import ActorPoolStrategy, DataContext

    context = DataContext.get_current()
    context.execution_options.preserve_order = True   # file order: chunk ids as a build without Ray
    context.enable_progress_bars = False               # the build's progress= callback tells how far it got
    if actors is None:   # the cluster's CPUs, less one for the parse tasks, in actors of embed_cpus CPUs
        actors = max(1, int(ray.cluster_resources().get("CPU", 1) - PARSE_CPUS) // embed_cpus)
    actors = min(actors, -(-len(steps) // EMBED_FILES))   # no more actors than calls for them
    files = [{"rel": s.rel, "path": str(s.path), "overrides": json.dumps(s.overrides) if s.overrides else ""}
             for s in steps]
    return (ray.data.from_items(files, override_num_blocks=min(len(files), MAX_BLOCKS))
            .map(parse_row, fn_kwargs={"include_exempt": include_exempt, "conversions": absolute(conversions)},
                 num_cpus=PARSE_CPUS, memory=PARSE_MEMORY)
            .map_batches(EmbedActor, fn_constructor_args=(embedder, embed_cpus), batch_size=EMBED_FILES,
                         batch_format="pandas", compute=ActorPoolStrategy(size=actors), num_cpus=embed_cpus))


def absolute(conversions: Conversions) -> Conversions:
    """The same conversions with absolute folders: a parse task on another node does not run in the build's folder,
    and an office file converted there would be kept where the build never looks (an index given as a relative
    path)."""
    return Conversions(conversions.folder.absolute() if conversions.folder else None,
                       [folder.absolute() for folder in conversions.earlier], conversions.timeout)


def parse_row(row: dict, include_exempt: bool, conversions: Conversions) -> dict:
    """One file -> its ParsedDocument (pickled), or why it cannot be read."""
    overrides = json.loads(row["overrides"]) if row["overrides"] else None
    try:
        doc, seconds = timed_parse(Path(row["path"]), row["rel"], overrides, include_exempt, conversions)
    except UnreadableFile as exc:
        return {"rel": row["rel"], "doc": b"", "parse_seconds": 0.0, "error": exc.reason}
    return {"rel": row["rel"], "doc": pickle.dumps(doc), "parse_seconds": seconds, "error": ""}


class EmbedActor:
    """Embeds parsed documents' passages; the model is loaded once, when the actor starts."""

    def __init__(self, embedder: Embedder, threads: int):
        os.environ["INDEXER_THREADS"] = str(threads)   # this actor's process: the CPUs it was given
        self.embedder = embedder
        self.embedder.encode_passages(["passage"])     # loads the model

    def __call__(self, batch):
        docs = [pickle.loads(data) if data else None for data in batch["doc"]]
        parsed = [doc for doc in docs if doc is not None]
        started = time.perf_counter()
        vectors = iter(embed_documents(parsed, self.embedder))
        seconds = (time.perf_counter() - started) / max(1, sum(len(doc.chunks) for doc in parsed))
        found = [next(vectors) if doc is not None else np.zeros((0, self.embedder.dimension), "float32")
                 for doc in docs]
        batch["vectors"] = [v.astype("float32").tobytes() for v in found]
        batch["embed_seconds"] = [seconds * len(v) for v in found]
        return batch
