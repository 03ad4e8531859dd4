"""A document-type classifier learned from an archive's own labelled documents.

The rules in ``classes.toml`` (built in: ``digitize/defaults/``) know the common
Indonesian letter types; an archive that has labelled some of its own documents
(possibly with types of its own, such as ``buku_kas_umum``) trains a model on them,
and :func:`combine` lets that model decide when it is confident.

API::

    train(texts, labels) -> Model
    Model.predict(text) -> (label, confidence)        confidence: a probability, 0-1
    Model.predict_proba(text) -> {label: probability}
    Model.save(path);  load(path) -> Model             ModelFormatError for another format
    cross_validate(texts, labels, k=5, seed=0) -> Report
    evaluate(model, texts, labels) -> Report
    Report: macro_f1, accuracy, per_class {label: {precision, recall, f1, support}},
            labels, confusion (rows = true label, columns = predicted), predicted,
            format() -> a printable table
    load_labelled_csv(path, unescape_text=True) -> (texts, labels)  columns text,label
    load_labelled_folder(folder, ocr_func=None) -> (texts, labels)

Combining the model with the rules is classification's job: ``digitize.stages.classify.combine``.

The model: TF-IDF features of four kinds, side by side,

* word 1-2-grams of the normalised, stop-word-free, Sastrawi-stemmed tokens
  (:func:`digitize.textnorm.tokens`) of the whole text;
* character 3-5-grams (``char_wb``) of the normalised text with every digit read as
  ``0``, so amounts and dates count by their shape, not their value;
* the same two on the head of the text (its first 150 characters: the title and
  the first header lines), so that the title weighs as much as a long table below it;

and a multinomial logistic regression, whose probabilities are used as the
confidence. Measured on the BPS treasury set (reference/bps-classification,
5-fold CV on train.csv, macro-F1): word 1-2-grams + LinearSVC 0.979, char 3-5 +
LinearSVC 0.981, both together 0.983, with the head features 0.992 (head of 150
characters chosen over 200/300 and 2-8 lines by 3x repeated CV: 0.995). On that
feature set calibrated LinearSVC (sigmoid, 3 or 5 folds), isotonic LinearSVC and
logistic regression reach the same macro-F1; logistic regression has the lowest
cross-validated log loss (0.037 against 0.066-0.088: the calibrated SVC is
under-confident), needs no inner cross-validation, so it also trains on classes
with a single example, and was chosen.

Labelled CSV files exported by some tools keep line breaks as the two characters
``\\n`` (the BPS set does, in some rows but not others); :func:`load_labelled_csv`
decodes such backslash escapes unless ``unescape_text=False``.
"""

from __future__ import annotations

import csv
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from digitize import textnorm
from digitize.errors import ConfigError
from digitize.formats import SCAN_EXTENSIONS
from digitize.i18n import _

FORMAT = "digitize-classifier"
FORMAT_VERSION = 1
HEAD_CHARS = 150
UNCLASSIFIED = "unclassified"
TEXT_SUFFIXES = {".txt"}
SCAN_SUFFIXES = set(SCAN_EXTENSIONS)

_DIGIT = re.compile(r"\d")
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[nrt\"'\\])")
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t"}


class ModelFormatError(ConfigError):
    """A model file that this version of digitize cannot read."""


# --- features (module-level functions, so that a saved model can be unpickled) ---


def head(texts: Iterable[str], chars: int = HEAD_CHARS) -> list[str]:
    """The first ``chars`` characters of each text, leading blank space skipped."""
    return [text.strip()[:chars] for text in texts]


def char_preprocess(text: str) -> str:
    """Normalised text with every digit as ``0`` (for the character n-grams)."""
    return _DIGIT.sub("0", textnorm.normalize(text))


def _word_vectorizer(min_df: int):
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        tokenizer=textnorm.tokens, token_pattern=None, lowercase=False,
        ngram_range=(1, 2), sublinear_tf=True, min_df=min_df,
    )  # fmt: skip


def _char_vectorizer(min_df: int):
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        analyzer="char_wb", preprocessor=char_preprocess, lowercase=False,
        ngram_range=(3, 5), sublinear_tf=True, min_df=min_df,
    )  # fmt: skip


def build_pipeline(n_texts: int):
    """The untrained scikit-learn pipeline (features + logistic regression)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, make_pipeline
    from sklearn.preprocessing import FunctionTransformer

    # min_df=2 drops one-off OCR garbage on real sets; tiny sets keep every n-gram.
    min_df = 2 if n_texts >= 50 else 1
    take_head = FunctionTransformer(head)
    features = FeatureUnion([
        ("words", _word_vectorizer(1)),
        ("chars", _char_vectorizer(min_df)),
        ("head_words", make_pipeline(take_head, _word_vectorizer(1))),
        ("head_chars", make_pipeline(take_head, _char_vectorizer(1))),
    ])  # fmt: skip
    return make_pipeline(features, LogisticRegression(C=30.0, max_iter=5000))


# --- the model ---


@dataclass
class Model:
    """A trained classifier. ``labels`` are the classes it knows, sorted."""

    pipeline: Any
    labels: tuple[str, ...]
    trained_on: int
    created: str
    sklearn_version: str
    format_version: int = FORMAT_VERSION

    def predict_proba(self, text: str) -> dict[str, float]:
        probabilities = self.pipeline.predict_proba([text])[0]
        classes = self.pipeline.classes_
        return {str(label): round(float(p), 4) for label, p in zip(classes, probabilities, strict=True)}

    def predict(self, text: str) -> tuple[str, float]:
        """The most probable label and its probability."""
        probabilities = self.predict_proba(text)
        label = max(probabilities, key=probabilities.__getitem__)
        return label, probabilities[label]

    def predict_many(self, texts: Sequence[str]) -> list[str]:
        return [str(label) for label in self.pipeline.predict(list(texts))]

    def save(self, path: Path) -> None:
        """Write the model with joblib (temporary file, then rename)."""
        import joblib

        path = Path(path)
        tmp = path.with_name(f".{path.name}.tmp")
        payload = {
            "format": FORMAT,
            "format_version": self.format_version,
            "labels": list(self.labels),
            "trained_on": self.trained_on,
            "created": self.created,
            "sklearn_version": self.sklearn_version,
            "pipeline": self.pipeline,
        }
        joblib.dump(payload, tmp, compress=3)
        tmp.replace(path)


def load(path: Path) -> Model:
    """Read a model written by :meth:`Model.save`; ModelFormatError for anything else."""
    import joblib

    path = Path(path)
    try:
        payload = joblib.load(path)
    except FileNotFoundError:
        raise ModelFormatError(_("Classifier model {path} not found: train one first.").format(path=path)) from None
    except Exception as exc:  # noqa: BLE001 - unpickling raises anything; report it as a bad file
        raise ModelFormatError(_("Cannot read classifier model {path}: {error}. Train the model again.")
                               .format(path=path, error=exc)) from exc
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise ModelFormatError(_("{path} is not a digitize classifier model.").format(path=path))
    version = payload.get("format_version")
    if version != FORMAT_VERSION:
        raise ModelFormatError(
            _("Classifier model {path} has format version {version}; this digitize reads version "
              "{supported}. Train the model again with this version.")
            .format(path=path, version=version, supported=FORMAT_VERSION)
        )
    return Model(
        pipeline=payload["pipeline"],
        labels=tuple(payload["labels"]),
        trained_on=int(payload["trained_on"]),
        created=str(payload["created"]),
        sklearn_version=str(payload["sklearn_version"]),
        format_version=version,
    )


def _check(texts: Sequence[str], labels: Sequence[str]) -> None:
    if len(texts) != len(labels):
        raise ValueError(f"{len(texts)} texts but {len(labels)} labels")
    if len(set(labels)) < 2:
        raise ValueError("training needs at least two different labels")


def train(texts: Sequence[str], labels: Sequence[str]) -> Model:
    """Fit the classifier on labelled texts (at least two labels)."""
    import sklearn

    _check(texts, labels)
    pipeline = build_pipeline(len(texts))
    pipeline.fit(list(texts), list(labels))
    return Model(
        pipeline=pipeline,
        labels=tuple(sorted(set(labels))),
        trained_on=len(texts),
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        sklearn_version=sklearn.__version__,
    )


# --- evaluation ---


@dataclass
class Report:
    """Scores of predictions against true labels (scikit-learn's metric functions)."""

    macro_f1: float
    accuracy: float
    labels: list[str]
    per_class: dict[str, dict[str, float]]
    confusion: list[list[int]]  # rows: true label; columns: predicted label (order of ``labels``)
    predicted: list[str]
    folds: int = 0  # 0 = a held-out test, not cross-validation
    notes: list[str] = field(default_factory=list)

    def format(self) -> str:
        macro = _("macro avg")
        width = max(len(label) for label in self.labels + [macro])
        # TRANSLATORS: column heads, each right-aligned in the width of its English word (9, 6, 5 and 7)
        lines = [f"{'':{width}}  " + _("precision  recall     f1  support")]
        for label in self.labels:
            s = self.per_class[label]
            lines.append(
                f"{label:{width}}  {s['precision']:9.3f}  {s['recall']:6.3f}  {s['f1']:5.3f}  {int(s['support']):7d}"
            )
        lines.append(f"{macro:{width}}  {'':9}  {'':6}  {self.macro_f1:5.3f}  {len(self.predicted):7d}")
        lines.append(_("accuracy {accuracy:.3f}").format(accuracy=self.accuracy))
        lines.append(_("confusion (rows: true, columns: predicted, same order):"))
        for label, row in zip(self.labels, self.confusion, strict=True):
            lines.append(f"{label:{width}}  " + " ".join(f"{n:4d}" for n in row))
        lines.extend(self.notes)
        return "\n".join(lines)


def report(true: Sequence[str], predicted: Sequence[str], folds: int = 0) -> Report:
    from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support

    labels = sorted(set(true) | set(predicted))
    precision, recall, f1, support = precision_recall_fscore_support(
        true, predicted, labels=labels, zero_division=0
    )
    per_class = {
        label: {"precision": float(p), "recall": float(r), "f1": float(f), "support": int(s)}
        for label, p, r, f, s in zip(labels, precision, recall, f1, support, strict=True)
    }
    return Report(
        macro_f1=float(f1_score(true, predicted, labels=sorted(set(true)), average="macro", zero_division=0)),
        accuracy=float(accuracy_score(true, predicted)),
        labels=labels,
        per_class=per_class,
        confusion=confusion_matrix(true, predicted, labels=labels).tolist(),
        predicted=list(predicted),
        folds=folds,
    )


def cross_validate(texts: Sequence[str], labels: Sequence[str], k: int = 5, seed: int = 0) -> Report:
    """Stratified k-fold cross-validation: every text predicted by a model that did not see it.

    ``k`` is lowered to the size of the smallest class (at least 2 are needed).
    """
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    _check(texts, labels)
    smallest = min(Counter(labels).values())
    if smallest < 2:
        raise ValueError("cross-validation needs at least two examples of every label")
    folds = min(k, smallest)
    cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    predicted = cross_val_predict(build_pipeline(len(texts)), list(texts), list(labels), cv=cv)
    result = report(labels, [str(p) for p in predicted], folds=folds)
    if folds < k:
        result.notes.append(_("{folds}-fold instead of {k}-fold: the smallest label has {smallest} examples")
                            .format(folds=folds, k=k, smallest=smallest))
    return result


def evaluate(model: Model, texts: Sequence[str], labels: Sequence[str]) -> Report:
    """Score a trained model on held-out labelled texts."""
    return report(labels, model.predict_many(texts))


# --- labelled data ---


def unescape(text: str) -> str:
    r"""Decode backslash escapes (``\n``, ``\t``, ``\"``, ``\\``, ``\u2014``) written by some exports."""

    def repl(match: re.Match[str]) -> str:
        code = match.group(1)
        if code[0] in "ux":
            return chr(int(code[1:], 16))
        return _ESCAPES.get(code, code)

    return _ESCAPE.sub(repl, text)


def load_labelled_csv(path: Path, unescape_text: bool = True) -> tuple[list[str], list[str]]:
    """Texts and labels from a CSV with the columns ``text,label`` (UTF-8, a header row)."""
    path = Path(path)
    csv.field_size_limit(sys.maxsize)
    texts, labels = [], []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"text", "label"} - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(sorted(missing))}; need text,label")
        for row in reader:
            label = (row["label"] or "").strip()
            if not label:
                continue
            text = row["text"] or ""
            texts.append(unescape(text) if unescape_text else text)
            labels.append(label)
    return texts, labels


def load_labelled_folder(
    folder: Path, ocr_func: Callable[[Path], str] | None = None
) -> tuple[list[str], list[str]]:
    """One subfolder per label; ``.txt`` files are read, scans are passed to ``ocr_func(path)``.

    Scans (PDF, TIFF, JPEG, PNG) without an ``ocr_func`` raise ValueError; other files
    (README, hidden files) are ignored. Files are read in sorted order.
    """
    folder = Path(folder)
    texts, labels = [], []
    for sub in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for path in sorted(p for p in sub.rglob("*") if p.is_file() and not p.name.startswith(".")):
            suffix = path.suffix.lower()
            if suffix in TEXT_SUFFIXES:
                text = path.read_text(encoding="utf-8", errors="replace")
            elif suffix in SCAN_SUFFIXES:
                if ocr_func is None:
                    raise ValueError(f"{path} is a scan: pass an ocr_func to read it")
                text = ocr_func(path)
            else:
                continue
            texts.append(text)
            labels.append(sub.name)
    return texts, labels
