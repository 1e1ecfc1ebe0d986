"""Stage 2, papers: raw pages -> a parsed paper: clean pages and their printed labels, metadata,
agenda items, exempt pages withheld, decisions and passages (parse.py runs them in order)."""
