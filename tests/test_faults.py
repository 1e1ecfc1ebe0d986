"""A build killed at any of its stages leaves the previous index searchable, and the next build completes."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from conftest import REPO, make_pdf

from indexer import build_index, open_index
from indexer.index.checkpoints import HOLD_AT, HOLD_FLAG, STAGES

# A build in its own process, with the small test embedder: what is killed is the build's plumbing.
BUILD = ("import sys; sys.path.insert(0, 'tests'); from conftest import HashEmbedder; from indexer import build_index;"
         " build_index(sys.argv[1], sys.argv[2], embedder=HashEmbedder())")


def test_sigkill_at_every_stage_of_a_build_never_breaks_the_index(tmp_path, hash_embedder):
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    for n in range(3):
        make_pdf(corpus / f"minutes-{n}.pdf", [f"Minutes {n}. Resolved: that the library budget {n} be approved."])
    build_index(corpus, index_dir, embedder=hash_embedder)
    before = open_index(index_dir, hash_embedder).info().documents
    shutil.copy(REPO / "corpus" / "hwt-2020-10-21-public-reports-pack.pdf", corpus / "pack.pdf")
    for n in range(10):
        make_pdf(corpus / f"report-{n}.pdf", [f"Report {n} on rough sleepers. " * 40] * 3)
    command = [sys.executable, "-c", BUILD, str(corpus), str(index_dir)]
    for stage in STAGES:
        flag = tmp_path / f"held-at-{stage}"
        env = {**os.environ, "HF_HUB_OFFLINE": "1", HOLD_AT: stage, HOLD_FLAG: str(flag)}
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        gives_up = time.monotonic() + 300
        while not flag.exists() and process.poll() is None and time.monotonic() < gives_up:
            time.sleep(0.1)
        if not flag.exists():
            process.kill()
            pytest.fail(f"the build never reached {stage}: {process.communicate()[1].decode()[-2000:]}")
        process.send_signal(signal.SIGKILL)
        process.wait()
        index = open_index(index_dir, hash_embedder)
        expected = before + 11 if stage == "swapped" else before  # the new index lands whole, or not at all
        assert index.info().documents == expected, stage
        assert index.search("library budget approved", k=1, mode="keyword"), stage
        index.close()
    finished = subprocess.run(command, cwd=REPO, env={**os.environ, "HF_HUB_OFFLINE": "1"}, capture_output=True,
                              text=True)
    assert finished.returncode == 0, finished.stderr
    assert open_index(index_dir, hash_embedder).info().documents == before + 11
    assert not list(tmp_path.glob("index.building-*")) and not list(tmp_path.glob("index.old-*")), \
        "a killed build's folders are cleaned up"
