"""The search language a clerk types, parsed into a small tree every backend translates.

    bimbingan teknis              both words (AND), anywhere in the document
    "bimbingan teknis"            the phrase
    undangan OR edaran            either word (OR binds closer than AND)
    arsip -rapat, arsip NOT rapat not the second word
    kepegawai*                    words that start so
    mahasiwa~                     words close to it (1 letter off; 2 for words of 6 letters or more)
    (rapat OR undangan) 2023      brackets group
    type:surat_undangan kka:800*  fields: type id kka nomor perihal title content sifat nip nik year date
    nip:"19680412 199303 1 007"   identifiers: digits only, spaces and dots ignored
    nomor:"005/123/IX/2024"       a letter number, whatever its punctuation and OCR's IX/1X, O/0, l/1
    year:2021..2023 date:>=2023-09-01 date:2023-09   ranges

Words go through :mod:`digitize.fulltext.analysis` (the index's own analysis), so a query finds what
the index holds. A malformed query or an unknown field is a :class:`UsageError`: one line, exit 2.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from digitize.errors import UsageError
from digitize.fields.registry import INDEXED
from digitize.fulltext import analysis
from digitize.i18n import _

# Searched when a query names no field, with their boosts.
DEFAULT_FIELDS = {"title": 2.0, "perihal": 1.5, "nomor": 1.5, "content": 1.0}
KEYWORD_FIELDS = ("type", "id", "kka", "sifat", "nip", "nik")  # one value, matched as written (lower case)
TEXT_FIELDS = ("title", "perihal", "nomor", "content")  # analysed like the pages
RANGE_FIELDS = ("year", "date")
FIELDS = tuple(dict.fromkeys(("type", "id", "title", "date", "year", "content", "sifat", *INDEXED)))
DIGITS_ONLY = ("nip", "nik")


@dataclass(frozen=True)
class Term:
    """One term in ``field`` (None: the default fields); ``prefix`` or ``fuzzy`` (edit distance).

    A prefix or fuzzy term of the default fields is a word as written (``text`` not stemmed), looked
    up in the words the index keeps unstemmed: a misspelling is a slip of the written word."""

    field: str | None
    text: str
    prefix: bool = False
    fuzzy: int = 0
    stop: bool = False  # a stop word typed alone: left out when other words remain
    word: str = ""  # the word as written, when ``text`` is its stem (what a fuzzy fallback starts from)
    typed_distance: bool = False  # the distance was typed (``word~2``), not chosen for the word's length


@dataclass(frozen=True)
class Phrase:
    field: str | None
    terms: tuple[str, ...]
    words: tuple[str, ...] = ()  # the same words as written (not stemmed)


@dataclass(frozen=True)
class Range:
    field: str  # "year" (a year) or "date" (yyyymmdd as a number)
    low: int | None
    high: int | None  # both inclusive


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    child: Node


@dataclass(frozen=True)
class AtLeast:
    """At least ``count`` of ``children``: an identifier that OCR read partly wrong still matches
    by most of its parts."""

    children: tuple[Node, ...]
    count: int


@dataclass(frozen=True)
class Nothing:
    """A query part with no searchable words (only punctuation): matches nothing."""


Node = Term | Phrase | Range | And | Or | Not | AtLeast | Nothing


@dataclass
class Parsed:
    """The tree, and the words as typed (for "did you mean")."""

    node: Node
    typed: str
    words: list[str] = field(default_factory=list)


_TOKEN = re.compile(
    r'\s*(?:(?P<open>\()|(?P<close>\))|(?P<neg>-)(?=[\w"(])|'
    r'(?P<field>[A-Za-z_]\w*):(?=\S)|(?P<phrase>"[^"]*"?)(?P<pfuzzy>~\d?)?|(?P<word>[^\s()"]+))'
)
_RANGE = re.compile(r"^(>=|<=|>|<)?(\d{4}(?:-\d{1,2}){0,2})(?:\.\.(\d{4}(?:-\d{1,2}){0,2})?)?$")
_OPEN_RANGE = re.compile(r"^\.\.(\d{4}(?:-\d{1,2}){0,2})$")


def parse(text: str) -> Parsed:
    """The tree of ``text``; raises ``UsageError`` for what cannot be searched."""
    if not text.strip():
        raise UsageError(_('Give words to search for, e.g. digitize search "bimbingan teknis".'))
    parser = _Parser(_lex(text))
    node = parser.expression()
    if parser.peek() is not None:
        raise UsageError(_("Unbalanced ')' in the search {query!r}: remove it or add the '(' it closes.")
                         .format(query=text))
    return Parsed(_prune(node), text, parser.words)


def _lex(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            if text[position:].strip() == "":
                break
            raise UsageError(_("Cannot read the search at {part!r}.").format(part=text[position:position + 20]))
        position = match.end()
        kind = match.lastgroup
        if match.group("phrase") is not None:
            phrase = match.group("phrase")
            if len(phrase) < 2 or not phrase.endswith('"'):
                raise UsageError(_("Unclosed quote in the search {query!r}: add the closing \".").format(query=text))
            tokens.append(("phrase", phrase[1:-1] + (match.group("pfuzzy") or "")))
        elif kind is not None:
            tokens.append((kind, match.group(kind)))
    return tokens


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]):
        self.tokens = tokens
        self.at = 0
        self.words: list[str] = []

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def expression(self) -> Node:
        parts = []
        while (token := self.peek()) is not None and token[0] != "close":
            if token == ("word", "AND"):
                self.take()
                continue
            parts.append(self.either())
        if not parts:
            raise UsageError(_("Give words to search for inside the brackets."))
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def either(self) -> Node:
        parts = [self.unary()]
        while self.peek() == ("word", "OR"):
            self.take()
            if self.peek() is None or self.peek()[0] == "close":  # type: ignore[index]
                raise UsageError(_("OR needs a word after it, e.g. undangan OR edaran."))
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def unary(self) -> Node:
        token = self.peek()
        if token is not None and (token[0] == "neg" or token == ("word", "NOT")):
            self.take()
            if self.peek() is None:
                raise UsageError(_("NOT needs a word after it, e.g. arsip NOT rapat."))
            return Not(self.unary())
        return self.primary()

    def primary(self) -> Node:
        kind, value = self.take()
        if kind == "open":
            node = self.expression()
            if self.peek() != ("close", ")"):
                raise UsageError(_("Unclosed '(' in the search: add the ')' that closes it."))
            self.take()
            return node
        if kind == "close":
            raise UsageError(_("Unbalanced ')' in the search: remove it or add the '(' it closes."))
        if kind == "field":
            name = value.lower()
            if name not in FIELDS:
                raise UsageError(_("Unknown field '{field}:' in the search; fields: {fields} "
                                   "(see digitize search --help).").format(field=value, fields=", ".join(FIELDS)))
            if self.peek() is None or self.peek()[0] not in ("word", "phrase"):  # type: ignore[index]
                raise UsageError(_("Give a value after '{field}:', e.g. {name}:{example}.")
                                 .format(field=value, name=name, example=_EXAMPLES.get(name, "arsip")))
            value_kind, raw = self.take()
            return _field(name, raw, value_kind == "phrase")
        if kind == "phrase":
            self.words.append(value)
            return _words(None, value, quoted=True)
        if value.endswith(":") and value[:-1].lower() in FIELDS:
            name = value[:-1].lower()
            raise UsageError(_("Give a value after '{field}', e.g. {name}:{example}.")
                             .format(field=value, name=name, example=_EXAMPLES.get(name, "arsip")))
        self.words.append(value)
        return _words(None, value, quoted=False)


_EXAMPLES = {"type": "surat_undangan", "year": "2021..2023", "date": ">=2023-09-01", "nip": "196804121993031007",
             "nik": "9171010101010001", "kka": "800*", "nomor": '"005/123/2024"', "sifat": "rahasia",
             "id": "24da1426"}


def _field(name: str, raw: str, quoted: bool) -> Node:
    if name in DIGITS_ONLY:
        digits = re.sub(r"\D", "", raw.rstrip("*"))
        if not digits:
            raise UsageError(_("{name}: needs digits, e.g. {name}:{example}.")
                             .format(name=name, example=_EXAMPLES[name]))
        return Term(name, digits, prefix=raw.endswith("*"))
    if name in RANGE_FIELDS:
        return _range(name, raw)
    if name in KEYWORD_FIELDS:
        value = raw.strip().lower()
        prefix = value.endswith("*")
        value = value.rstrip("*")
        if not value:
            raise UsageError(_("Give a value after '{name}:', e.g. {name}:{example}.")
                             .format(name=name, example=_EXAMPLES.get(name, "x")))
        return Term(name, value, prefix=prefix or name == "id")  # id: a unique start is enough, as for show
    return _words(name, raw, quoted)


def _fuzzy_distance(word: str) -> int:
    """Lucene's AUTO: exact up to 2 letters, 1 edit up to 5, 2 beyond."""
    return 0 if len(word) <= 2 else 1 if len(word) <= 5 else 2


def _words(field_name: str | None, raw: str, quoted: bool) -> Node:
    fuzzy = re.search(r"~(\d?)$", raw)
    if fuzzy:
        raw = raw[: fuzzy.start()]
    prefix = not quoted and raw.endswith("*")
    raw = raw.rstrip("*") if prefix else raw
    terms = analysis.identifier_terms(raw) if field_name == "nomor" else analysis.terms(raw)
    if not terms:
        return Nothing()
    if prefix:
        head = terms[:-1]
        last = _prefix_form(raw)
        leaf: Node = Term(field_name, last, prefix=True)
        return And((*(Term(field_name, t) for t in head), leaf)) if head else leaf
    if fuzzy:
        distance = int(fuzzy.group(1)) if fuzzy.group(1) else None
        written = analysis.analyse(raw)[1] if field_name in (None, "content", "title") else terms
        leaves = tuple(Term(field_name, w, fuzzy=min(2, distance if distance is not None else _fuzzy_distance(w)),
                            typed_distance=distance is not None) for w in written)
        return leaves[0] if len(leaves) == 1 else And(leaves)
    if len(terms) == 1:
        stop = not quoted and field_name is None and raw.lower() in _stop_words()
        written = analysis.analyse(raw)[1]
        return _with_lookalikes(Term(field_name, terms[0], stop=stop, word=written[0] if written else ""), raw)
    written = analysis.analyse(raw)[1] if field_name != "nomor" else terms
    phrase = Phrase(field_name, tuple(terms), tuple(written) if len(written) == len(terms) else ())
    if field_name in (None, "content") and all(t.isdigit() for t in terms) and len("".join(terms)) >= 15:
        # a NIP or NIK typed with spaces: OCR may have read it without them
        return Or((phrase, Term(field_name, "".join(terms))))
    return phrase


def _prefix_form(raw: str) -> str:
    """The last word of ``raw`` as the index's words hold it (lower case, not stemmed: a word's start
    has no stem); looked up in the words, not the terms."""
    words = analysis.analyse(raw)[1]
    return words[-1] if words else raw.lower()


def _with_lookalikes(term: Term, raw: str) -> Node:
    """A plain word also finds itself inside identifiers, where OCR's look-alikes became digits
    (``kota`` is ``k0ta`` in ``005/KOTA/2024``)."""
    alias = analysis.identifier(raw.lower())
    if term.fuzzy or term.prefix or alias == raw.lower() or not raw.isalpha():
        return term
    return Or((term, replace(term, text=alias)))


def _stop_words() -> frozenset[str]:
    from digitize import textnorm

    return textnorm.stop_words()


def _range(name: str, raw: str) -> Range:
    value = raw.strip()
    match = _RANGE.match(value)
    open_low = _OPEN_RANGE.match(value)
    example = _EXAMPLES[name]
    if open_low:
        return Range(name, None, _bound(name, open_low.group(1), high=True, example=example))
    if not match:
        raise UsageError(_("Cannot read {name}:{value}; write e.g. {name}:2023, {name}:2021..2023 or "
                           "{name}:>=2023-09-01.").format(name=name, value=raw))
    op, first, second = match.groups()
    is_range = ".." in value
    if op and is_range:
        raise UsageError(_("Write either {name}:{first}..{second} or {name}:{op}{first}, not both.")
                         .format(name=name, first=first, second=second or "", op=op))
    low = _bound(name, first, high=False, example=example)
    high = _bound(name, first, high=True, example=example)
    if is_range:
        return Range(name, low, _bound(name, second, high=True, example=example) if second else None)
    if op == ">=":
        return Range(name, low, None)
    if op == ">":
        return Range(name, high + 1, None)
    if op == "<=":
        return Range(name, None, high)
    if op == "<":
        return Range(name, None, low - 1)
    return Range(name, low, high)


def _bound(name: str, text: str, high: bool, example: str) -> int:
    """``2023``, ``2023-09`` or ``2023-09-01`` as a number of the field: a year, or yyyymmdd (the first or
    last day it covers)."""
    parts = [int(p) for p in text.split("-")]
    year = parts[0]
    if name == "year":
        if len(parts) > 1:
            raise UsageError(_("year: takes years, e.g. year:{example}; for days use date:.").format(example=example))
        return year
    month = parts[1] if len(parts) > 1 else (12 if high else 1)
    day = parts[2] if len(parts) > 2 else (31 if high else 1)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        raise UsageError(_("date:{value} is not a date; write e.g. date:>=2023-09-01.").format(value=text))
    return year * 10000 + month * 100 + day


def date_key(iso: str) -> int | None:
    """An ISO date (``2023-09-01``) as the number range queries compare, or None."""
    match = re.match(r"^(\d{4})-(\d{2})-(\d{2})", iso or "")
    return int("".join(match.groups())) if match else None


def _prune(node: Node) -> Node:
    """Stop words typed among other words are left out (``surat dari bupati`` needs surat and bupati)."""
    if isinstance(node, And):
        kept = [child for child in node.children if not _is_stop(child)]
        if not any(_positive(c) for c in kept):
            kept = list(node.children)
        children = tuple(_prune(c) for c in kept)
        return children[0] if len(children) == 1 else And(children)
    if isinstance(node, Or):
        return Or(tuple(_prune(c) for c in node.children))
    if isinstance(node, Not):
        return Not(_prune(node.child))
    return node


def _is_stop(node: Node) -> bool:
    if isinstance(node, Or):
        return all(_is_stop(c) for c in node.children)
    return isinstance(node, Term) and node.stop


def _positive(node: Node) -> bool:
    return not isinstance(node, Not | Nothing)


def fuzzy_fallback(node: Node, known: Callable[[str], bool] = lambda term: False) -> Node | None:
    """The query relaxed, or None when there is nothing to relax (what is tried when the exact query
    finds nothing): each plain word of the default fields made fuzzy, as written (a word the index
    holds, ``known`` tells, also matches exactly, which keeps its weight in the ranking); an
    identifier (a phrase with digits: a nomor, a NIP) matched by most of its parts."""
    changed = False

    def walk(n: Node) -> Node:
        nonlocal changed
        if isinstance(n, Term) and n.field in (None, "content", "title") and not n.prefix and not n.fuzzy:
            written = n.word or n.text
            if not written.isdigit() and _fuzzy_distance(written):
                changed = True
                close = Term(n.field, written, fuzzy=_fuzzy_distance(written))
                # a word the index holds: as typed, or close (this letter may be the one OCR misread)
                return Or((replace(n, stop=False), close)) if known(n.text) else close
            return n
        if isinstance(n, Phrase) and n.field in (None, "content", "title", "nomor"):
            if any(c.isdigit() for t in n.terms for c in t) and len(n.terms) >= 3:
                changed = True
                parts = tuple(dict.fromkeys(n.terms))
                return AtLeast(tuple(Term(n.field, t) for t in parts), max(2, -(-len(parts) * 3 // 5)))
            if n.field == "nomor":
                return n
            words = n.words or n.terms
            fuzzed = tuple(walk(Term(n.field, t, word=w)) for t, w in zip(n.terms, words, strict=True))
            return And(fuzzed)
        if isinstance(n, And):
            return And(tuple(walk(c) for c in n.children))
        if isinstance(n, Or):
            # the look-alike alias of a word is dropped: its fuzzy form covers it
            terms = [c for c in n.children if isinstance(c, Term)]
            if len(terms) == 2 == len(n.children) and terms[0].field == terms[1].field:
                return walk(terms[0])
            return Or(tuple(walk(c) for c in n.children))
        return n  # NOT keeps its words exact: fuzzy exclusions would exclude too much

    fuzzed = walk(node)
    return fuzzed if changed else None


def nearer(node: Node) -> Node | None:
    """The query with every close word chosen at two letters off looked for at one letter off first,
    or None when it has none: most slips are one letter, and one letter is an order of magnitude
    cheaper to look for in a large index."""
    changed = False

    def walk(n: Node) -> Node:
        nonlocal changed
        if isinstance(n, Term) and n.fuzzy > 1 and not n.typed_distance:
            changed = True
            return replace(n, fuzzy=1)
        if isinstance(n, And | Or):
            return type(n)(tuple(walk(c) for c in n.children))
        if isinstance(n, AtLeast):
            return AtLeast(tuple(walk(c) for c in n.children), n.count)
        if isinstance(n, Not):
            return Not(walk(n.child))
        return n

    narrowed = walk(node)
    return narrowed if changed else None


def field_of(name: str | None) -> str:
    """The index field a query's field names (no field: the content)."""
    return "doc" if name == "id" else name or "content"


def leaves(node: Node) -> list[Term | Phrase]:
    """The positive words and phrases of the default fields and the content: what marks a page."""
    if isinstance(node, Term | Phrase):
        return [node] if node.field in (None, "content") else []
    if isinstance(node, And | Or | AtLeast):
        return [leaf for child in node.children for leaf in leaves(child)]
    return []
