"""The named stages of a build, and a way to hold a build at one of them.

With INDEXER_HOLD_AT=<stage> in the environment, a build that reaches that stage writes its process
id to the file named by INDEXER_HOLD_FLAG and waits there until it is killed, or until that file is
removed, when it goes on: this is how the tests kill a build at each stage, or something it depends
on (the Milvus server) while the build waits, whatever the speed of the machine.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

# In the order a build passes them.
STAGES = (
    "planned",    # every file's fate decided, nothing parsed yet
    "parsed",     # a first document parsed, not yet embedded
    "embedded",   # a first batch of vectors made, not yet written
    "written",    # a first batch written to the staging folder
    "staged",     # the staging folder complete on disk, not yet swapped in
    "swapped",    # the new index in place, the old one not yet removed
)
# Reached only by a build with a backend (milvus_sync.MilvusSync), between "written" and "staged".
BACKEND_PART = "backend-part"   # a group of documents' later rows in the collection, their first rows not yet
HOLD_AT, HOLD_FLAG = "INDEXER_HOLD_AT", "INDEXER_HOLD_FLAG"


def reached(stage: str) -> None:
    """Mark that the build reached stage; hold it there when the environment asks."""
    if os.environ.get(HOLD_AT) != stage:
        return
    flag = os.environ.get(HOLD_FLAG)
    if flag:
        Path(flag).write_text(str(os.getpid()))
    while not flag or Path(flag).exists():
        time.sleep(0.1)
