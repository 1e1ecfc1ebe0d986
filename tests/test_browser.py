"""End to end in a real browser: Debian's Chromium driven by Playwright against `streamlit run app.py`."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager

import pytest
from conftest import REPO

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = REPO / "tests" / "artifacts"
ACCESSIBILITY = (REPO / "tests" / "accessibility.js").read_text()
pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="chromium is not installed (make test installs it)")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(demo_index):
    yield from _serve(demo_index.index_dir)


@pytest.fixture
def alerts_server(alerts_index):
    yield from _serve(alerts_index)


def _serve(index_dir):
    """`streamlit run app.py` on index_dir; yields its address, and stops it after the test."""
    port = _free_port()
    env = {**os.environ, "INDEX_DIR": str(index_dir), "HF_HUB_OFFLINE": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=1)
            break
        except OSError:
            time.sleep(0.5)
    yield url
    process.terminate()
    process.wait(timeout=20)


def _settled(page) -> None:
    """Wait until the script run has finished and the page has drawn."""
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"] button')",
                           timeout=120_000)
    page.wait_for_timeout(800)


def _record(page, name: str) -> None:
    """Once the page has settled: its screenshot, no exception element, and the accessible basics."""
    _settled(page)
    page.screenshot(path=str(ARTIFACTS / f"{name.replace(' ', '_')}.png"), full_page=True)
    assert page.locator("[data-testid='stException']").count() == 0, name
    report = page.evaluate(ACCESSIBILITY)
    levels = [h["level"] for h in report["headings"]]
    assert levels and levels[0] == 1, (name, report["headings"])
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), (name, report["headings"])
    assert not report["unlabelled"], (name, report["unlabelled"])
    assert report["lowestContrast"][0]["ratio"] >= 4.5, (name, report["lowestContrast"])


@contextmanager
def _browser(errors: list[str]):
    """A page in headless Chromium that collects the console's errors."""
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--headless", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run"],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 1600})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        yield page
        browser.close()


def test_question_and_page_view_in_a_real_browser(server):
    errors: list[str] = []
    with _browser(errors) as page:
        page.goto(server, timeout=120_000)
        box = page.get_by_label("Question or search words")
        box.wait_for(timeout=120_000)
        box.fill("How many people were placed into accommodation during Everyone In?")
        box.press("Enter")
        page.get_by_text("60 people had been placed").first.wait_for(timeout=120_000)
        page.get_by_text("PDF p. 10").first.wait_for(timeout=60_000)
        _record(page, "search")

        page.get_by_role("button", name="Open the page").first.click()
        page.get_by_text("Download the PDF").first.wait_for(timeout=120_000)
        page.locator("[data-testid='stImage'] img").first.wait_for(timeout=60_000)
        _record(page, "page view")

        page.get_by_role("link", name="Decisions").click()
        page.get_by_text("decisions, newest first").first.wait_for(timeout=120_000)
        page.get_by_text("Outcome:").first.wait_for(timeout=60_000)
        _record(page, "decisions")

        page.get_by_role("link", name="Coverage").click()
        page.get_by_text("Pages without text").first.wait_for(timeout=120_000)
        _record(page, "coverage")
    assert not errors, errors


def test_alerts_and_their_page_links_in_a_real_browser(alerts_server):
    errors: list[str] = []
    with _browser(errors) as page:
        page.goto(alerts_server, timeout=120_000)
        badge = page.get_by_text("New since").first
        badge.wait_for(timeout=120_000)
        badge.click()
        link = page.get_by_role("link", name="Open the page").first
        link.wait_for(timeout=60_000)
        _record(page, "alerts")

        link.click()   # the decision's: the resolution is on page 2
        page.get_by_text("Cabinet minutes 11 March 2025: PDF page 2 of 2").first.wait_for(timeout=120_000)
        page.locator("[data-testid='stImage'] img").first.wait_for(timeout=60_000)
        assert "/page?doc=cabinet_minutes_2025.pdf&p=2&passage=" in page.url
        _record(page, "alert page")

        assert not errors, errors
        # Opened afresh, as from an e-mail or a feed. On a direct load of a page's address Streamlit's
        # frontend first looks for its server under that path (/page/_stcore/...), a 404 the console reports.
        missing: list[str] = []
        page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
        page.goto(page.url.replace("p=2", "p=1"), timeout=120_000)
        page.get_by_text("Cabinet minutes 11 March 2025: PDF page 1 of 2").first.wait_for(timeout=120_000)
        page.get_by_text("Download the PDF").first.wait_for(timeout=60_000)
        _settled(page)
        assert page.locator("[data-testid='stException']").count() == 0
    assert all("/page/_stcore/" in url for url in missing), missing
    assert len(errors) == len(missing), errors
