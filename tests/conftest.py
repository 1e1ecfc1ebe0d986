"""Shared fixtures: small PDFs with known text on known pages, the real model, the demo index."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

REPO = Path(__file__).resolve().parent.parent
REALDATA = REPO.parent / "shared" / "realdata"
KENT = REALDATA / "lusavkaedu__council-assistant" / "kent_county_council"
SUFFOLK = REALDATA / "vestalux__sljekyll" / "suffolk_libraries"

needs_realdata = pytest.mark.skipif(not REALDATA.is_dir(), reason="../shared/realdata is not present")


def make_pdf(path: Path, pages: list[str], *, footer: str | None = None, image_pages: set[int] = frozenset(),
             title: str | None = None) -> Path:
    """Write a PDF whose page n (1-based) holds pages[n-1]; footer may use {n}, e.g. 'Page {n}'.

    Pages listed in image_pages hold only a picture (a scan with no text layer).
    """
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    if title:
        pdf.set_title(title)
    for n, text in enumerate(pages, start=1):
        pdf.add_page()
        if n in image_pages:
            pdf.image(_png(), x=20, y=20, w=150)
            continue
        pdf.set_font("Helvetica", size=11)
        pdf.set_xy(20, 20)
        pdf.multi_cell(170, 6, text)
        if footer:
            pdf.set_xy(20, 280)
            pdf.cell(170, 6, footer.format(n=n), align="C")
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


def _png() -> io.BytesIO:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 300), "white")
    ImageDraw.Draw(image).text((20, 20), "SCANNED MINUTES", fill="black")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    return buffer


@pytest.fixture(scope="session")
def embedder():
    from indexer.index.embedding import Embedder

    return Embedder()


@pytest.fixture(scope="session")
def demo_index(tmp_path_factory, embedder):
    """The demo corpus (the founding agenda pack), indexed once for the whole session."""
    from indexer import build_index, open_index

    index_dir = tmp_path_factory.mktemp("demo") / "index"
    build_index(REPO / "corpus", index_dir, embedder=embedder)
    return open_index(index_dir, embedder)


def app_for(index_dir: Path, monkeypatch, query: str | None = None):
    """The Streamlit app on index_dir (opened at ?q=query when given), ready to run."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("INDEX_DIR", str(index_dir))
    monkeypatch.chdir(REPO)
    app = AppTest.from_file(str(REPO / "app.py"), default_timeout=180)
    if query:
        app.query_params["q"] = query
    return app


def page_text(app) -> str:
    """The page's Markdown as a reader sees it: escapes removed."""
    return "\n".join(m.value for m in app.markdown).replace("\\", "")


class HashEmbedder:
    """A small deterministic embedder for tests of the build's plumbing (planning, copies, staleness).

    Each word is hashed into one of 64 dimensions. It loads nothing and is never used to judge search
    quality: tests of search run on the real model (the `embedder` fixture).
    """

    name = "test-hash-64"
    dimension = 64

    def encode_passages(self, texts: list[str], batch_size: int = 32):
        return self._encode(texts)

    def encode_queries(self, texts: list[str]):
        return self._encode(texts)

    def _encode(self, texts: list[str]):
        import re
        import zlib

        import numpy as np

        vectors = np.full((len(texts), self.dimension), 1e-3, dtype="float32")
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                vectors[row, zlib.crc32(word.encode()) % self.dimension] += 1.0
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


@pytest.fixture
def hash_embedder():
    return HashEmbedder()


ALERT_QUESTION = "rough sleeping and homelessness"


@pytest.fixture(scope="session")
def alerts_index(tmp_path_factory, embedder):
    """An index with a saved search ('homeless') and the alerts of its second build: Cabinet minutes of
    March 2025 whose page 2 resolves on rough sleeping, added after the search was saved."""
    from indexer import build_index, open_index
    from indexer.sources.alerts import start_from, update_alerts
    from indexer.sources.watch import SavedSearches, saved_search

    corpus = tmp_path_factory.mktemp("alerts")
    index_dir = corpus.parent / f"{corpus.name}-index"
    make_pdf(corpus / "cabinet_minutes_2024.pdf", [
        "Cabinet\nMinutes of the meeting held on 12 March 2024\n\n1. Apologies\nApologies were received from Cllr Hale.",
        "2. Car parking charges\nRESOLVED: That the car parking charges for 2024/25 be approved.",
    ], title="Cabinet minutes 12 March 2024", footer="Page {n}")
    build_index(corpus, index_dir, embedder=embedder)
    saved = SavedSearches(index_dir)
    saved.add(saved_search("homeless", ALERT_QUESTION))
    start_from(open_index(index_dir, embedder), saved)
    make_pdf(corpus / "cabinet_minutes_2025.pdf", [
        "Cabinet\nMinutes of the meeting held on 11 March 2025\n\n1. Apologies\nThere were no apologies.",
        "2. Rough sleeping and homelessness\nThe Director of Housing reported that rough sleeping in the city had "
        "fallen to 14 people and that 240 households had been helped to avoid homelessness.\n"
        "RESOLVED: That the Homelessness and Rough Sleeping Strategy 2025-2030 be adopted.",
    ], title="Cabinet minutes 11 March 2025", footer="Page {n}")
    build_index(corpus, index_dir, embedder=embedder)
    run = update_alerts(open_index(index_dir, embedder))
    assert run.searches and run.searches[0].passages, run.summary()
    return index_dir
