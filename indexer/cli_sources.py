"""python -m indexer fetch | sync | watch: papers from councils' sites, and the saved searches that alert."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .find.search import MODES


def add_commands(commands) -> None:
    fetch = commands.add_parser("fetch", help="download a council's meeting papers into a folder to index")
    fetch.add_argument("source", choices=["moderngov"], help="the kind of site (modern.gov)")
    fetch.add_argument("site_url", metavar="SITE_URL", help="the site's address, e.g. https://democracy.kent.gov.uk")
    fetch.add_argument("--into", type=Path, required=True, metavar="FOLDER", help="folder to fetch into")
    fetch.add_argument("--committee", action="append", metavar="NAME",
                       help="only this committee (repeatable; part of the name is enough; default all)")
    fetch.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD",
                       help="meetings on or after this day (default a year ago)")
    fetch.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD",
                       help="meetings on or before this day (default a month ahead)")
    fetch.add_argument("--rate", type=float, default=1.0, metavar="R", help="requests a second (default 1; 0: no wait)")
    fetch.set_defaults(run=_fetch)

    sync = commands.add_parser("sync", help="fetch the sources a config names, build, then alert the saved searches")
    sync.add_argument("config", type=Path, metavar="CONFIG", help="TOML file: folder, index, [[source]]s, [mail]")
    sync.add_argument("--quiet", action="store_true", help="only the summary")
    sync.set_defaults(run=_sync)

    watch = commands.add_parser("watch", help="saved searches: alerts when new papers match them")
    actions = watch.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="save a search; its alerts start with the next build")
    add.add_argument("name", help="a short name, e.g. homelessness")
    add.add_argument("query", help="the question or words to look for")
    add.add_argument("--mode", choices=MODES, default="hybrid", help="as in search (default hybrid)")
    add.add_argument("--body", action="append", help="only this body (repeatable; part of the name is enough)")
    add.add_argument("--doc-type", action="append", help="only this document type (repeatable)")
    add.add_argument("--from", dest="date_from", help="meetings on or after YYYY-MM-DD")
    add.add_argument("--to", dest="date_to", help="meetings on or before YYYY-MM-DD")
    add.add_argument("--path", action="append", help="only documents under this path in the corpus (repeatable)")
    add.add_argument("--email", action="append", metavar="ADDRESS", help="send its alerts to this address (repeatable)")
    add.add_argument("--replace", action="store_true", help="replace a saved search of the same name")
    listing = actions.add_parser("list", help="the saved searches and their newest alerts")
    remove = actions.add_parser("remove", help="delete a saved search (and its feed)")
    remove.add_argument("name")
    show = actions.add_parser("show", help="the newest alerts of a saved search")
    show.add_argument("name")
    for parser in (add, listing, remove, show):
        parser.add_argument("--index", type=Path, default=Path(os.environ.get("INDEX_DIR", "index")),
                            help="the index the searches watch (default $INDEX_DIR, else index)")
    watch.set_defaults(run=_watch)


def _fetch(args) -> int:
    from .sources.fetch import FetchProgress, fetch_moderngov

    def progress(p: FetchProgress) -> None:
        line = f"  {p.name}: {p.outcome}" if p.stage == "meeting" else f"[{p.done}/{p.total}] {p.outcome} {p.name}"
        print(line + (f" ({p.reason})" if p.reason else ""), file=sys.stderr, flush=True)

    try:
        report = fetch_moderngov(args.site_url, args.into, args.committee or (), args.date_from, args.date_to,
                                 rate=args.rate, progress=progress)
    except KeyboardInterrupt:
        print("interrupted; what was fetched is kept: run the same command again to go on", file=sys.stderr)
        return 130
    print(report.summary())
    return report.exit_code


def _sync(args) -> int:
    from .sources.sync import read_config, run_sync

    config = read_config(args.config)
    say = (lambda line: None) if args.quiet else (lambda line: print(line, file=sys.stderr, flush=True))

    def fetched(p) -> None:
        if p.stage != "meeting" and p.outcome != "skipped":
            say(f"  [{p.done}/{p.total}] {p.outcome} {p.name}" + (f" ({p.reason})" if p.reason else ""))

    shown = [-1]

    def built(p) -> None:
        if p.files_done != shown[0] and (p.files_done % 25 == 0 or p.files_done == p.files_total):
            shown[0] = p.files_done
            say(f"  indexed {p.files_done} of {p.files_total} files ({p.chunks} passages)")

    try:
        report = run_sync(config, say, fetch_progress=None if args.quiet else fetched,
                          build_progress=None if args.quiet else built)
    except KeyboardInterrupt:
        print("interrupted; what was fetched is kept and the index is unchanged: run sync again", file=sys.stderr)
        return 130
    print(report.summary())
    return report.exit_code


def _watch(args) -> int:
    from .sources.watch import SavedSearches

    saved = SavedSearches(args.index)
    action = {"add": _watch_add, "remove": _watch_remove, "list": _watch_list, "show": _watch_show}[args.action]
    return action(args, saved)


def _watch_add(args, saved) -> int:
    from .sources.alerts import start_from
    from .sources.watch import saved_search

    search = saved_search(args.name, args.query, args.mode, args.body, args.doc_type, args.date_from,
                          args.date_to, args.path, args.email)
    saved.add(search, replace=args.replace)
    mailed = f", mailed to {', '.join(search.email)}" if search.email else ""
    print(f"Saved {search.name!r}: {search.describe()}{mailed}")
    if not (args.index / "manifest.json").is_file():
        print(f"There is no index at {args.index} yet: alerts start after its first build and the one after.")
        return 0
    from .find.index import open_index

    start_from(open_index(args.index), saved)
    print("Its alerts come with the papers the next build adds.")
    return 0


def _watch_remove(args, saved) -> int:
    print(f"Removed {saved.remove(args.name).name!r}.")
    return 0


def _watch_list(args, saved) -> int:
    from .sources.alerts import latest_alerts

    latest = latest_alerts(args.index)
    found = {s.name: s for s in latest.searches} if latest else {}
    searches = saved.all()
    if not searches:
        print(f"No saved searches for {args.index}. Add one: python -m indexer watch add NAME \"words\"")
    for search in searches:
        news = (f"new since {latest.since_words()}: {found[search.name].counts()}" if search.name in found
                else "no alerts yet")
        print(f"{search.name}: {search.describe()}" + (f" -> {', '.join(search.email)}" if search.email else "")
              + f"\n   {news}; feed {saved.folder / 'feeds' / (search.slug + '.atom')}")
    return 0


def _watch_show(args, saved) -> int:
    from .sources.alerts import latest_alerts

    search = saved.get(args.name)
    latest = latest_alerts(args.index)
    alerts = next((s for s in latest.searches if s.name == search.name), None) if latest else None
    if not alerts:
        print(f"{search.name}: no alerts yet.")
        return 0
    print(f"{search.name}: {search.describe()}; new since {latest.since_words()}: {alerts.counts()}\n")
    for alert in [*alerts.decisions, *alerts.passages]:
        text = " ".join(alert.text.split())
        print(f"{'Decision' if alert.kind == 'decision' else 'Passage'} [{alert.score:.1f}]: {alert.citation}")
        print(f"   {text[:400]}{'...' if len(text) > 400 else ''}\n   {alert.link}\n")
    return 0


def alerts_after_build(index_dir: Path) -> str | None:
    """After `build`: the saved searches' alerts, when the index has any saved; their summary."""
    from .sources.alerts import update_alerts
    from .sources.watch import SavedSearches

    saved = SavedSearches(index_dir)
    if not saved.all():
        return None
    from .find.index import open_index

    index = open_index(index_dir)
    try:
        return update_alerts(index, saved).summary()
    finally:
        index.close()

