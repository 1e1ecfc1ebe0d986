"""Score the decision extractor on annotated minutes without building an index.

    PYTHONPATH=. .venv/bin/python tools/score_decisions.py ../shared/eval/dev_decisions.jsonl ../shared/realdata [-v]

Each annotated document is parsed as the build parses it; the scores are those of
`python -m indexer eval --decisions`, with every record missed and every false positive listed.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from indexer.measure.decision_gold import Extracted, load_gold, score_all
from indexer.measure.report import decision_lines
from indexer.papers.parse import parse_file
from indexer.readers import Conversions


def main(gold_path: str, corpus: str, verbose: bool) -> None:
    gold = load_gold(Path(gold_path))
    extracted = {}
    with tempfile.TemporaryDirectory() as scratch:
        conversions = Conversions(Path(scratch))
        for doc in sorted({g.doc for g in gold}):
            parsed = parse_file(Path(corpus) / doc, doc, conversions=conversions)
            extracted[doc] = [Extracted(d.text, d.pdf_page) for d in parsed.decisions]
            if verbose:
                print(f"== {doc}: {len(parsed.decisions)} decisions")
                for d in parsed.decisions:
                    print(f"   p{d.pdf_page} [{d.item}] {d.text[:160]}")
    for line in decision_lines(score_all(gold, extracted)):
        print(line)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], "-v" in sys.argv)
