"""The polite fetcher: one request at a time at a set rate, retried with back-off, a file saved whole or not at all.

- `rate` requests a second at most (0: no wait), counted from the start of one request to the next;
- a 429 or 5xx answer, a time-out, a dropped connection or a cut-off body is tried again after 1, 2, 4... s
  (`backoff` doubled each time), or after the server's Retry-After when that is no longer than `max_retry_after`;
- `download` sends If-None-Match / If-Modified-Since when it has them, writes the body to `<name>.part` beside the
  final name, fsyncs it, checks it against Content-Length, and only then renames it over the final name.
Only http:// and https:// addresses are opened, redirects included.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import FetchFailed, UnsupportedURL

VERSION = "1.0"
USER_AGENT = f"BoardPapersSearch/{VERSION} (+local install; reads public committee papers)"
PART = ".part"
_CHUNK = 1 << 16


def check_url(url: str) -> str:
    """url itself, when it is an http(s) address with a host; else UnsupportedURL."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise UnsupportedURL(url)
    return url


@dataclass
class Response:
    url: str                  # after redirects
    status: int
    headers: dict[str, str]   # names in lower case
    body: bytes


@dataclass
class Download:
    changed: bool             # False: the server said 304, or sent the bytes already held
    sha256: str
    size: int
    etag: str | None
    last_modified: str | None


class _Truncated(Exception):
    """A body shorter than its Content-Length (the connection closed early)."""


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl).scheme.lower() not in ("http", "https"):
            raise FetchFailed(req.full_url, f"redirected to {newurl}, which is not an http(s) address")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class Fetcher:
    """One client for one run; `requests` counts what it has sent, retries included."""

    def __init__(self, rate: float = 1.0, timeout: float = 30.0, retries: int = 3, backoff: float = 1.0,
                 max_retry_after: float = 60.0, user_agent: str = USER_AGENT):
        self.rate, self.timeout, self.retries, self.backoff = rate, timeout, retries, backoff
        self.max_retry_after, self.user_agent = max_retry_after, user_agent
        self.requests = 0
        self._opener = urllib.request.build_opener(_HttpOnlyRedirects())
        self._last_start: float | None = None

    def get(self, url: str, retries: int | None = None) -> Response:
        """The whole body of a 2xx answer; FetchFailed otherwise (after the retries)."""

        def read(response) -> Response:
            expected, body = _length(response), response.read()
            if expected is not None and len(body) < expected:
                raise _Truncated(f"cut off after {len(body):,} of {expected:,} bytes")
            return Response(response.geturl(), response.status, _headers(response), body)

        return self._with_retries(url, {}, self.retries if retries is None else retries, read)

    def download(self, url: str, dest: Path, etag: str | None = None, last_modified: str | None = None,
                 known_sha256: str | None = None) -> Download:
        """Fetch url into dest (its folder is made). A 304, or the same bytes as known_sha256 while dest is
        there, leaves dest untouched; nothing but a complete body ever takes dest's name."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified

        def save(response) -> Download:
            found = _headers(response)
            new_etag, new_modified = found.get("etag") or etag, found.get("last-modified") or last_modified
            if response.status == 304:
                return Download(False, known_sha256 or "", dest.stat().st_size if dest.exists() else 0,
                                new_etag, new_modified)
            return _write(url, response, dest, known_sha256, new_etag, new_modified)

        return self._with_retries(url, headers, self.retries, save)

    def _with_retries(self, url: str, headers: dict[str, str], retries: int, read):
        check_url(url)
        for attempt in range(retries + 1):
            self._pace()
            wait = None
            try:
                with self._open(url, headers) as response:
                    return read(response)
            except urllib.error.HTTPError as exc:
                reason, wait = f"HTTP {exc.code}", _retry_after(exc.headers.get("Retry-After"))
                again = exc.code == 429 or exc.code >= 500
                exc.close()
            except (OSError, http.client.HTTPException, _Truncated) as exc:  # time-outs, resets, TLS errors
                reason, again = _reason(exc, self.timeout), not _unreachable(exc)
            if not again or attempt == retries:
                raise FetchFailed(url, reason + (f", after {attempt + 1} tries" if attempt else ""))
            if wait is not None and wait > self.max_retry_after:
                raise FetchFailed(url, f"{reason}; the server asks for {wait:.0f} s of quiet: run again later")
            time.sleep(max(wait or 0.0, self.backoff * 2 ** attempt))
        raise AssertionError("unreachable")

    def _open(self, url: str, headers: dict[str, str]):
        request = urllib.request.Request(url, headers={"User-Agent": self.user_agent, "Accept-Encoding": "identity",
                                                       **headers})
        self.requests += 1
        try:
            return self._opener.open(request, timeout=self.timeout)
        except urllib.error.HTTPError as exc:
            if exc.code == 304:
                return exc  # an answer like any other: its status is 304
            raise

    def _pace(self) -> None:
        if self.rate > 0 and self._last_start is not None:
            pause = self._last_start + 1.0 / self.rate - time.monotonic()
            if pause > 0:
                time.sleep(pause)
        self._last_start = time.monotonic()


def _write(url: str, response, dest: Path, known_sha256: str | None, etag: str | None,
           last_modified: str | None) -> Download:
    expected = _length(response)
    part = dest.with_name(dest.name + PART)
    digest, size = hashlib.sha256(), 0
    try:
        with _disk(url, part, _create, part) as out:
            while chunk := response.read(_CHUNK):  # a network error here goes up to be retried
                _disk(url, part, out.write, chunk)
                digest.update(chunk)
                size += len(chunk)
            _disk(url, part, out.flush)
            _disk(url, part, os.fsync, out.fileno())
        if expected is not None and size != expected:
            raise _Truncated(f"cut off after {size:,} of {expected:,} bytes")
        sha256 = digest.hexdigest()
        if sha256 == known_sha256 and dest.is_file():
            return Download(False, sha256, size, etag, last_modified)
        _disk(url, dest, os.replace, part, dest)
        _fsync_folder(dest.parent)
        return Download(True, sha256, size, etag, last_modified)
    finally:
        part.unlink(missing_ok=True)


def _create(part: Path):
    part.parent.mkdir(parents=True, exist_ok=True)
    return open(part, "wb")


def _disk(url: str, part: Path, action, *args):
    """action(*args), a disk error turned into this document's failure (not retried: the network is fine)."""
    try:
        return action(*args)
    except OSError as exc:
        raise FetchFailed(url, f"could not write {part}: {exc.strerror or exc}") from exc


def _fsync_folder(folder: Path) -> None:
    """Make a rename durable (POSIX); where a folder cannot be opened (Windows) there is nothing to do."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass  # some file systems refuse fsync on a folder; the rename itself is still atomic
    finally:
        os.close(handle)


def _headers(response) -> dict[str, str]:
    return {name.lower(): value for name, value in response.headers.items()}


def _length(response) -> int | None:
    value = response.headers.get("Content-Length")
    return int(value) if value and value.strip().isdigit() else None


def _retry_after(value: str | None) -> float | None:
    """Retry-After in seconds: a number, or an HTTP date from now."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def _unreachable(exc: Exception) -> bool:
    """No server there at all (refused, no such host): asking again in a second will not help."""
    cause = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    return isinstance(cause, (ConnectionRefusedError, socket.gaierror))


def _reason(exc: Exception, timeout: float) -> str:
    cause = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(cause, TimeoutError):
        return f"no answer within {timeout:g} s"
    if isinstance(exc, _Truncated):
        return str(exc)
    if isinstance(cause, ConnectionRefusedError):
        return "connection refused"
    if isinstance(cause, socket.gaierror):
        return "no such host"
    return f"{type(cause).__name__}: {cause}" if str(cause) else type(cause).__name__
