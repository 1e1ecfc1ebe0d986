"""A build killed at any moment leaves the previous index searchable, and the next build completes."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

from conftest import REPO, make_pdf
from indexer import build_index, open_index


def test_sigkill_during_a_build_never_breaks_the_index(tmp_path, embedder):
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    for n in range(3):
        make_pdf(corpus / f"minutes-{n}.pdf", [f"Minutes {n}. Resolved: that the library budget {n} be approved."])
    build_index(corpus, index_dir, embedder=embedder)
    before = open_index(index_dir, embedder).info().documents
    shutil.copy(REPO / "corpus" / "hwt-2020-10-21-public-reports-pack.pdf", corpus / "pack.pdf")
    for n in range(10):
        make_pdf(corpus / f"report-{n}.pdf", [f"Report {n} on rough sleepers. " * 40] * 3)
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    command = [sys.executable, "-m", "indexer", "build", str(corpus), "--index", str(index_dir), "--quiet"]
    for delay in (0.5, 3.0, 6.0, 9.0, 12.0):
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        index = open_index(index_dir, embedder)  # the old index, or the new one if it landed: never half of one
        assert index.info().documents in (before, before + 11)
        assert index.search("library budget approved", k=1, mode="keyword")
        index.close()
    finished = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
    assert finished.returncode == 0, finished.stderr
    assert open_index(index_dir, embedder).info().documents == before + 11
    assert not list(tmp_path.glob("index.building-*")), "a killed build's staging folder is cleaned up"
