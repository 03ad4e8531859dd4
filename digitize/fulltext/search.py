"""One search, the same for every backend: parse, find, fall back to close words when nothing
matches exactly, then the matching pages and a highlighted snippet of each hit."""

from __future__ import annotations

import re
from dataclasses import dataclass

from digitize.fulltext import analysis
from digitize.fulltext import query as q
from digitize.fulltext.base import HIGHLIGHT_END, HIGHLIGHT_START, Found, SearchHit, SearchIndex

SNIPPET_CHARS = 240


@dataclass
class Results:
    total: int  # documents matching, not only those shown
    hits: list[SearchHit]
    close: bool = False  # nothing matched exactly: these hits match words close to those typed
    suggestion: str | None = None  # "did you mean": the query with the words the close hits hold


def run(index: SearchIndex, parsed: q.Parsed, limit: int = 10, offset: int = 0, sort: str = "score",
        fallback: bool = True) -> Results:
    """The hits of ``parsed`` from ``offset``; with ``fallback``, close words when nothing matches exactly."""
    node = parsed.node
    total, found, node = _find(index, node, limit, offset, sort)
    close = False
    if total == 0 and fallback:
        fuzzy = q.fuzzy_fallback(node, lambda term: index.doc_freq("content", term) > 0)
        if fuzzy is not None:
            total, found, fuzzy = _find(index, fuzzy, limit, offset, sort)
            if total:
                node, close = fuzzy, True
    hits = describe(index, node, found, offset)
    suggestion = suggest(parsed, node, hits) if close else None
    return Results(total, hits, close, suggestion)


def _find(index: SearchIndex, node: q.Node, limit: int, offset: int, sort: str) -> tuple[int, list[Found], q.Node]:
    """``index.find``, close words looked for one letter off first (see :func:`query.nearer`)."""
    narrowed = q.nearer(node)
    if narrowed is not None:
        total, found = index.find(narrowed, limit, offset, sort)
        if total:
            return total, found, narrowed
    total, found = index.find(node, limit, offset, sort)
    return total, found, node


def describe(index: SearchIndex, node: q.Node, found: list[Found], offset: int = 0) -> list[SearchHit]:
    """Each found document with its matching pages and a snippet of the first of them."""
    leaves = q.leaves(node)
    ids = [f.id for f in found]
    per_leaf = [index.pages(leaf, ids) for leaf in leaves]
    hits = []
    for rank, item in enumerate(found, start=offset + 1):
        stored = item.stored
        counts: dict[int, int] = {}
        for pages in per_leaf:
            for page in pages.get(item.id, ()):
                counts[page] = counts.get(page, 0) + 1
        best = max(counts.values(), default=0)
        numbers = sorted(p for p, c in counts.items() if c == best and best)
        text = index.page_text(item.id, numbers[0] if numbers else 1)
        snippet = highlight(text, leaves) if numbers else ""
        if not snippet:
            snippet = " ".join(text.split())[:SNIPPET_CHARS]
        hits.append(SearchHit(id=item.id, path=stored.get("path", ""), type=stored.get("type", ""),
                              title=stored.get("title", ""), date=stored.get("date", ""), score=round(item.score, 3),
                              pages=numbers, snippet=snippet, sources=stored.get("sources") or [],
                              nomor=stored.get("nomor", ""), rank=rank))
    return hits


def _matcher(leaves: list[q.Term | q.Phrase]):
    """A function telling, for the terms of a text, which positions a leaf matches."""
    from rapidfuzz.distance import Levenshtein

    def term_matches(leaf: q.Term, term: str, word: str) -> bool:
        if leaf.prefix:
            return word.startswith(leaf.text)
        if leaf.fuzzy:  # a word as written against the words as written
            text = leaf.text if leaf.field in (None, "content", "title") else term
            target = word if leaf.field in (None, "content", "title") else term
            return Levenshtein.distance(text, target, score_cutoff=leaf.fuzzy) <= leaf.fuzzy
        return term == leaf.text

    def marks(terms: list[str], words: list[str]) -> list[bool]:
        marked = [False] * len(terms)
        for leaf in leaves:
            if isinstance(leaf, q.Phrase):
                width = len(leaf.terms)
                for start in range(len(terms) - width + 1):
                    if tuple(terms[start:start + width]) == leaf.terms:
                        marked[start:start + width] = [True] * width
            else:
                for n, term in enumerate(terms):
                    if not marked[n] and term_matches(leaf, term, words[n]):
                        marked[n] = True
        return marked

    return marks


def highlight(text: str, leaves: list[q.Term | q.Phrase]) -> str:
    """The part of ``text`` (about SNIPPET_CHARS) with the most matches, each wrapped in ``**``.

    Only the most promising stretches are analysed: a regular expression finds the words that could
    be matches (they hold a term's letters after its first, OCR's look-alikes allowed), and the
    stretch with the most of them is analysed and marked; the whole page only when none pans out."""
    lowered = text.lower()
    candidates = [m.start() for m in _candidates(leaves).finditer(lowered)]
    tried = 0
    while candidates and tried < 3:
        start, count = _densest(candidates)
        begin = max(0, start - 60)
        begin = lowered.rfind(" ", 0, begin) + 1 if begin else 0
        end = lowered.find(" ", min(len(text), begin + SNIPPET_CHARS + 40))
        end = len(text) if end < 0 else end
        snippet = _marked(text, begin, end, leaves)
        if snippet:
            return snippet
        candidates = [c for c in candidates if not begin <= c < end]
        tried += 1
    return _marked(text, 0, len(text), leaves)


def _densest(positions: list[int]) -> tuple[int, int]:
    best_start, best_count = positions[0], 0
    ahead = 0
    for n, start in enumerate(positions):
        ahead = max(ahead, n)
        while ahead + 1 < len(positions) and positions[ahead + 1] - start <= SNIPPET_CHARS - 40:
            ahead += 1
        if ahead - n + 1 > best_count:
            best_start, best_count = start, ahead - n + 1
    return best_start, best_count


_LOOKALIKE = {"0": "[0o]", "1": "[1il]"}
_CANDIDATES: dict[tuple[q.Term | q.Phrase, ...], re.Pattern[str]] = {}


def _candidates(leaves: list[q.Term | q.Phrase]) -> re.Pattern[str]:
    """Words that may match one of ``leaves``: they hold a term's letters after its first (a stem
    loses its first letter in ``menulis``, ``memakai``); for close words, a three-letter piece."""
    key = tuple(leaves)
    pattern = _CANDIDATES.get(key)
    if pattern is None:
        pieces: set[str] = set()
        for leaf in leaves:
            terms = leaf.terms if isinstance(leaf, q.Phrase) else (leaf.text,)
            for term in terms:
                if isinstance(leaf, q.Term) and leaf.fuzzy:
                    pieces.update(term[i:i + 3] for i in range(max(1, len(term) - 2)))
                elif isinstance(leaf, q.Term) and leaf.prefix:
                    pieces.add(term)
                else:
                    pieces.add(term[1:] if len(term) > 3 else term)
        body = "|".join(sorted(("".join(_LOOKALIKE.get(c, re.escape(c)) for c in piece) for piece in pieces if piece),
                               key=len, reverse=True))
        pattern = re.compile(body if body else r"(?!)")
        if len(_CANDIDATES) > 256:
            _CANDIDATES.clear()
        _CANDIDATES[key] = pattern
    return pattern


def _marked(text: str, begin: int, end: int, leaves: list[q.Term | q.Phrase]) -> str:
    """``text[begin:end]`` (OCR fixes applied) with its matches marked, cut around the densest of
    them; "" when nothing in it matches."""
    prepared = analysis.prepare(text[begin:end])
    shown = prepared if len(prepared.lower()) == len(prepared) else prepared.lower()
    spans = analysis.spans(prepared, _candidates(leaves))
    lowered = prepared.lower()
    marked = _matcher(leaves)([s[0] for s in spans], [lowered[s[1]:s[2]] for s in spans])
    hits = [span for span, mark in zip(spans, marked, strict=True) if mark]
    if not hits:
        return ""
    first, _ = _densest([h[1] for h in hits])
    cut = max(0, first - 60)
    cut = shown.rfind(" ", 0, cut) + 1 if cut else 0
    stop = min(len(shown), cut + SNIPPET_CHARS)
    out, at = [], cut
    for _, start, finish in hits:
        if start < cut or finish > stop:
            continue
        out.append(shown[at:start])
        out.append(f"{HIGHLIGHT_START}{shown[start:finish]}{HIGHLIGHT_END}")
        at = finish
    out.append(shown[at:stop])
    snippet = " ".join("".join(out).split())
    return ("... " if begin + cut else "") + snippet + (" ..." if begin + stop < len(text) else "")


def suggest(parsed: q.Parsed, node: q.Node, hits: list[SearchHit]) -> str | None:
    """The typed query with each misspelt word replaced by the word the close hits hold most."""
    fuzzy = [leaf for leaf in q.leaves(node) if isinstance(leaf, q.Term) and leaf.fuzzy]
    if not fuzzy or not hits:
        return None
    seen: dict[str, dict[str, int]] = {leaf.text: {} for leaf in fuzzy}
    marker = re.compile(re.escape(HIGHLIGHT_START) + r"(.+?)" + re.escape(HIGHLIGHT_END))
    from rapidfuzz.distance import Levenshtein

    for hit in hits:
        for shown in marker.findall(hit.snippet):
            word = shown.lower()
            for leaf in fuzzy:
                if Levenshtein.distance(leaf.text, word) <= leaf.fuzzy:
                    seen[leaf.text][word] = seen[leaf.text].get(word, 0) + 1
    replaced = parsed.typed
    changed = False
    for typed in parsed.words:
        written = analysis.analyse(typed.rstrip("~"))[1]
        if len(written) != 1 or written[0] not in seen or not seen[written[0]]:
            continue
        best = max(seen[written[0]].items(), key=lambda kv: kv[1])[0]
        if best != typed.lower().rstrip("~"):
            replaced = re.sub(rf"(?<!\w){re.escape(typed)}(?!\w)", best, replaced, count=1)
            changed = True
    return replaced if changed else None


def mark_all(text: str, leaves: list[q.Term | q.Phrase]) -> str:
    """The whole of ``text`` (OCR fixes applied) with every match wrapped in ``**``."""
    prepared = analysis.prepare(text)
    shown = prepared if len(prepared.lower()) == len(prepared) else prepared.lower()
    spans = analysis.spans(prepared)
    lowered = prepared.lower()
    marked = _matcher(leaves)([s[0] for s in spans], [lowered[s[1]:s[2]] for s in spans])
    out, at = [], 0
    for (_, start, stop), mark in zip(spans, marked, strict=True):
        if mark:
            out += [shown[at:start], HIGHLIGHT_START, shown[start:stop], HIGHLIGHT_END]
            at = stop
    out.append(shown[at:])
    return "".join(out)
