"""A modern.gov site's papers into a folder the indexer reads: FOLDER/<committee>/<YYYY-MM-DD>/<file>.

First the listing (committees, their meetings in the range, each meeting's documents), then each document:
new ones added, changed ones replaced, the rest skipped on a 304 or the same bytes, failures listed with
their reason. A second run asks only for what changed; a killed run goes on from the last document saved.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import BadQuery, FetchFailed, UnknownCommittee
from .folder import Sidecar, State, inside, place, remove_stale_parts
from .http import Fetcher, check_url
from .listing import Committee, Document, same_site
from .moderngov import ModernGovSite

DAYS_BACK, DAYS_AHEAD = 365, 31
_SAVE_ROWS_EVERY = 25


@dataclass
class Failure:
    url: str
    reason: str
    title: str = ""


@dataclass
class FetchProgress:
    stage: str        # "meeting" (listed) or "document" (fetched)
    done: int         # documents handled so far
    total: int        # documents listed
    outcome: str      # added, changed, skipped, failed; for a meeting: how many documents it lists
    name: str         # the file's path in the folder, or the meeting
    reason: str = ""


@dataclass
class FetchReport:
    site: str
    folder: str
    via: str = ""
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    not_fetched: list[Failure] = field(default_factory=list)  # links refused: another host or scheme
    meetings: int = 0
    requests: int = 0
    seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        """1 when there was something to fetch and none of it came."""
        return 1 if self.failed and not (self.added or self.changed or self.skipped) else 0

    def summary(self) -> str:
        failed = "; ".join(f"{f.url} ({f.reason})" for f in self.failed[:10])
        more = f" and {len(self.failed) - 10} more" if len(self.failed) > 10 else ""
        lines = [f"{len(self.added)} added, {len(self.changed)} changed, {len(self.skipped)} skipped, "
                 f"{len(self.failed)} failed" + (f": {failed}{more}" if failed else "")]
        if self.not_fetched:
            lines.append(f"{len(self.not_fetched)} links not fetched: "
                         + "; ".join(f"{f.url} ({f.reason})" for f in self.not_fetched[:10]))
        lines.append(f"{self.meetings} meetings read through the {self.via or 'site'} into {self.folder}: "
                     f"{self.requests} requests in {self.seconds:.1f} s")
        return "\n".join(lines)


def fetch_moderngov(site_url: str, folder: Path | str, committees: list[str] | tuple[str, ...] = (),
                    date_from: str | None = None, date_to: str | None = None, rate: float = 1.0,
                    timeout: float = 30.0, retries: int = 3, backoff: float = 1.0,
                    progress: Callable[[FetchProgress], None] | None = None) -> FetchReport:
    """Fetch the papers of the site's meetings from date_from to date_to (YYYY-MM-DD; by default a year back
    to a month ahead), of the committees named (part of a name is enough; by default all) into folder."""
    check_url(site_url)
    if rate < 0:
        raise BadQuery(f"--rate {rate:g}: give requests a second, 0 for no wait")
    today = date.today()
    first, last = _day(date_from, today - timedelta(DAYS_BACK)), _day(date_to, today + timedelta(DAYS_AHEAD))
    if first > last:
        raise BadQuery(f"--from {first} is after --to {last}")
    started, folder = time.monotonic(), Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    remove_stale_parts(folder)
    fetcher = Fetcher(rate=rate, timeout=timeout, retries=retries, backoff=backoff)
    site, report = ModernGovSite(site_url, fetcher), FetchReport(site_url, str(folder))
    try:
        chosen = choose(site.committees(), committees)
        report.via = site.via or ""
        plan = _list(site, chosen, first, last, report, progress)
        _fetch_all(plan, folder, fetcher, site.base, report, progress)
    finally:
        report.requests, report.seconds = fetcher.requests, time.monotonic() - started
    return report


def choose(found: list[Committee], wanted: list[str] | tuple[str, ...]) -> list[Committee]:
    chosen = []
    for name in wanted:
        matches = [c for c in found if name.strip().lower() in c.title.lower() or name.strip() == c.id]
        if not matches:
            raise UnknownCommittee(name, [c.title for c in found])
        chosen += [c for c in matches if c not in chosen]
    return chosen if wanted else found


def _list(site: ModernGovSite, committees: list[Committee], first: date, last: date, report: FetchReport,
          progress) -> list[Document]:
    plan: list[Document] = []
    for committee in committees:
        try:
            meetings = site.meetings(committee, first, last)
        except FetchFailed as exc:
            report.failed.append(Failure(exc.url, exc.reason, f"{committee.title}: meetings"))
            continue
        for meeting in meetings:
            try:
                papers = site.documents(meeting)
            except FetchFailed as exc:
                report.failed.append(Failure(exc.url, exc.reason, f"{committee.title} {meeting.date}"))
                continue
            report.meetings += 1
            report.failed += [Failure(f.url, f.reason, f"{committee.title} {meeting.date}") for f in papers.failures]
            listed = {doc.url for doc in plan}
            plan += [doc for doc in papers.documents if doc.url not in listed]
            if progress:
                progress(FetchProgress("meeting", 0, len(plan), f"{len(papers.documents)} documents",
                                       f"{committee.title} {meeting.date}"))
    return plan


def _fetch_all(plan: list[Document], folder: Path, fetcher: Fetcher, base: str, report: FetchReport,
               progress) -> None:
    state, rows = State.load(folder), Sidecar.load(folder)
    state.listed = {doc.url for doc in plan}
    try:
        for done, doc in enumerate(plan, start=1):
            if not same_site(doc.url, base):
                reason = ("not an http(s) address" if urlsplit(doc.url).scheme.lower() not in ("http", "https")
                          else f"on another host than {urlsplit(base).netloc}")
                report.not_fetched.append(Failure(doc.url, reason, doc.title))
                continue
            rel, outcome, reason = _fetch_one(doc, folder, fetcher, state, rows)
            {"added": report.added, "changed": report.changed, "skipped": report.skipped}.get(
                outcome, []).append(rel)
            if outcome == "failed":
                report.failed.append(Failure(doc.url, reason, doc.title))
            if done % _SAVE_ROWS_EVERY == 0:
                rows.save()
            if progress:
                progress(FetchProgress("document", done, len(plan), outcome, rel, reason))
    finally:
        rows.save()


def _fetch_one(doc: Document, folder: Path, fetcher: Fetcher, state: State, rows: Sidecar) -> tuple[str, str, str]:
    entry = state.documents.get(doc.url)
    if entry and inside(folder, entry.get("path", "")):
        rel, before = entry["path"], entry
    else:  # new, or taking the place of an address the site no longer lists (a paper published again)
        rel, before = state.claim(place(doc), doc.url)
    dest, ours, before = folder / rel, before is entry, before or {}
    held = dest.is_file() and bool(before.get("sha256"))
    try:
        got = fetcher.download(doc.url, dest, before.get("etag") if held and ours else None,
                               before.get("last_modified") if held and ours else None,
                               before.get("sha256") if held else None)
    except FetchFailed as exc:
        return rel, "failed", exc.reason
    state.record(doc.url, rel, got.sha256 or before.get("sha256", ""), got.size, got.etag, got.last_modified)
    rows.put(rel, doc)
    return rel, ("changed" if got.changed else "skipped") if held else "added", ""


def _day(text: str | None, default: date) -> date:
    if not text:
        return default
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise BadQuery(f"{text!r} is not a date: write it as YYYY-MM-DD") from None
