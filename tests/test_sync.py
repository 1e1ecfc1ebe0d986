"""python -m indexer sync CONFIG: fetch from a modern.gov site, build, alert the saved searches, mail the digests.

Everything is local: the modern.gov site is the test server of test_fetch_moderngov.py (real Kent papers), and
the mail server is aiosmtpd's real SMTP server on 127.0.0.1.
"""

from __future__ import annotations

import email
import re
import socket
import subprocess
import sys
import threading
from email import policy
from pathlib import Path

import pytest
from conftest import REPO
from test_fetch_moderngov import ENV, council  # noqa: F401 - the site fixture

from indexer.errors import BadConfig, SyncRunning
from indexer.sources.alerts import latest_alerts
from indexer.sources.mail import MailSettings, send_digests
from indexer.sources.sync import read_config, run_sync, sync_lock
from indexer.sources.watch import SavedSearches, saved_search

REFUSED = "gone@council.test"


class Mailbox:
    """What the SMTP server received: (envelope recipients, parsed message)."""

    def __init__(self):
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == REFUSED:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), email.message_from_bytes(envelope.content,
                                                                                policy=policy.default)))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    from aiosmtpd.controller import Controller

    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    box.port = controller.port
    yield box
    controller.stop()


def config_file(folder: Path, site: str, smtp_port: int | None, to: str, **extra) -> Path:
    mail = f'\n[mail]\nhost = "127.0.0.1"\nport = {smtp_port}\nfrom = "papers@council.test"\n' if smtp_port else ""
    lines = "".join(f"{key} = {value}\n" for key, value in extra.items())
    path = folder / "sync.toml"
    path.write_text(f'folder = "papers"\nindex = "index"\napp_url = "http://papers.council.test:8501"\n{lines}\n'
                    f'[[source]]\nsite = "{site}"\ncommittees = ["Cabinet", "County Council"]\n'
                    f'from = 2025-01-01\nto = "{to}"\nrate = 0\n{mail}', encoding="utf-8")
    return path


def test_the_config_is_read_and_every_mistake_named(tmp_path):
    good = config_file(tmp_path, "https://democracy.kent.gov.uk", 2525, "2025-03-31")
    config = read_config(good)
    assert config.folder == tmp_path / "papers" and config.index == tmp_path / "index"
    source = config.sources[0]
    assert (source.site, source.committees, source.date_from, source.rate) == (
        "https://democracy.kent.gov.uk", ["Cabinet", "County Council"], "2025-01-01", 0.0)
    assert source.subfolder == "democracy.kent.gov.uk"
    assert config.mail.port == 2525 and config.mail.sender == "papers@council.test"
    cases = {
        'folder = "p"\n': "index is missing",
        'folder = "p"\nindex = "i"\n': "at least one [[source]]",
        'folder = "p"\nindex = "i"\n[[source]]\nsite = "ftp://x.test"\n': "only http:// and https://",
        'folder = "p"\nindex = "i"\n[[source]]\nsite = "https://x.test"\nfrom = "last week"\n': "must be a date",
        'folder = "p"\nindex = "i"\n[[source]]\nsite = "https://x.test"\ncommitees = ["Cabinet"]\n': "unknown setting commitees",
        'folder = "p"\nindex = "i"\n[[source]]\nsite = "https://x.test"\n[mail]\nhost = "m"\nuser = "u"\n': "password_env",
        'folder = "p"\nindex = "i"\n[[source]]\nsite = "https://x.test"\n[mail]\nhost = "m"\nport = "25"\n': "port",
        'folder = p\n': "not valid TOML",
    }
    for text, message in cases.items():
        path = tmp_path / "bad.toml"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(BadConfig, match=re.escape(message)) as caught:
            read_config(path)
        assert str(path) in str(caught.value)
    with pytest.raises(BadConfig, match="no such file"):
        read_config(tmp_path / "missing.toml")


def test_sync_fetches_builds_alerts_and_mails_once_per_recipient(tmp_path, council, smtp):  # noqa: F811
    config = read_config(config_file(tmp_path, council.base.rstrip("/"), smtp.port, "2025-02-01"))
    first = run_sync(config)            # the Cabinet meeting of 30 January only
    assert first.exit_code == 0, first.summary()
    assert "Indexed" in first.built and "First look" in first.summary()
    site = config.sources[0].subfolder              # the site's host and port, made a folder name
    assert site.startswith("127.0.0.1_") and (tmp_path / "papers" / site / "Cabinet" / "2025-01-30").is_dir()

    saved = SavedSearches(config.index)
    assert saved.app_url == "http://papers.council.test:8501"
    saved.add(saved_search("budget amendment", "Labour group alternative budget amendment",
                           email=["finance@council.test", REFUSED]))
    saved.add(saved_search("budget, by the leader", "alternative budget amendment", email=["Finance@council.test"]))
    saved.add(saved_search("libraries", "library opening hours", email=["libraries@council.test"]))

    config = read_config(config_file(tmp_path, council.base.rstrip("/"), smtp.port, "2025-03-31"))
    second = run_sync(config)           # the County Council meeting of 13 February arrives
    found = {s.name: s for s in second.alerts.searches}
    assert found["budget amendment"].passages and found["budget, by the leader"].passages
    assert all(a.doc_path.startswith(f"{site}/County Council/2025-02-13/") for a in found["budget amendment"].passages)
    assert not found["libraries"]
    assert second.mail.sent == ["finance@council.test"]
    assert second.mail.failed and second.mail.failed[0][0] == REFUSED and "550" in second.mail.failed[0][1]
    assert second.exit_code == 1, "a digest not sent is a failure to report"
    assert len(smtp.messages) == 1, "one digest per recipient, both of their searches in it"
    recipients, message = smtp.messages[0]
    assert recipients == ["finance@council.test"]
    assert message["Subject"].startswith("New council papers for your saved searches:")
    body = message.get_content()
    assert "== budget amendment:" in body and "== budget, by the leader:" in body and "libraries" not in body
    assert f"http://papers.council.test:8501/page?doc={site}%2FCounty+Council%2F2025-02-13%2F" in body
    assert latest_alerts(config.index).searches[0].passages

    third = run_sync(config)            # nothing new on the site: nothing built, nothing mailed
    assert "up to date" in third.built and third.mail is None and len(smtp.messages) == 1


def test_two_syncs_never_run_at_once(tmp_path):
    config = read_config(config_file(tmp_path, "http://127.0.0.1:9", None, "2025-03-31"))
    with sync_lock(config.index):
        with pytest.raises(SyncRunning, match="another sync is running"):
            run_sync(config)
        done = subprocess.run([sys.executable, "-m", "indexer", "sync", str(config.path)], cwd=REPO, env=ENV,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 1 and "another sync is running" in done.stderr
        assert not (tmp_path / "papers").exists(), "the second sync did nothing"
    released = threading.Event()

    def hold() -> None:
        with sync_lock(config.index):
            released.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    released.set()
    holder.join()
    with sync_lock(config.index):   # free again once the holder is done
        pass


def test_an_unreachable_site_or_mail_server_is_reported_not_fatal(tmp_path):
    config = read_config(config_file(tmp_path, "http://127.0.0.1:9", None, "2025-03-31"))
    report = run_sync(config)
    assert report.exit_code == 1 and "could not be read" in report.summary() and report.build_failed

    from indexer.sources.alerts import Alert, AlertRun, SearchAlerts

    alert = Alert("passage", "text", "Cabinet minutes", "a.pdf", 1, None, "Cabinet", "2025-01-30", None, 5.0, "p1",
                  link="http://localhost:8501/page?doc=a.pdf&p=1")
    run = AlertRun("2025-01-01T00:00:00+00:00", "2025-02-01T00:00:00+00:00", 1,
                   [SearchAlerts("s", '"q"', ["a@council.test"], [alert])])
    mail = send_digests(run, MailSettings("127.0.0.1", free_port(), timeout=2))
    assert mail.sent == [] and mail.failed[0][0] == "a@council.test" and "could not reach" in mail.failed[0][1]
    assert send_digests(AlertRun(None, "x"), MailSettings("127.0.0.1", 1)).failed == [], "nothing to send: no connection"
