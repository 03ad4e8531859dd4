"""Classify stage: a rule-based classifier reading ``config/classes.toml``.

Each document type lists rules: a regular expression (case-insensitive) or a
plain keyword, a weight, and the zone of the document where it must appear:

* ``kop``: the letterhead, the first lines of page 1;
* ``title``: the top part of page 1, where the title and nomor stand;
* ``anywhere``: the whole text.

A type's score is the sum of the weights of its rules that match (each rule
counts once). The best type wins when its score reaches its ``min_score``;
otherwise the document is ``unclassified``. The confidence grows with the
winning score and with its margin over the runner-up.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from digitize.errors import ConfigError
from digitize.models import Classification

UNCLASSIFIED = "unclassified"
ZONES = ("kop", "title", "anywhere")
_KOP_LINES = 8
_TITLE_LINES = 25


@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern[str]
    weight: float
    zone: str


@dataclass(frozen=True)
class DocType:
    name: str
    label: str
    rules: tuple[Rule, ...]
    min_score: float
    aliases: tuple[str, ...] = ()  # short names clerks use, e.g. on separator sheets ("sk")


@dataclass(frozen=True)
class RuleSet:
    types: tuple[DocType, ...]
    source: str

    def labels(self) -> dict[str, str]:
        return {t.name: t.label for t in self.types}


def default_rules_path() -> Path:
    from digitize import defaults

    return defaults.path("classes.toml")


def load_rules(path: Path | None) -> RuleSet:
    path = path or default_rules_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            f"Classification rules {path} not found: set classify.rules in the config file."
        ) from None
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"Cannot read classification rules {path}: {exc}") from exc
    default_min = float(data.get("min_score", 3.0))
    types = []
    for name, spec in (data.get("types") or {}).items():
        rules = tuple(_rule(path, name, i, r) for i, r in enumerate(spec.get("rules", []), start=1))
        if not rules:
            raise ConfigError(f"{path}: type '{name}' has no rules; add at least one [[types.{name}.rules]].")
        types.append(DocType(name, spec.get("label", name), rules, float(spec.get("min_score", default_min)),
                             tuple(spec.get("aliases", ()))))
    if not types:
        raise ConfigError(f"{path}: no [types.*] defined.")
    return RuleSet(tuple(types), str(path))


def _rule(path: Path, type_name: str, index: int, spec: dict) -> Rule:
    where = f"{path}: types.{type_name}.rules #{index}"
    unknown = set(spec) - {"regex", "keyword", "weight", "zone"}
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}.")
    zone = spec.get("zone", "anywhere")
    if zone not in ZONES:
        raise ConfigError(f"{where}: zone must be one of {', '.join(ZONES)}, not '{zone}'.")
    if ("regex" in spec) == ("keyword" in spec):
        raise ConfigError(f"{where}: give exactly one of 'regex' or 'keyword'.")
    if "keyword" in spec:
        words = str(spec["keyword"]).split()
        source = r"\b" + r"\s+".join(re.escape(w) for w in words) + r"\b"
    else:
        source = str(spec["regex"])
    try:
        pattern = re.compile(source, re.IGNORECASE | re.MULTILINE)
    except re.error as exc:
        raise ConfigError(f"{where}: bad regular expression {source!r}: {exc}.") from exc
    return Rule(pattern, float(spec.get("weight", 1.0)), zone)


def zones(pages: list[str]) -> dict[str, str]:
    first = pages[0] if pages else ""
    lines = [line for line in first.splitlines() if line.strip()]
    return {
        "kop": "\n".join(lines[:_KOP_LINES]),
        "title": "\n".join(lines[:_TITLE_LINES]),
        "anywhere": "\n".join(pages),
    }


def classify(pages: list[str], rules: RuleSet) -> Classification:
    text_by_zone = zones(pages)
    scores: dict[str, float] = {}
    for doc_type in rules.types:
        score = sum(r.weight for r in doc_type.rules if r.pattern.search(text_by_zone[r.zone]))
        scores[doc_type.name] = round(score, 2)
    ranked = sorted(rules.types, key=lambda t: scores[t.name], reverse=True)
    best = ranked[0]
    top = scores[best.name]
    second = scores[ranked[1].name] if len(ranked) > 1 else 0.0
    if top <= 0:
        return Classification(UNCLASSIFIED, 0.0, scores)
    margin = (top - second) / top
    strength = min(1.0, top / (2 * best.min_score))
    confidence = round(0.5 * strength + 0.5 * margin, 3)
    if top < best.min_score or top == second:
        return Classification(UNCLASSIFIED, confidence, scores)
    return Classification(best.name, confidence, scores)
