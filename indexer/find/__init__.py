"""Stage 4, find: a question -> ranked, cited passages (keyword, dense, fusion, rerank) and an answer."""
