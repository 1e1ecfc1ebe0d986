"""Alerts by e-mail: one digest for each recipient per sync, through the SMTP server the config names.

A recipient gets one message listing every saved search of theirs that has alerts, each alert with its
citation and the link to its page in the app. A recipient whose message is refused is reported; the others
are still sent. The password is never in the config: `password_env` names the environment variable holding it.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from ..errors import IndexerError

EXCERPT = 300   # characters of each alert's text in the mail


@dataclass
class MailSettings:
    host: str
    port: int = 25
    sender: str = "board-papers-search@localhost"
    starttls: bool = False      # upgrade the connection with STARTTLS (port 587)
    tls: bool = False           # connect over TLS from the start (port 465)
    user: str | None = None
    password_env: str | None = None
    timeout: float = 30.0


@dataclass
class MailReport:
    sent: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)   # (recipient, why)

    def summary(self) -> str:
        line = f"Mail: {len(self.sent)} digest{'' if len(self.sent) == 1 else 's'} sent"
        if self.sent:
            line += f" ({', '.join(self.sent)})"
        return "\n".join([line, *(f"  not sent to {to}: {why}" for to, why in self.failed)])


def digests(run) -> dict[str, list]:
    """Recipient -> their saved searches (alerts.SearchAlerts) that have alerts, in the order saved."""
    wanted: dict[str, list] = {}
    for found in run.searches:
        if found:
            for address in found.email:
                wanted.setdefault(address.lower(), []).append(found)
    return wanted


def compose(recipient: str, searches: list, run, sender: str) -> EmailMessage:
    passages = sum(len(s.passages) for s in searches)
    decisions = sum(len(s.decisions) for s in searches)
    message = EmailMessage()
    message["From"], message["To"] = sender, recipient
    message["Date"], message["Message-ID"] = formatdate(localtime=True), make_msgid(domain="board-papers-search")
    message["Subject"] = (f"New council papers for your saved searches: "
                          f"{passages} passage{'' if passages == 1 else 's'}, "
                          f"{decisions} decision{'' if decisions == 1 else 's'} since {run.since_words()}")
    lines = [f"New since {run.since_words()}, in the papers indexed on {run.built_at[:10]}:", ""]
    for found in searches:
        lines += [f"== {found.name}: {found.query}", f"   {found.counts()}", ""]
        for alert in [*found.decisions, *found.passages]:
            text = " ".join(alert.text.split())
            lines += [("Decision" if alert.kind == "decision" else "Passage") + f": {alert.citation}",
                      f"   {text[:EXCERPT]}{'...' if len(text) > EXCERPT else ''}",
                      f"   Open the page: {alert.link}"]
            if alert.source_url:
                lines.append(f"   On the council's site: {alert.source_url}")
            lines.append("")
    lines.append("You get this because your address is on these saved searches; remove it with "
                 "`python -m indexer watch remove NAME` or in the app.")
    message.set_content("\n".join(lines))
    return message


def send_digests(run, settings: MailSettings) -> MailReport:
    """Send each recipient their digest over one connection; nothing to send, nothing connects."""
    report = MailReport()
    wanted = digests(run)
    if not wanted:
        return report
    try:
        with _connect(settings) as server:
            for recipient, searches in wanted.items():
                try:
                    server.send_message(compose(recipient, searches, run, settings.sender))
                    report.sent.append(recipient)
                except smtplib.SMTPRecipientsRefused as exc:
                    report.failed.append((recipient, f"refused by the server: {_reason(exc)}"))
                except smtplib.SMTPException as exc:
                    report.failed.append((recipient, str(exc)))
    except (OSError, smtplib.SMTPException, IndexerError) as exc:
        why = str(exc) if isinstance(exc, IndexerError) else \
            f"could not reach the mail server {settings.host}:{settings.port} ({exc})"
        report.failed += [(recipient, why) for recipient in wanted if recipient not in report.sent]
    return report


def _connect(settings: MailSettings) -> smtplib.SMTP:
    context = ssl.create_default_context()
    if settings.tls:
        server = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout, context=context)
    else:
        server = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        if settings.starttls:
            server.starttls(context=context)
    if settings.user:
        password = os.environ.get(settings.password_env or "")
        if password is None:
            server.close()
            raise IndexerError(f"the mail password is not set: put it in the environment variable "
                               f"{settings.password_env or '(name one with password_env)'}")
        server.login(settings.user, password)
    return server


def _reason(exc: smtplib.SMTPRecipientsRefused) -> str:
    return "; ".join(f"{code} {message.decode(errors='replace') if isinstance(message, bytes) else message}"
                     for code, message in exc.recipients.values())
