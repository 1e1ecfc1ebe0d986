"""Load test: the search under concurrent clients, through the library and through the running app.

Each target runs a fixed number of client threads for a fixed time, on loopback only. A client
loops until the deadline: it takes the next request number, sends that request, waits for it to
finish and records its latency or its error. A request still running at the deadline is counted
as unfinished, neither completed nor failed.

- api: the clients share one opened `Index`, as the app's sessions share its cached index.
- app: a `streamlit run app.py` server on a free loopback port. Each request is a new browser
  session that opens a search link (`?q=...&from=...&to=...`): the client speaks the app's own
  websocket protocol, asks for a script run with that query string and waits for the run to
  finish. Every request carries its own date window, each covering all the index's meetings, so
  no two requests share the app's search cache and every one runs a real search. A request
  counts as completed only when the page it drew holds the answer heading and a "PDF p."
  citation; an exception on the page, an error box or a failed run counts as an error.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from ..errors import IndexerError
from ..find.index import Index, open_index
from .evaluate import load_questions
from .stats import percentile

TARGETS = ("api", "app")
ERRORS_KEPT = 5                 # distinct error messages a result keeps
STARTUP_SECONDS = 120           # for the server to answer its health check
WARM_UP_SECONDS = 300           # for the first search, which loads the models


class LoadTestError(IndexerError):
    """The load test could not start: no questions, or the app did not come up."""


@dataclass
class LoadResult:
    target: str                   # "api" or "app"
    clients: int
    seconds: float                # the timed window
    requests: int                 # completed without error inside the window
    errors: int
    unfinished: int               # still running at the deadline
    throughput: float             # completed requests per second
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    error_messages: list[str] = field(default_factory=list)
    method: str = ""

    def to_json(self) -> dict:
        return asdict(self)


class RequestFailed(Exception):
    """One request went wrong; its message is what the results report."""


class _Unfinished(Exception):
    """The deadline came before the request finished."""


class _Tally:
    """What the client threads record, behind one lock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._next = 0
        self.latencies_ms: list[float] = []
        self.errors = 0
        self.unfinished = 0
        self.messages: list[str] = []

    def number(self) -> int:
        with self._lock:
            self._next += 1
            return self._next - 1

    def completed(self, ms: float) -> None:
        with self._lock:
            self.latencies_ms.append(ms)

    def failed(self, message: str) -> None:
        with self._lock:
            self.errors += 1
            if message not in self.messages and len(self.messages) < ERRORS_KEPT:
                self.messages.append(message)

    def cut_off(self) -> None:
        with self._lock:
            self.unfinished += 1

    def result(self, target: str, clients: int, seconds: float, method: str) -> LoadResult:
        ordered = sorted(self.latencies_ms)
        return LoadResult(target, clients, seconds, len(ordered), self.errors, self.unfinished,
                          round(len(ordered) / seconds, 3), percentile(ordered, 50), percentile(ordered, 95),
                          percentile(ordered, 99), list(self.messages), method)


def drive(clients: int, seconds: float, request: Callable[[int, float], None]) -> _Tally:
    """Run `clients` threads for `seconds`; each calls request(number, deadline) until the deadline.

    request returns when it completed, raises RequestFailed (or any other error) when it failed and
    _Unfinished when the deadline cut it off.
    """
    tally = _Tally()
    deadline = time.monotonic() + seconds

    def client() -> None:
        while time.monotonic() < deadline:
            number = tally.number()
            started = time.monotonic()
            try:
                request(number, deadline)
            except _Unfinished:
                tally.cut_off()
                return
            except RequestFailed as exc:
                tally.failed(str(exc))
                continue
            except Exception as exc:  # a load test reports every failure, with where it happened
                tally.failed(_describe(exc))
                continue
            finished = time.monotonic()
            if finished > deadline:
                tally.cut_off()
                return
            tally.completed((finished - started) * 1000)

    threads = [threading.Thread(target=client, name=f"load-client-{n}", daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally


def _describe(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" (at {Path(frames[-1].filename).name}:{frames[-1].lineno} in {frames[-1].name})" if frames else ""
    return f"{type(exc).__name__}: {exc}{where}"


def questions_from(paths: list[Path]) -> list[str]:
    """The questions of the files given (JSON lines with a "q" field), each once; files not there are passed over."""
    paths = [path for path in paths if Path(path).is_file()]
    questions = list(dict.fromkeys(q.q for path in paths for q in load_questions(path)))
    if not questions:
        raise LoadTestError("No questions to ask: give --questions FILE (JSON lines with a \"q\" field).")
    return questions


def load_api(index: Index, questions: list[str], clients: int, seconds: float) -> LoadResult:
    """N threads searching one shared Index: each request is index.search(question, k=10)."""
    index.search("warm up the models", k=10)

    def request(number: int, deadline: float) -> None:
        if not index.search(questions[number % len(questions)], k=10):
            raise RequestFailed("the search returned no passages")

    tally = drive(clients, seconds, request)
    return tally.result("api", clients, seconds,
                        f"one shared Index, index.search(question, k=10), {len(questions)} questions in turn")


# The app target


@dataclass
class AppPage:
    """What one script run of the app drew."""
    answered: bool                # the "Answer" heading, shown once a search has returned
    citations: int                # Markdown elements holding a "PDF p." citation
    problems: list[str]           # exceptions, error boxes, a failed run


def fetch_page(port: int, query_string: str, timeout: float) -> AppPage:
    """Open a new session on the app, run the script for query_string and read what it draws.

    Speaks the websocket protocol the app's browser page speaks: a BackMsg asking for a script run
    with the URL's query string, then ForwardMsgs until the run reports that it finished.
    """
    from streamlit.proto.Alert_pb2 import Alert
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.exceptions import ConnectionClosed
    from websockets.sync.client import connect

    ends = time.monotonic() + timeout
    answered, citations, problems = False, 0, []
    try:
        with connect(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"],
                     open_timeout=max(timeout, 0.01), max_size=None) as socket_:
            ask = BackMsg()
            ask.rerun_script.query_string = query_string
            socket_.send(ask.SerializeToString())
            while True:
                message = ForwardMsg()
                message.ParseFromString(socket_.recv(timeout=max(ends - time.monotonic(), 0.01)))
                kind = message.WhichOneof("type")
                if kind == "script_finished":
                    if message.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                        continue
                    if message.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                        problems.append("the script did not compile")
                    return AppPage(answered, citations, problems)
                if kind == "session_event" and message.session_event.HasField("script_compilation_exception"):
                    error = message.session_event.script_compilation_exception
                    problems.append(f"{error.type}: {error.message}")
                if kind != "delta" or message.delta.WhichOneof("type") != "new_element":
                    continue
                element = message.delta.new_element
                shown = element.WhichOneof("type")
                if shown == "exception" and not element.exception.is_warning:
                    where = element.exception.stack_trace[-1].strip() if element.exception.stack_trace else ""
                    problems.append(f"{element.exception.type}: {element.exception.message} {where}".strip())
                elif shown == "alert" and element.alert.format == Alert.ERROR:
                    problems.append(f"error box: {element.alert.body}")
                elif shown == "heading" and element.heading.body == "Answer":
                    answered = True
                elif shown == "markdown" and "PDF p" in element.markdown.body:
                    citations += 1
    except TimeoutError as exc:
        raise _Unfinished from exc
    except (ConnectionClosed, OSError) as exc:
        raise RequestFailed(f"connection: {type(exc).__name__}: {exc}") from exc


def check_page(page: AppPage) -> None:
    if page.problems:
        raise RequestFailed("; ".join(page.problems))
    if not page.answered or not page.citations:
        raise RequestFailed("the page shows no search results (no answer heading or no 'PDF p.' citation)")


def date_windows(first_date: str | None, last_date: str | None) -> Callable[[int], tuple[str, str]]:
    """Date window number n, each a different pair, each covering first_date to last_date.

    The app's date pickers run from 1 January of the first year to 31 December of the last, so
    "from" walks back from the first meeting and "to" forward from the last one.
    """
    first = _day(first_date) or dt.date(1990, 1, 1)
    last = _day(last_date) or dt.date.today()
    froms = (first - dt.date(first.year, 1, 1)).days + 1
    tos = (dt.date(last.year, 12, 31) - last).days + 1

    def window(number: int) -> tuple[str, str]:
        number %= froms * tos
        return ((first - dt.timedelta(days=number % froms)).isoformat(),
                (last + dt.timedelta(days=number // froms)).isoformat())

    return window


def _day(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def app_server(index_dir: Path, app: Path) -> Iterator[int]:
    """`streamlit run app.py` on a free loopback port, headless, as `make run` starts it; yields the port.

    Without the source file watcher: a served app does not reload its code, and the watcher's cost
    follows file activity in the project folder (index builds, tests), not the searches.
    """
    port = free_port()
    env = {**os.environ, "INDEX_DIR": str(Path(index_dir).resolve()), "HF_HUB_OFFLINE": "1",
           "TRANSFORMERS_OFFLINE": "1"}
    command = [sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
               "--server.fileWatcherType", "none"]
    with tempfile.TemporaryFile("w+") as log:
        process = subprocess.Popen(command, cwd=app.parent, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_until_healthy(process, port, log)
            yield port
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_healthy(process: subprocess.Popen, port: int, log) -> None:
    gives_up = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < gives_up:
        if process.poll() is not None:
            raise LoadTestError(f"The app stopped as it started (exit {process.returncode}): {_tail(log)}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise LoadTestError(f"The app did not answer on port {port} within {STARTUP_SECONDS} s: {_tail(log)}")


def _tail(log) -> str:
    log.seek(0)
    return " | ".join(log.read().strip().splitlines()[-8:]) or "(no output)"


def load_app(index_dir: Path, app: Path, questions: list[str], clients: int, seconds: float) -> LoadResult:
    """N websocket clients of the running app (app.py); each request opens a new session on a search link."""
    opened = open_index(index_dir)
    info = opened.info()
    opened.close()
    window = date_windows(info.first_date, info.last_date)
    with app_server(index_dir, app) as port:
        warm_up = urllib.parse.urlencode({"q": questions[0]})
        try:
            check_page(fetch_page(port, warm_up, WARM_UP_SECONDS))
        except (RequestFailed, _Unfinished) as exc:
            raise LoadTestError(f"The app's first search failed: {exc or 'no answer in time'}") from exc

        def request(number: int, deadline: float) -> None:
            date_from, date_to = window(number)
            query = urllib.parse.urlencode({"q": questions[number % len(questions)], "from": date_from,
                                            "to": date_to})
            check_page(fetch_page(port, query, deadline - time.monotonic()))

        tally = drive(clients, seconds, request)
    method = (f"a new websocket session per request on ?q=&from=&to= ({len(questions)} questions in turn, "
              f"a different date window each time, so no request hits the search cache); completed = the page "
              f"showed the answer heading and a 'PDF p.' citation")
    return tally.result("app", clients, seconds, method)


def run(index_dir: Path, app: Path, questions: list[str], clients: int = 16, seconds: float = 60,
        targets: tuple[str, ...] = TARGETS, say: Callable[[str], None] = lambda line: None,
        backend: str | None = None) -> list[LoadResult]:
    """Load each target in turn; returns one LoadResult each. backend: where the library API searches
    (the app searches where the index's manifest says)."""
    results = []
    for target in targets:
        say(f"{target}: {clients} clients for {seconds:g} s ({len(questions)} questions)...")
        if target == "api":
            result = load_api(open_index(index_dir, backend=backend), questions, clients, seconds)
        else:
            result = load_app(index_dir, app, questions, clients, seconds)
        say(f"  {result.requests} requests, {result.errors} errors, p95 {result.p95_ms} ms")
        results.append(result)
    return results


def markdown(results: list[LoadResult]) -> str:
    lines = ["| target | clients | seconds | requests | requests/s | p50 ms | p95 ms | p99 ms | errors | unfinished |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        lines.append(f"| {r.target} | {r.clients} | {r.seconds:g} | {r.requests} | {r.throughput:.2f} | "
                     f"{_ms(r.p50_ms)} | {_ms(r.p95_ms)} | {_ms(r.p99_ms)} | {r.errors} | {r.unfinished} |")
    for r in results:
        if r.errors:
            lines.append(f"\n{r.target}: {r.errors} errors; the first distinct messages:")
            lines += [f"- {message}" for message in r.error_messages]
    return "\n".join(lines)


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"
