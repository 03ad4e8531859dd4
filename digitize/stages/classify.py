"""Classify stage: all of classification in one place.

A document's type is decided here, in this order (``classify_document``):

1. the rules (below) score every type;
2. the archive's trained model (``digitize.learn``), when it is confident, overrides them (``combine``);
3. a type written on a separator sheet by a clerk wins over both (``type_from_separator``);
4. its archive classification code (KKA) comes from the nomor, else from the type's default (``archive_code``).

The rules come from ``classes.toml`` (built in: ``digitize/defaults/classes.toml``; ``classify.rules`` names your own).

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
from typing import Any

from digitize.errors import ConfigError
from digitize.i18n import _
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
            _("Classification rules {path} not found: set classify.rules in the config file.").format(path=path)
        ) from None
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(_("Cannot read classification rules {path}: {error}").format(path=path, error=exc)) from exc
    default_min = float(data.get("min_score", 3.0))
    types = []
    for name, spec in (data.get("types") or {}).items():
        rules = tuple(_rule(path, name, i, r) for i, r in enumerate(spec.get("rules", []), start=1))
        if not rules:
            raise ConfigError(_("{path}: type '{name}' has no rules; add at least one [[types.{name}.rules]].")
                              .format(path=path, name=name))
        types.append(DocType(name, spec.get("label", name), rules, float(spec.get("min_score", default_min)),
                             tuple(spec.get("aliases", ()))))
    if not types:
        raise ConfigError(_("{path}: no [types.*] defined.").format(path=path))
    return RuleSet(tuple(types), str(path))


def _rule(path: Path, type_name: str, index: int, spec: dict) -> Rule:
    where = f"{path}: types.{type_name}.rules #{index}"
    unknown = set(spec) - {"regex", "keyword", "weight", "zone"}
    if unknown:
        raise ConfigError(_("{where}: unknown key(s) {keys}.").format(where=where, keys=", ".join(sorted(unknown))))
    zone = spec.get("zone", "anywhere")
    if zone not in ZONES:
        raise ConfigError(_("{where}: zone must be one of {zones}, not '{zone}'.")
                          .format(where=where, zones=", ".join(ZONES), zone=zone))
    if ("regex" in spec) == ("keyword" in spec):
        raise ConfigError(_("{where}: give exactly one of 'regex' or 'keyword'.").format(where=where))
    if "keyword" in spec:
        words = str(spec["keyword"]).split()
        source = r"\b" + r"\s+".join(re.escape(w) for w in words) + r"\b"
    else:
        source = str(spec["regex"])
    try:
        pattern = re.compile(source, re.IGNORECASE | re.MULTILINE)
    except re.error as exc:
        raise ConfigError(_("{where}: bad regular expression {source!r}: {error}.")
                          .format(where=where, source=source, error=exc)) from exc
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


def combine(
    rules_result: Classification,
    model_prediction: tuple[str, float] | None,
    model_threshold: float = 0.6,
    min_confidence: float = 0.3,
    model_scores: dict[str, float] | None = None,
) -> Classification:
    """One decision from the rule-based result and the archive's model.

    * the model decides when its confidence reaches ``model_threshold`` (its label may
      be a type the rules do not know);
    * otherwise (no model, or it abstains) the rules decide;
    * a decision whose confidence is below ``min_confidence`` becomes ``unclassified``.

    ``scores`` of the result keep both for the record: ``rules.<type>`` (rule scores)
    and ``model.<label>`` (``model_scores``, the model's probabilities, when given; else
    the predicted label's confidence).
    """
    scores = {f"rules.{name}": value for name, value in rules_result.scores.items()}
    if model_prediction is not None:
        shown = model_scores or {model_prediction[0]: model_prediction[1]}
        scores.update({f"model.{name}": round(float(value), 4) for name, value in shown.items()})
    if model_prediction is not None and model_prediction[1] >= model_threshold:
        label, confidence = model_prediction[0], float(model_prediction[1])
    else:
        label, confidence = rules_result.type, float(rules_result.confidence)
    if label == UNCLASSIFIED or confidence < min_confidence:
        return Classification(UNCLASSIFIED, round(confidence, 3), scores)
    return Classification(label, round(confidence, 3), scores)


_MODELS: dict[tuple[str, float], Any] = {}


def load_model(path: Path | None) -> Any:
    """The archive's trained model (``digitize.learn.Model``), loaded once per process (again if retrained)."""
    if path is None or not path.exists():
        return None
    from digitize import learn

    key = (str(path), path.stat().st_mtime)
    if key not in _MODELS:
        _MODELS.clear()
        _MODELS[key] = learn.load(path)
    return _MODELS[key]


def type_from_separator(value: str, found: Classification, rules: RuleSet) -> Classification:
    """A type written on the separator sheet wins over the classifier (a clerk chose it)."""
    wanted = value.strip().lower()
    for doc_type in rules.types:
        if wanted in {doc_type.name.lower(), doc_type.label.lower(), *(a.lower() for a in doc_type.aliases)}:
            return Classification(doc_type.name, 1.0, dict(found.scores, separator=1.0))
    return found


def classify_document(texts: list[str], rules: RuleSet, *, model_path: Path | None = None,
                      model_threshold: float = 0.6, min_confidence: float = 0.3,
                      separator_type: str | None = None) -> Classification:
    """The type of a document from its page texts: rules, the archive's model, a separator sheet."""
    found = classify(texts, rules)
    model = load_model(model_path)
    prediction = scores = None
    if model is not None:
        scores = model.predict_proba("\n".join(texts))  # one pass through the features
        best = max(scores, key=scores.__getitem__)
        prediction = (best, scores[best])
    decided = combine(found, prediction, model_threshold, min_confidence, scores)
    return type_from_separator(separator_type, decided, rules) if separator_type else decided


def archive_code(scheme: Any, fields: dict[str, Any], doc_type: str) -> dict[str, Any] | None:
    """The document's KKA code (``digitize.kka.Scheme``): the nomor's, else the type's default; None."""
    return scheme.resolve(fields, doc_type) if scheme is not None else None
