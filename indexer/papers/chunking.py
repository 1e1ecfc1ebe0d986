"""Blocks -> passages of roughly 120-300 words that a person can cite.

A chunk never crosses an agenda item (blocks of one item are chunked apart from
the next) and prefers to end at a page turn, a heading or a paragraph end. A
chunk that had to be cut mid-page starts with the last sentence or so of the one
before it, so that no statement is lost at the cut.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from ..text import ends_sentence, sentences
from .structure import Block

CHUNKER_VERSION = "6"   # 4: no sentence ends at "Co." or "Ch." (text.py); 5: one ends after "(Ch. No. 101145)"; 6: an item that is its title alone is kept
TARGET_WORDS = 180
MAX_WORDS = 260
MIN_WORDS = 120
OVERLAP_WORDS = 30



@dataclass
class Chunk:
    text: str
    pdf_page: int
    pdf_page_end: int
    item: str | None
    heading: str | None


def chunk_blocks(blocks: list[Block]) -> list[Chunk]:
    chunks: list[Chunk] = []
    for _, group in groupby(blocks, key=lambda b: b.item):
        chunks.extend(_chunk_item(list(group)))
    return chunks


def _chunk_item(blocks: list[Block]) -> list[Chunk]:
    pieces = [piece for block in blocks for piece in _fit(block)]
    chunks: list[Chunk] = []
    current: list[Block] = []
    words = 0
    overlapped = False  # whether current starts with a repeat of the previous chunk's tail
    for piece in pieces:
        size = _words(piece.text)
        turns_page = bool(current) and piece.pdf_page > current[-1].pdf_page_end and words >= MIN_WORDS
        starts_section = piece.is_heading and words >= MIN_WORDS
        if current and (turns_page or words + size > MAX_WORDS or starts_section
                        or words >= TARGET_WORDS and ends_sentence(current[-1].text)):
            chunks.append(_make(current))
            # A new page or heading is a clean break; elsewhere, repeat the last sentence or so.
            overlapped = not (turns_page or starts_section)
            current = _overlap(current) if overlapped else []
            words = sum(_words(b.text) for b in current)
        current.append(piece)
        words += size
    # a heading with nothing under it before the next in the item adds nothing; an item that is its title alone
    # ('6. Guest Speaker: Nicola Upson, Author' on an agenda) is kept
    if current and (any(not b.is_heading for b in current) or not chunks):
        small_tail = words < MIN_WORDS // 2 and _words(chunks[-1].text) + words <= MAX_WORDS + OVERLAP_WORDS \
            if chunks else False
        if small_tail and current[0].pdf_page == chunks[-1].pdf_page_end:  # same page: fold the tail in
            chunks[-1] = _merge(chunks[-1], current[1:] if overlapped else current)
        else:
            chunks.append(_make(current))
    return chunks


def _fit(block: Block) -> list[Block]:
    """Split a block longer than MAX_WORDS at sentence ends (or by words, as a last resort)."""
    if _words(block.text) <= MAX_WORDS:
        return [block]
    pieces, current = [], []
    for sentence in sentences(block.text):
        tokens = sentence.split()
        while len(tokens) > MAX_WORDS:
            pieces.append(" ".join(tokens[:TARGET_WORDS]))
            tokens = tokens[TARGET_WORDS:]
        if current and len(current) + len(tokens) > TARGET_WORDS:
            pieces.append(" ".join(current))
            current = []
        current.extend(tokens)
    if current:
        pieces.append(" ".join(current))
    return [
        Block(text, block.pdf_page, block.pdf_page_end, block.item, block.heading)
        for text in pieces
    ]


def _overlap(blocks: list[Block]) -> list[Block]:
    """The tail of the previous chunk (about OVERLAP_WORDS, whole sentences) to start the next."""
    last = blocks[-1]
    if last.is_heading:
        return [last]
    last_sentences = sentences(last.text)
    tail: list[str] = []
    while last_sentences and sum(len(s.split()) for s in tail) < OVERLAP_WORDS:
        candidate = last_sentences.pop()
        if tail and sum(len(s.split()) for s in tail) + len(candidate.split()) > OVERLAP_WORDS * 2:
            break
        tail.insert(0, candidate)
    text = " ".join(tail)
    if _words(text) > OVERLAP_WORDS * 2:
        text = " ".join(text.split()[-OVERLAP_WORDS:])
    return [Block(text, last.pdf_page_end, last.pdf_page_end, last.item, last.heading)]


def _make(blocks: list[Block]) -> Chunk:
    return Chunk(
        text="\n".join(b.text for b in blocks),
        pdf_page=blocks[0].pdf_page,
        pdf_page_end=max(b.pdf_page_end for b in blocks),
        item=str(blocks[0].item) if blocks[0].item else None,
        heading=next((b.heading for b in blocks if b.heading), None),
    )


def _merge(chunk: Chunk, blocks: list[Block]) -> Chunk:
    """Fold a short tail into the chunk before it."""
    if not blocks:
        return chunk
    return Chunk(
        text=chunk.text + "\n" + "\n".join(b.text for b in blocks),
        pdf_page=chunk.pdf_page,
        pdf_page_end=max([chunk.pdf_page_end] + [b.pdf_page_end for b in blocks]),
        item=chunk.item,
        heading=chunk.heading,
    )


def _words(text: str) -> int:
    return len(text.split())
