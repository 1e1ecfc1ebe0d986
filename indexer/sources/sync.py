"""`sync CONFIG`: fetch every source the config names, build the index, then the saved searches' alerts
and their mail. Meant for a daily timer; a lock beside the index keeps two syncs from running at once.

The config is TOML; relative paths are read from the config file's folder:

    folder = "papers"                      # where the papers are fetched to (one folder a site)
    index = "index"                        # the index built from them
    app_url = "http://localhost:8501"      # the app the alerts link to (optional)

    [[source]]
    site = "https://democracy.kent.gov.uk"
    committees = ["Cabinet", "County Council"]   # optional: all committees
    from = "2025-01-01"                    # optional: a year back; `to` too (a month ahead)
    rate = 1.0                             # optional: requests a second

    [mail]                                 # optional: no mail without it
    host = "smtp.council.gov.uk"
    port = 587
    from = "papers-search@council.gov.uk"
    starttls = true
    user = "papers-search"                 # optional, with the password in the variable password_env names
    password_env = "PAPERS_SMTP_PASSWORD"
"""

from __future__ import annotations

import fcntl
import os
import time
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import BadConfig, IndexerError, SyncRunning
from ..index.build import build_index
from ..index.plan import index_status
from .alerts import AlertRun, update_alerts
from .fetch import FetchReport, fetch_moderngov
from .folder import safe_name
from .http import check_url
from .mail import MailReport, MailSettings, send_digests
from .watch import SavedSearches

KINDS = ("moderngov",)


@dataclass
class Source:
    site: str
    committees: list[str] = field(default_factory=list)
    date_from: str | None = None
    date_to: str | None = None
    rate: float = 1.0
    kind: str = "moderngov"

    @property
    def subfolder(self) -> str:
        """The folder of this site's papers inside the sync folder: its host name."""
        return safe_name(urlsplit(self.site).netloc or self.site, "site")


@dataclass
class SyncConfig:
    path: Path
    folder: Path
    index: Path
    sources: list[Source]
    app_url: str | None = None
    mail: MailSettings | None = None


@dataclass
class SyncReport:
    fetched: list[tuple[Source, FetchReport | str]] = field(default_factory=list)  # the report, or why it failed
    built: str = ""                  # the build's summary line, or why there was none
    build_failed: str | None = None
    alerts: AlertRun | None = None
    mail: MailReport | None = None
    seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        """1 when a source gave nothing, the build failed or a digest was not sent; else 0."""
        fetch_failed = any(isinstance(r, str) or r.exit_code for _, r in self.fetched)
        return 1 if fetch_failed or self.build_failed or (self.mail and self.mail.failed) else 0

    def summary(self) -> str:
        lines = []
        for source, result in self.fetched:
            lines.append(f"Fetched {source.site}: " + (f"FAILED: {result}" if isinstance(result, str)
                                                        else result.summary().replace("\n", "\n  ")))
        lines.append(f"Build FAILED: {self.build_failed}" if self.build_failed else self.built)
        if self.alerts is not None:
            lines.append(self.alerts.summary())
        if self.mail is not None:
            lines.append(self.mail.summary())
        lines.append(f"Sync took {self.seconds:.0f} s.")
        return "\n".join(lines)


def read_config(path: Path | str) -> SyncConfig:
    """The config file, checked: every mistake is a BadConfig naming the file and the setting."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BadConfig(path, "no such file") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise BadConfig(path, f"not valid TOML ({exc})") from None
    _known(path, data, {"folder", "index", "app_url", "source", "mail"}, "the top level")
    here = path.parent
    folder, index = (here / _text(path, data, key, required=True) for key in ("folder", "index"))
    sources = [_source(path, n, table) for n, table in enumerate(_tables(path, data, "source"), start=1)]
    if not sources:
        raise BadConfig(path, "name at least one [[source]] with its site = \"https://...\"")
    app_url = _text(path, data, "app_url")
    if app_url is not None:
        _url(path, "app_url", app_url)
    mail = _mail(path, data["mail"]) if "mail" in data else None
    return SyncConfig(path, folder, index, sources, app_url, mail)


def run_sync(config: SyncConfig, say: Callable[[str], None] = lambda line: None,
             fetch_progress=None, build_progress=None) -> SyncReport:
    """Fetch, build, alerts, mail; a source or the mail failing is reported, the rest still runs."""
    started = time.monotonic()
    report = SyncReport()
    with sync_lock(config.index):
        for source in config.sources:
            say(f"Fetching {source.site} into {config.folder / source.subfolder}")
            try:
                report.fetched.append((source, fetch_moderngov(
                    source.site, config.folder / source.subfolder, source.committees, source.date_from,
                    source.date_to, rate=source.rate, progress=fetch_progress)))
            except IndexerError as exc:
                report.fetched.append((source, str(exc)))
        if not config.folder.is_dir():
            report.build_failed = f"nothing was fetched into {config.folder}"
        else:
            _build(config, report, say, build_progress)
        if report.build_failed is None:
            _alerts(config, report, say)
    report.seconds = time.monotonic() - started
    return report


def _build(config: SyncConfig, report: SyncReport, say, progress) -> None:
    if index_status(config.folder, config.index) == "current":
        report.built = f"Index {config.index} is up to date with {config.folder}: nothing new to index."
        return
    say(f"Building {config.index} from {config.folder}")
    try:
        built = build_index(config.folder, config.index, progress=progress)
    except IndexerError as exc:
        report.build_failed = str(exc)
        return
    report.built = (f"Indexed {built.documents} documents, {built.chunks} passages into {config.index} "
                    f"({built.embedded_files} new or changed, {len(built.removed_files)} removed, "
                    f"{len(built.skipped_files)} unreadable) in {built.seconds:.0f} s.")


def _alerts(config: SyncConfig, report: SyncReport, say) -> None:
    from ..find.index import open_index

    saved = SavedSearches(config.index)
    if config.app_url and config.app_url != saved.app_url:
        saved.set_app_url(config.app_url)
    say("Running the saved searches")
    index = open_index(config.index)
    try:
        report.alerts = update_alerts(index, saved)
    finally:
        index.close()
    if config.mail is not None and report.alerts.new_passages:
        report.mail = send_digests(report.alerts, config.mail)


@contextmanager
def sync_lock(index_dir: Path) -> Iterator[None]:
    """Held for the whole sync; a second sync of the same index stops at once with SyncRunning. The lock is
    the operating system's (flock), so a killed sync never leaves it held."""
    index_dir = Path(index_dir).absolute()
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    path = index_dir.parent / f"{index_dir.name}.sync.lock"
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            raise SyncRunning(path, handle.read().strip() or "process unknown") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"process {os.getpid()}, started {time.strftime('%Y-%m-%d %H:%M:%S')}")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


def _source(path: Path, n: int, table: dict) -> Source:
    where = f"[[source]] number {n}"
    _known(path, table, {"site", "committees", "from", "to", "rate", "kind"}, where)
    site = _text(path, table, "site", required=True, where=where)
    _url(path, f"{where}: site", site)
    kind = _text(path, table, "kind", where=where) or "moderngov"
    if kind not in KINDS:
        raise BadConfig(path, f"{where}: kind {kind!r} is not one this version fetches ({', '.join(KINDS)})")
    committees = table.get("committees", [])
    if isinstance(committees, str):
        committees = [committees]
    if not isinstance(committees, list) or not all(isinstance(c, str) for c in committees):
        raise BadConfig(path, f'{where}: committees must be a list of names, e.g. ["Cabinet"]')
    days = [_day(path, table.get(key), f"{where}: {key}") for key in ("from", "to")]
    rate = table.get("rate", 1.0)
    if isinstance(rate, bool) or not isinstance(rate, (int, float)) or rate < 0:
        raise BadConfig(path, f"{where}: rate must be a number of requests a second (0: no wait)")
    return Source(site, committees, days[0], days[1], float(rate), kind)


def _mail(path: Path, table) -> MailSettings:
    if not isinstance(table, dict):
        raise BadConfig(path, "mail must be a table: [mail] with host = ...")
    _known(path, table, {"host", "port", "from", "starttls", "tls", "user", "password_env", "timeout"}, "[mail]")
    port = table.get("port", 25)
    if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
        raise BadConfig(path, "[mail] port must be a port number, e.g. 25 or 587")
    for key in ("starttls", "tls"):
        if not isinstance(table.get(key, False), bool):
            raise BadConfig(path, f"[mail] {key} must be true or false")
    if table.get("user") and not table.get("password_env"):
        raise BadConfig(path, "[mail] a user needs password_env: the environment variable holding the password")
    return MailSettings(host=_text(path, table, "host", required=True, where="[mail]"), port=port,
                        sender=_text(path, table, "from", where="[mail]") or MailSettings.sender,
                        starttls=table.get("starttls", False), tls=table.get("tls", False),
                        user=_text(path, table, "user", where="[mail]"),
                        password_env=_text(path, table, "password_env", where="[mail]"),
                        timeout=float(table.get("timeout", 30)))


def _tables(path: Path, data: dict, key: str) -> list[dict]:
    found = data.get(key, [])
    if isinstance(found, dict):
        found = [found]
    if not isinstance(found, list) or not all(isinstance(t, dict) for t in found):
        raise BadConfig(path, f"{key} must be tables: [[{key}]] followed by its settings")
    return found


def _known(path: Path, table: dict, keys: set[str], where: str) -> None:
    unknown = sorted(set(table) - keys)
    if unknown:
        raise BadConfig(path, f"{where}: unknown setting {', '.join(unknown)} (known: {', '.join(sorted(keys))})")


def _text(path: Path, table: dict, key: str, required: bool = False, where: str = "the top level") -> str | None:
    value = table.get(key)
    if value is None and required:
        raise BadConfig(path, f"{where}: {key} is missing")
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise BadConfig(path, f"{where}: {key} must be a non-empty text in quotes")
    return value.strip() if value is not None else None


def _url(path: Path, where: str, url: str) -> None:
    try:
        check_url(url)
    except IndexerError as exc:
        raise BadConfig(path, f"{where}: {exc}") from None


def _day(path: Path, value, where: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise BadConfig(path, f"{where} must be a date, YYYY-MM-DD, not {value!r}") from None
