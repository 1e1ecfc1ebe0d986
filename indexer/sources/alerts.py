"""Alerts: after a build, the new passages and decisions that match each saved search.

A passage is new when its passage id (document hash, page, text hash: the same in every build)
was not in the index the alerts last looked at; `seen.txt` beside the index keeps those ids. The
first look only records what is there: alerts start with the next build. Each saved search is run
over the new documents alone, and a passage or decision is an alert when the cross-encoder scores
it at least ALERT_FROM as a match for the search (measured: EVALUATION.md, "Alerts").

    run = update_alerts(index)        # after `build`; writes alerts.json and the feeds
    print(run.summary())
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from urllib.parse import urlencode

from ..find.search import RERANK_DEPTH
from ..papers.metadata import long_date
from ..records import Cited
from .feeds import write_feed
from .watch import SavedSearch, SavedSearches, write_whole

ALERT_FROM = 1.0   # the cross-encoder's logit a new passage or decision needs to be an alert (EVALUATION.md)
MOST = 10          # alerts of each kind a saved search gets from one build, best first
SEEN, ALERTS = "seen.txt", "alerts.json"
PATHS_A_SEARCH = 400   # new documents one search is restricted to at a time


@dataclass
class Alert(Cited):
    kind: str                  # "passage" or "decision"
    text: str
    doc_title: str
    doc_path: str
    pdf_page: int
    page_label: str | None
    body: str | None
    meeting_date: str | None
    item: str | None
    score: float               # the cross-encoder's logit for the saved search
    passage_id: str            # the passage it is (or is in)
    pdf_page_end: int = 0
    unit: str = "pdf"
    outcome: str | None = None   # a decision's outcome
    source_url: str | None = None
    link: str = ""             # the app's page view of it


@dataclass
class SearchAlerts:
    name: str
    query: str          # the saved search as words ('"homelessness" (keyword; body Cabinet)')
    email: list[str] = field(default_factory=list)
    passages: list[Alert] = field(default_factory=list)
    decisions: list[Alert] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.passages or self.decisions)

    def counts(self) -> str:
        """'3 passages, 1 decision'."""
        return (f"{len(self.passages)} passage{'' if len(self.passages) == 1 else 's'}, "
                f"{len(self.decisions)} decision{'' if len(self.decisions) == 1 else 's'}")


@dataclass
class AlertRun:
    since: str | None          # when the build the alerts compared with was made (None: the first look)
    built_at: str              # the build looked at
    new_passages: int = 0
    searches: list[SearchAlerts] = field(default_factory=list)

    @property
    def first_look(self) -> bool:
        return self.since is None

    def since_words(self) -> str:
        """'28 November 2026', the day of the build compared with."""
        return long_date((self.since or "")[:10]) or "the last build"

    def summary(self) -> str:
        if self.first_look:
            return (f"Saved searches: {len(self.searches)}. First look at this index: what it holds now is the "
                    "starting point, and alerts come with the papers the next build adds.")
        if not self.new_passages:
            return f"Nothing new since {self.since_words()}: no papers added or changed, so no alerts."
        lines = [f"New since {self.since_words()}: {self.new_passages} passage{'' if self.new_passages == 1 else 's'} "
                 "in the papers added or changed."]
        lines += [f"  {s.name}: {s.counts()}" for s in self.searches]
        return "\n".join(lines)

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "AlertRun":
        searches = [SearchAlerts(**{**s, "passages": [Alert(**a) for a in s["passages"]],
                                    "decisions": [Alert(**a) for a in s["decisions"]]}) for s in data["searches"]]
        return cls(data["since"], data["built_at"], data.get("new_passages", 0), searches)


def update_alerts(index, saved: SavedSearches | None = None) -> AlertRun:
    """Look at the index (an open Index) for what is new since the last look, and match every saved search
    against it; writes alerts.json and each search's feed when there is something new, and what was seen."""
    saved = saved or SavedSearches(index.index_dir)
    with index.pinned():
        built_at = index.manifest.built_at
        rows = index.build.passage_ids()
        seen_at, seen = read_seen(saved.folder)
        searches = saved.all()
        new = [(chunk_id, path) for chunk_id, passage_id, path in rows if passage_id not in seen]
        if seen_at is None:
            run = AlertRun(None, built_at, 0, [SearchAlerts(s.name, s.describe(), s.email) for s in searches])
        else:
            run = AlertRun(seen_at, built_at, len(new),
                           [find_alerts(index, s, new, saved.app_url) for s in searches] if new else [])
    if run.new_passages:
        write_whole(saved.folder / ALERTS, json.dumps(run.to_json(), ensure_ascii=False, indent=1) + "\n")
        for search, found in zip(searches, run.searches):
            write_feed(saved.folder / "feeds" / f"{search.slug}.atom", search, found, run, saved.app_url)
    if seen_at is None or new or len(seen) != len(rows):
        write_seen(saved.folder, built_at, [passage_id for _, passage_id, _ in rows])
    return run


def start_from(index, saved: SavedSearches | None = None) -> None:
    """Record what the index holds as the alerts' starting point, unless one is recorded already."""
    saved = saved or SavedSearches(index.index_dir)
    if read_seen(saved.folder)[0] is None:
        with index.pinned():
            write_seen(saved.folder, index.manifest.built_at, [pid for _, pid, _ in index.build.passage_ids()])


def latest_alerts(index_dir: Path | str) -> AlertRun | None:
    """The newest alerts written beside the index, or None."""
    path = SavedSearches(index_dir).folder / ALERTS
    try:
        return AlertRun.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (FileNotFoundError, ValueError, KeyError, TypeError):
        return None


def find_alerts(index, search: SavedSearch, new: list[tuple[int, str]], app_url: str,
                threshold: float = ALERT_FROM, most: int = MOST) -> SearchAlerts:
    """The new passages (chunk id, document path) and the decisions in them that match the saved search:
    at least `threshold` as the cross-encoder scores them, the best `most` of each."""
    new_ids = {chunk_id for chunk_id, _ in new}
    passages: dict[int, object] = {}
    candidates: dict[int, object] = {}
    for filters in _over_new_documents(search, sorted({path for _, path in new})):
        for hit in index.search_many([search.query], RERANK_DEPTH, filters, mode=search.mode, rerank=True)[0]:
            if hit.chunk_id in new_ids and hit.score >= threshold:
                passages[hit.chunk_id] = hit
        for record in index.decisions(search.query, filters, limit=RERANK_DEPTH):
            if record.chunk_id in new_ids:
                candidates[record.id] = record
    best = sorted(passages.values(), key=lambda hit: -hit.score)[:most]
    for record in index.decisions_in([hit.chunk_id for hit in best]):
        candidates.setdefault(record.id, record)
    decisions = list(candidates.values())
    texts = [f"{d.item or ''}\n{d.text}".strip() for d in decisions]
    scores = index.relevance(search.query, texts) if decisions else []
    held = {hit.chunk_id: hit.passage_id
            for hit in index.hits_for([(d.chunk_id, 0.0) for d in decisions if d.chunk_id is not None])}
    matched = sorted(((float(s), d) for s, d in zip(scores, decisions) if s >= threshold), key=lambda p: -p[0])
    return SearchAlerts(search.name, search.describe(), search.email,
                        [_passage_alert(hit, app_url) for hit in best],
                        [_decision_alert(d, score, held.get(d.chunk_id, ""), app_url) for score, d in matched[:most]])


def _over_new_documents(search: SavedSearch, paths: list[str]) -> Iterator:
    """The saved search's filters narrowed to the new documents, a few hundred at a time."""
    base = search.filters()
    inside = [p for p in paths if not base.path or any(p.startswith(prefix) for prefix in base.path)]
    for start in range(0, len(inside), PATHS_A_SEARCH):
        yield replace(base, path=tuple(inside[start:start + PATHS_A_SEARCH]))


def page_link(app_url: str, doc_path: str, pdf_page: int, passage_id: str = "") -> str:
    """The app's page view with this page open (ui/page.py reads these parameters)."""
    query = {"doc": doc_path, "p": pdf_page, **({"passage": passage_id} if passage_id else {})}
    return f"{app_url.rstrip('/')}/page?{urlencode(query)}"


def _passage_alert(hit, app_url: str) -> Alert:
    return Alert("passage", hit.text, hit.doc_title, hit.doc_path, hit.pdf_page, hit.page_label, hit.body,
                 hit.meeting_date, hit.item, round(hit.score, 3), hit.passage_id, hit.pdf_page_end, hit.unit,
                 source_url=hit.source_url, link=page_link(app_url, hit.doc_path, hit.pdf_page, hit.passage_id))


def _decision_alert(record, score: float, passage_id: str, app_url: str) -> Alert:
    return Alert("decision", record.text, record.doc_title, record.doc_path, record.pdf_page, record.page_label,
                 record.body, record.meeting_date, record.item, round(score, 3), passage_id, record.pdf_page,
                 record.unit, record.outcome, link=page_link(app_url, record.doc_path, record.pdf_page, passage_id))


def read_seen(folder: Path) -> tuple[str | None, set[str]]:
    """(the build last looked at, its passage ids), or (None, empty) before the first look."""
    try:
        lines = (folder / SEEN).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return None, set()
    if not lines or not lines[0].startswith("# built "):
        return None, set()
    return lines[0][len("# built "):], set(lines[1:])


def write_seen(folder: Path, built_at: str, passage_ids: list[str]) -> None:
    write_whole(folder / SEEN, "\n".join([f"# built {built_at}", *passage_ids]) + "\n")
