"""A question -> ranked passages, each cited to document, meeting, item and page.

Two retrievers: dense (sentence vectors) and keyword (BM25). The default, hybrid, fuses
their rankings by reciprocal rank; a cross-encoder can re-score the fused top passages.
Filters apply inside both retrievers, so a filter narrows the candidates before ranking
and never empties a top-k that exists.

A hit's score depends on the mode: cosine similarity (dense), BM25 (keyword), fused
reciprocal-rank score (hybrid), or, reranked, the cross-encoder's logit less a little for a passage
the first stage ranked low (with_first_stage); a passage of the month a question names may stand
above one scoring up to MONTH_BONUS more (prefer_focus). Asked about a month, the cross-encoder also
reads the passages of that month that each retriever matches best (inside_month).
"""

from __future__ import annotations

import math
import re
from dataclasses import replace

from ..backends.local import LocalBuild
from ..errors import BadQuery
from ..papers.metadata import long_date
from ..records import DecisionRecord, Filters, Hit
from .focus import Focus, as_indexed, names_as_asked, read_focus
from .models import Models
from .rerank import Reranker, best_windows, corpus_weights, word_stem

MODES = ("hybrid", "keyword", "dense")
# The words asking what was decided, as verbs ('resolved', 'agreed to', 'signed off'); answer.py reads who decided
# as the words between 'did' and one of these.
DECISION_VERB = (r"resolv\w*|decid\w*|agree\w*|approv\w*|adopt\w*|endors\w*|ratif\w*|vote\w*|accept\w*|sign(?:ed)? off"
                 r"|cho(?:o)?se|chosen|pick(?:ed)?|elect\w*|appoint\w*|defer\w*|reject\w*|refus\w*|authori[sz]\w*"
                 r"|award(?:ed)?")
_FATE = r"result|outcome|happened|pass(?:ed)?|carried|support(?:ed)?"   # what became of a motion
DECISION_QUESTION = re.compile(
    rf"\b(?:{DECISION_VERB}|resolution|decision)\b"
    # or asks whether a body did something: 'Did the councillors back ...?', 'Has the board ...?'
    r"|^\s*(?:did|has|have|was|were)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,5}?(?:board|council|councillors|cllrs|cabinet"
    r"|committee|panel|trustees|directors|members)\b"
    # or what became of a motion: 'What was the result of the motion on ...?', 'What motion did the council pass?'
    rf"|\b(?:{_FATE})\b(?=.*\bmotion\b)|\bmotion\b(?=.*\b(?:{_FATE})\b)"
    # or how a body answered what was put to it: 'How did the council respond to the Trust's request?', 'What
    # position did the group take on ...?'
    r"|\bhow\s+did\s+(?:[\w'’&.-]+\s+){1,8}?(?:respond|react|reply|deal\s+with)\b"
    r"|\bwhat\s+(?:position|stance)\s+did\b", re.I
)
DEFAULT_RERANK = True   # measured: better on both question sets, p95 under 1 s
RRF_K = 60              # the usual constant of reciprocal rank fusion
CANDIDATES = 50         # from each retriever, for fusion
RERANK_DEPTH = 20       # fused passages the cross-encoder re-scores (25: recall@5 +0.005 for 25% more work)
RERANK_WORDS = 80       # of each, it reads the best-matching stretch of this many words,
RERANK_SECOND_LOOK = 4   # and for this many leaders a second stretch too (second_window)
DECISION_BONUS = 1.0     # cross-encoder logits added to a passage holding a decision, for a decision question
MONTH_BONUS = 2.0        # logits a passage of the month a question names may be below another and still lead it
                         # (1 and 3 measured less well: EVALUATION.md, 6 December 2026)
LEADERS_READ = 3         # of the dense retriever's best, the cross-encoder reads whatever their fused rank,
DECISIONS_READ = 3       # and of the passages holding the best-matching resolutions,
MEETING_READ = 3         # and of the passages of the month (and body) a question names, by each retriever
FIRST_STAGE_WEIGHT = 0.3  # logits taken from a reranked passage for each unit of ln(its first-stage place)

Ranked = list[tuple[int, float]]   # (chunk id, score), best first


def search(build: LocalBuild, models: Models, queries: list[str], k: int, filters: Filters,
           mode: str = "hybrid", rerank: bool = DEFAULT_RERANK, steer: bool = True) -> list[list[Hit]]:
    """The top k passages for each query (dense vectors encoded in one batch).

    steer: in hybrid mode, the passages inside what a query names (a body, month, document type:
    focus.py) count once more; False searches everywhere alike."""
    cleaned = _validated(queries, k, mode)
    depth = max(k, RERANK_DEPTH if rerank else 0, CANDIDATES if mode == "hybrid" else 0)
    if mode == "keyword":
        dense: list[Ranked] = [[] for _ in cleaned]
    else:
        vectors = models.embedder(build.manifest.model).encode_queries(cleaned)
        dense = build.dense(vectors, depth, filters)
    results = []
    bodies = list(build.info().bodies)
    for n, (query, dense_ranked) in enumerate(zip(cleaned, dense)):
        # words are matched with a body the question spells out named as the index names it ('FOWD')
        worded = as_indexed(query, bodies)
        keyword_ranked = build.keyword(worded, depth, filters) if mode != "dense" else []
        # asked what was decided, passages holding matching resolutions count in the fusion too
        decided, resolutions = (decision_passages(build, worded, depth, filters)
                                if mode == "hybrid" and DECISION_QUESTION.search(query) else ([], {}))
        # and the cross-encoder reads those of the body and month the question names, whatever their rank
        focus = question_focus(build, query) if steer and mode == "hybrid" else Focus()
        named, named_resolutions = (decision_passages(build, worded, DECISIONS_READ, filters, focus)
                                    if rerank and decided and focus else ([], {}))
        resolutions = {**named_resolutions, **resolutions}
        if mode == "hybrid":
            ranked = _hybrid(build, dense_ranked, keyword_ranked, decided, focus)
        else:
            ranked = dense_ranked if mode == "dense" else keyword_ranked
        first_stage = ranked
        meeting: Ranked = []
        reading = RERANK_DEPTH
        if rerank and mode == "hybrid":
            ranked = _with_leaders(ranked, [dense_ranked[:LEADERS_READ], decided[:DECISIONS_READ], named])
            meeting = inside_month(build, vectors[n:n + 1], worded, focus, filters) if focus.month else []
            ranked, reading = _read_also(ranked, meeting)
        hits = build.hits(ranked[: max(k, reading) if rerank else k])
        if rerank:   # the cross-encoder reads the best RERANK_DEPTH (and the meeting's); any more asked for follow
            read, rest = hits[:reading], hits[reading:]
            weights = corpus_weights(query, build.passages_holding, build.count())
            hits = rerank_hits(models.reranker, query, read, weights,
                               {chunk_id: resolutions[chunk_id] for chunk_id, _ in [*decided[:DECISIONS_READ], *named]},
                               {body: body.replace(part, words)
                                for body, (part, words) in names_as_asked(query, bodies).items()})
            hits = with_first_stage(hits, [first_stage, dense_ranked, decided, named, meeting])
            if DECISION_QUESTION.search(query):
                hits = prefer_decisions(build, hits)
            if focus.month:
                hits = prefer_focus(hits, focus)
            hits += [replace(hit, rank=len(read) + n) for n, hit in enumerate(rest, start=1)]
        results.append(hits[:k])
    return results


def with_first_stage(hits: list[Hit], rankings: list[Ranked]) -> list[Hit]:
    """Reranked hits, each losing FIRST_STAGE_WEIGHT logits per unit of ln(its best place in the first-stage
    rankings: fused, or the dense or decisions ranking that led it to be read), and put in that order.
    The cross-encoder's near-ties (a few tenths of a logit, within its noise) go to the passage a retriever
    put higher, while a clear lead still wins from any place (measured: EVALUATION.md, 4 December 2026)."""
    place: dict[int, int] = {}
    for ranking in rankings:
        for n, (chunk_id, _) in enumerate(ranking, start=1):
            place[chunk_id] = min(n, place.get(chunk_id, n))
    last = max(map(len, rankings), default=0) + 1
    return _rescored([(hit.score - FIRST_STAGE_WEIGHT * math.log(place.get(hit.chunk_id, last)), hit) for hit in hits])


def prefer_decisions(build: LocalBuild, hits: list[Hit]) -> list[Hit]:
    """Asked what was decided, a passage recording a decision outranks discussion scored a little higher."""
    held = {record.chunk_id for record in build.decisions_in([hit.chunk_id for hit in hits])}
    return _rescored([(hit.score + (DECISION_BONUS if hit.chunk_id in held else 0.0), hit) for hit in hits])


def prefer_focus(hits: list[Hit], focus: Focus) -> list[Hit]:
    """Asked about a month ('at their June 2023 meeting'), a passage of that month's meeting outranks one of
    another year's meeting scored a little higher: the cross-encoder barely tells '2023-24' from '2024-25'.
    Each keeps its score, so how sure an answer from it is does not rest on the bonus."""
    def steered(hit: Hit) -> float:
        return hit.score + (MONTH_BONUS if focus.holds(hit.body, hit.meeting_date, hit.doc_type) else 0.0)
    return [replace(hit, rank=rank) for rank, hit in enumerate(sorted(hits, key=lambda hit: -steered(hit)), start=1)]


def _rescored(scored: list[tuple[float, Hit]]) -> list[Hit]:
    """The hits with these new scores, best first and ranked again."""
    scored = sorted(scored, key=lambda pair: -pair[0])
    return [replace(hit, rank=rank, score=round(score, 4)) for rank, (score, hit) in enumerate(scored, start=1)]


def _validated(queries: list[str], k: int, mode: str) -> list[str]:
    cleaned = [" ".join(str(q).split()) for q in queries]
    if any(not q for q in cleaned):
        raise BadQuery("Type a question or some words to search for.")
    if k < 1:
        raise BadQuery("-k must be at least 1")
    if mode not in MODES:
        raise BadQuery(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    return cleaned


def question_focus(build: LocalBuild, query: str) -> Focus:
    """What the query names of the bodies and document types this build holds, and the month; a document type
    none of whose papers is of the body and month named ('the JPC's September 2016 minutes' where only its
    agenda is indexed) is let go, and the body and month steer alone."""
    info = build.info()
    focus = read_focus(query, list(info.bodies), list(info.doc_types))
    if focus.doc_types and (focus.bodies or focus.month) and not build.holds(focus.filters()):
        return replace(focus, doc_types=())
    return focus


def inside_month(build: LocalBuild, vector, query: str, focus: Focus, filters: Filters) -> Ranked:
    """The passages of the month (and body, document type) the question names that match it best, by the
    dense and the keyword retriever each: over the whole index a meeting's own passages can rank below
    many of other meetings that share the question's words ('How was the March 2020 meeting held?')."""
    scope = focus.filters()
    found = [*build.dense(vector, MEETING_READ, scope)[0], *build.keyword(query, MEETING_READ, scope)]
    if found and filters.active():   # the reader's own filters still hold
        passing = build.passing([chunk_id for chunk_id, _ in found], filters)
        found = [pair for pair in found if pair[0] in passing]
    return found


def _with_leaders(ranked: Ranked, leaders: list[Ranked]) -> Ranked:
    """The fused ranking with these leaders moved into the part the cross-encoder reads: the dense
    retriever's best, which fusion can sink below passages that only match words, and the passages
    holding the best-matching resolutions (a decision notice that words its subject unlike the question)."""
    missing = _unread(ranked, [pair for ranking in leaders for pair in ranking])
    return _placed(ranked, missing, RERANK_DEPTH - len(missing)) if missing else ranked


def _read_also(ranked: Ranked, also: Ranked) -> tuple[Ranked, int]:
    """The ranking with these passages (the named meeting's) placed right after the part the cross-encoder
    reads, and how many it then reads: they are read beside the others, not in place of any."""
    extra = _unread(ranked, also)
    return _placed(ranked, extra, RERANK_DEPTH), RERANK_DEPTH + len(extra)


def _unread(ranked: Ranked, wanted: Ranked) -> list[int]:
    """The wanted passages, once each, that are not in the part of the ranking the cross-encoder reads."""
    read = {chunk_id for chunk_id, _ in ranked[:RERANK_DEPTH]}
    return list(dict.fromkeys(chunk_id for chunk_id, _ in wanted if chunk_id not in read))


def _placed(ranked: Ranked, chunk_ids: list[int], at: int) -> Ranked:
    """The ranking with these passages moved to place `at`, the others keeping their order."""
    fused, moved = dict(ranked), set(chunk_ids)
    kept = [pair for pair in ranked if pair[0] not in moved]
    return kept[:at] + [(chunk_id, fused.get(chunk_id, 0.0)) for chunk_id in chunk_ids] + kept[at:]


def _hybrid(build: LocalBuild, dense: Ranked, keyword: Ranked, decided: Ranked, focus: Focus) -> Ranked:
    # Keyword ranking counts twice (it measured the stronger retriever on both question sets),
    # and so do passages holding matching resolutions: asked what was decided, show the decision.
    fused = reciprocal_rank_fusion([dense, keyword, keyword, decided, decided])
    # "at Cabinet in July 2020": passages of that body and month count once more.
    if not focus:
        return fused
    inside = build.passing([chunk_id for chunk_id, _ in fused], focus.filters())
    return reciprocal_rank_fusion([fused, fused, [pair for pair in fused if pair[0] in inside]])


def decision_passages(build: LocalBuild, query: str, depth: int, filters: Filters,
                      focus: Focus = Focus()) -> tuple[Ranked, dict[int, str]]:
    """Passages holding the resolutions that best match the query, best first, and each one's best
    resolution; with a focus, those of the body and month it names first (focused_decisions).

    A decision passes a date filter on its own meeting's date, but the passage holding it is the
    document's, so the passages are filtered as passages too (as in the other retrievers)."""
    ranked: dict[int, float] = {}
    resolutions: dict[int, str] = {}
    for record in focused_decisions(build, query, filters, focus, depth):
        if record.chunk_id is not None and record.chunk_id not in ranked:
            ranked[record.chunk_id] = record.score or 0.0
            resolutions[record.chunk_id] = record.text
    if ranked and filters.active():
        passing = build.passing(list(ranked), filters)
        ranked = {chunk_id: score for chunk_id, score in ranked.items() if chunk_id in passing}
    return list(ranked.items()), resolutions


def focused_decisions(register, query: str, filters: Filters, focus: Focus, limit: int) -> list[DecisionRecord]:
    """The `limit` resolutions best matching the query, those of the body and month the question names
    first ('what did the council agree at its special meeting in December 2017?'): in the whole register
    their words can lose to resolutions of other years that share more of them. A filter the reader set
    is kept as it is.

    register: the build or the open index (either answers .decisions(query, filters, limit=))."""
    inside = register.decisions(query, focus.filters(), limit=limit) if focus and not filters.active() else []
    found = {record.id: record for record in [*inside, *register.decisions(query, filters, limit=limit)]}
    return list(found.values())[:limit]


def reciprocal_rank_fusion(rankings: list[Ranked], k: int = RRF_K) -> Ranked:
    """Fuse ranked lists: each list adds 1 / (k + rank) for every id it holds."""
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, (chunk_id, _) in enumerate(ranking, start=1):
            fused[chunk_id] = fused.get(chunk_id, 0.0) + 1.0 / (k + rank)
    return sorted(fused.items(), key=lambda pair: (-pair[1], pair[0]))


def second_window(text: str, read: list[str], weights: dict[str, float], head: str) -> str:
    """A leader's second stretch: the one that best matches the question's words its head does not show (the
    body, the paper's title or the item, read above every stretch), where that is not the stretch read first;
    else the second best by all the words. Asked 'According to the report on adopting the Integrated Care
    Strategy delivery plan, what share of the influences on health lie beyond the NHS?', every stretch of the
    report shares the title's words, and the first is often the one that repeats them.

    read: the passage's best two stretches by all the words (best_windows)."""
    shown = {word_stem(word) for word in head.split()}
    beyond = {term: weight for term, weight in weights.items() if term not in shown}
    if beyond:
        other = best_windows(text, beyond, RERANK_WORDS, 1)[0]
        if other != read[0]:
            return other
    return read[1]


def rerank_hits(reranker: Reranker, query: str, hits: list[Hit], weights: dict[str, float],
                resolutions: dict[int, str] | None = None, names: dict[str, str] | None = None) -> list[Hit]:
    """Re-score by the cross-encoder: each passage's best-matching window, then a second
    window for the passages that came out on top (second_window), each scoring as its best window.

    weights: the query's words weighed over the whole build (corpus_weights), to choose the windows by.
    resolutions: by chunk id, a resolution the passage holds that matches the question, read as one
    more window of it (asked what was decided, the decision is the part that answers).
    names: a body's name as the question writes it, where not as the index does ('FOWD' -> 'Fair Oaks
    Water District', focus.names_as_asked), written so above its passages: else the model prefers a passage
    that happens to write the name so to one of the same body that answers."""
    if not hits:
        return hits
    windows = [best_windows(h.text, weights, RERANK_WORDS, 2) for h in hits]
    names = names or {}
    heads = [f"{names.get(h.body or '', h.body or '')} {long_date(h.meeting_date)}: "
             f"{' '.join((h.item or h.doc_title).split()[:8])}" for h in hits]
    scores = [float(s) for s in reranker.score(
        query, [f"{head}\n{ws[0]}" for head, ws in zip(heads, windows)])]
    leaders = sorted(range(len(hits)), key=lambda n: -scores[n])[:RERANK_SECOND_LOOK]
    looks = [(n, second_window(hits[n].text, windows[n], weights, heads[n])) for n in leaders if len(windows[n]) > 1]
    looks += [(n, " ".join(resolutions[h.chunk_id].split()[:RERANK_WORDS]))
              for n, h in enumerate(hits) if h.chunk_id in (resolutions or {})]
    for (n, _), score in zip(looks, reranker.score(query, [f"{heads[n]}\n{window}" for n, window in looks])):
        scores[n] = max(scores[n], float(score))
    order = sorted(range(len(hits)), key=lambda n: -scores[n])
    return [replace(hits[n], rank=rank, score=round(scores[n], 4), reranked=True) for rank, n in enumerate(order, start=1)]
