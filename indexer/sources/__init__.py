"""Sources: councils' sites -> a folder of papers with a metadata.csv the indexer reads.

- listing.py: what a site lists (Committee, Meeting, Document) and what each document is called and is;
- moderngov.py: a modern.gov site's listing through its web service, else (moderngov_pages.py) its public pages;
- http.py: the polite fetcher (rate, retries with back-off, validators, downloads saved whole or not at all);
- folder.py: the folder fetched into: safe names, the state file, metadata.csv;
- fetch.py: `fetch_moderngov`, the listing then each document, and the report of what came.

    from indexer.sources import fetch_moderngov
    report = fetch_moderngov("https://democracy.kent.gov.uk", "papers/kent", committees=["Cabinet"])
    print(report.summary())
"""

from .fetch import FetchProgress, FetchReport, fetch_moderngov
from .folder import safe_name

__all__ = ["FetchProgress", "FetchReport", "fetch_moderngov", "safe_name"]
