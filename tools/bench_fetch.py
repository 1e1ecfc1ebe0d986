"""Fetch speed against the tests' local modern.gov server (tests/test_fetch_moderngov.py), 20 real Kent PDFs in
4 meetings: documents a second at --rate 0 and 1, and a second run with nothing new.

Run from the project folder: .venv/bin/python tools/bench_fetch.py
"""
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, "tests"); sys.path.insert(0, ".")
from http.server import ThreadingHTTPServer

import test_fetch_moderngov as t

from indexer.sources import fetch_moderngov

sources = sorted(p for p in (t.KENT / "cabinet" / "2025-01-30" / "originals").glob("*.pdf") if p.stat().st_size < 200_000)[:20]
t.MEETINGS[:] = [t.MeetingFixture("115", "Cabinet", str(9795 + m), f"2025-0{1 + m}-1{m}", "x",
                 [t.Paper(f"s{127000 + 10 * m + i}", s.name, s, (f"{i + 1}.", f"Item {i + 1}"))
                  for i, s in enumerate(sources[5 * m: 5 * m + 5])]) for m in range(4)]
t.PAPERS[:] = [p for m in t.MEETINGS for p in m.papers]
size = sum(p.source.stat().st_size for p in t.PAPERS)
server = ThreadingHTTPServer(("127.0.0.1", 0), t.Handler); server.daemon_threads = True
site = server.council = t.Council(f"http://127.0.0.1:{server.server_address[1]}/")
threading.Thread(target=server.serve_forever, daemon=True).start()
print(f"{len(t.PAPERS)} documents, {size / 1e6:.2f} MB, 4 meetings, 3 committees")
for rate in (0, 1):
    folder = Path(tempfile.mkdtemp())
    for run in ("first", "second"):
        site.log.clear()
        start = time.perf_counter()
        r = fetch_moderngov(site.base, folder, date_from="2025-01-01", date_to="2025-06-30", rate=rate)
        s = time.perf_counter() - start
        docs = [c for path, c in site.log if "mgConvert2PDF" in path or "/documents/" in path]
        print(f"rate {rate} {run} run: {len(r.added)} added {len(r.skipped)} skipped {len(r.failed)} failed; "
              f"{r.requests} requests ({len(docs)} for documents: {docs.count(200)}x200 {docs.count(304)}x304) "
              f"in {s:.2f} s = {len(r.added) / s:.1f} documents/s" if r.added else
              f"rate {rate} {run} run: {len(r.skipped)} skipped; {r.requests} requests ({docs.count(304)} answered 304, "
              f"{docs.count(200)} bodies) in {s:.2f} s")
    shutil.rmtree(folder)
