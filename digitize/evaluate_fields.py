"""Measure metadata extraction and classification on documents whose fields are known.

``digitize eval --fields CSV`` reads a CSV of hand-checked metadata (``read_expected``), runs
every file through the worker stages ``ingest`` runs (``digitize.pipeline``: page preparation,
OCR, classification, field extraction) on an executor, and compares what was found with what is
printed on the page (``score_document``). Nothing is written to an archive.

The CSV (UTF-8, header row) has the columns of ``../shared/realdocs/documents.csv``: ``file``
(relative to the CSV's folder, or absolute) and ``doc_type`` are required; ``nomor_normalized``
(or ``nomor_as_printed``), ``tanggal``, ``perihal``, ``sifat``, ``lampiran``, ``issuer``,
``signer_title`` and ``nip_signer`` are scored when present. Other columns (``pages``,
``capture``, ``notes`` ...) are ignored.

Fields: the CSV column, what it is compared with (the extracted ``fields`` of the document) and
the rule:

=================  ==========================  ==================================================
column             found value                 right when
=================  ==========================  ==================================================
nomor_normalized   ``fields["nomor"]``         equal with all whitespace removed, case-insensitive
tanggal            ``fields["tanggal"]``       the same ISO date (``YYYY-MM-DD``)
perihal            ``fields["perihal"]``       at least 80 % of the expected words are found
signer_title       ``fields["jabatan"]``       at least 80 % of the expected words are found
nip_signer         ``fields["penandatangan"]`` the signer's NIP (``["nip"]``, 18 digits) is equal
                   ``["nip"]``
issuer             ``fields["instansi"]``      at least 80 % of the expected words are found in
                                               its value (the kop's offices joined by " / ")
sifat, lampiran    ``fields["sifat"]`` ...     equal, case-insensitive, whitespace collapsed
=================  ==========================  ==================================================

"Words" are the runs of letters and digits after lowercasing (punctuation and ``/`` split
them); the share is word recall, counted with multiplicity: extra found words do not hurt.
Every scored field is one of: **right**; **wrong** (a value was found but it does not meet the
rule; the found and expected values are listed); **missing** (no value found). A field whose
expected value is empty is not scored, except ``tanggal``: a date found where the page has
none is **invented** (reported on its own, not in right/wrong/missing). Only the NIP of the
signature block counts for ``nip_signer``: other NIPs in the text (``fields["nip"]``) are not the
signer's.

Type: ``doc_type`` is right when the found type is the same; ``other:<name>`` (a type outside
the scheme) is right when the found type is ``<name>`` or ``lainnya``. ``unclassified`` is an
**abstention**; any other type is a **wrong specific type**. The confusion list counts every
(expected, found) pair.

A file that cannot be processed (refused by discovery, or a ``DocumentFailure``) counts as
**refused**: its type is not right and all its scored fields are missing. When separator sheets
split a file into several documents, the first one is scored. Overall counts are sums over
fields (micro). The command's exit code is 0 unless its input is wrong (``ConfigError``, 3).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from digitize.csvrows import read_rows
from digitize.errors import ConfigError, ExitCode
from digitize.i18n import N_, _
from digitize.models import DocumentFailure, DocumentResult
from digitize.pipeline.context import make_context
from digitize.pipeline.executor import Executor, SerialExecutor
from digitize.pipeline.files import run_files
from digitize.pipeline.state import JobResult
from digitize.report import NoProgress, Progress
from digitize.settings import Settings
from digitize.stages.discover import Rejected
from digitize.stages.ocr import OcrEngine

REQUIRED_COLUMNS = ("file", "doc_type")
WORD_RECALL = 0.8  # share of the expected words a found value must hold to count as right
UNCLASSIFIED = "unclassified"
OTHER_TYPE = "lainnya"  # the scheme's class for a recognised document of another form
OTHER_PREFIX = "other:"

# status of one field of one document
RIGHT, WRONG, MISSING, INVENTED, UNSCORED = "right", "wrong", "missing", "invented", "unscored"
# status of the type of one document
TYPE_RIGHT, TYPE_WRONG, TYPE_ABSTAINED, TYPE_REFUSED = "right", "wrong", "unclassified", "refused"


# --- comparison rules ------------------------------------------------------------------


def no_spaces(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold()


def collapsed(text: str) -> str:
    return " ".join(text.split()).casefold()


def words(text: str) -> list[str]:
    """Lowercased runs of letters and digits: punctuation, slashes and spaces split them."""
    return re.findall(r"[^\W_]+", text.casefold())


def word_recall(expected: str, found: str) -> float:
    """The share of the expected words (with multiplicity) that the found text holds."""
    want = Counter(words(expected))
    total = sum(want.values())
    if not total:
        return 1.0
    return sum((want & Counter(words(found))).values()) / total


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


@dataclass(frozen=True)
class FieldSpec:
    """One scored field: the CSV column, how the found value is read and the rule."""

    name: str  # the CSV column
    found: Callable[[dict[str, Any]], str | None]  # the found value from a document's fields
    rule: str  # "nospace" | "date" | "words" | "digits" | "exact"
    describe: str  # the rule in words, for the table (marked with N_: translate it where it is shown)

    def judge(self, expected: str, found: str) -> tuple[bool, float | None]:
        """(right, word recall or None) of a found value against the expected one."""
        if self.rule == "words":
            recall = word_recall(expected, found)
            return recall >= WORD_RECALL, round(recall, 3)
        if self.rule == "nospace":
            return no_spaces(expected) == no_spaces(found), None
        if self.rule == "digits":
            return digits(expected) == digits(found), None
        if self.rule == "date":
            return expected.strip() == found.strip(), None
        return collapsed(expected) == collapsed(found), None


def _value(name: str) -> Callable[[dict[str, Any]], str | None]:
    def read(fields: dict[str, Any]) -> str | None:
        found = fields.get(name)
        if isinstance(found, dict) and found.get("value"):
            return str(found["value"])
        return None

    return read


def _letterhead(fields: dict[str, Any]) -> str | None:
    """The issuer as the letterhead prints it: ``instansi``'s value, the kop's chain of offices."""
    found = fields.get("instansi")
    if not isinstance(found, dict) or not found.get("value"):
        return None
    return str(found["value"])


def _signer_nip(fields: dict[str, Any]) -> str | None:
    """The NIP of the signature block: under the signer's name, or under the title when the name was lost."""
    for key in ("penandatangan", "jabatan"):
        found = fields.get(key)
        if isinstance(found, dict) and found.get("nip"):
            return str(found["nip"])
    return None


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("nomor", _value("nomor"), "nospace", N_("no spaces, any case")),
    FieldSpec("tanggal", _value("tanggal"), "date", N_("same ISO date")),
    FieldSpec("perihal", _value("perihal"), "words", N_("≥80 % of its words found")),
    FieldSpec("sifat", _value("sifat"), "exact", N_("equal, any case")),
    FieldSpec("lampiran", _value("lampiran"), "exact", N_("equal, any case")),
    FieldSpec("issuer", _letterhead, "words", N_("≥80 % of its words found")),
    FieldSpec("signer_title", _value("jabatan"), "words", N_("≥80 % of its words found")),
    FieldSpec("nip_signer", _signer_nip, "digits", N_("same 18 digits")),
)
FIELD_NAMES = tuple(spec.name for spec in FIELDS)
INVENTED_COUNTS = {"tanggal"}  # fields where a value found for an empty expectation is scored as invented


# --- expected values -------------------------------------------------------------------


@dataclass(frozen=True)
class ExpectedDocument:
    """One row of the CSV: the file and the values printed on it ("" = not printed / not known)."""

    path: Path
    file: str  # as the CSV names it
    doc_type: str
    values: dict[str, str]


def read_expected(csv_path: Path) -> list[ExpectedDocument]:
    """The rows of a fields CSV, paths resolved against its folder; ``ConfigError`` names a bad row."""
    base = csv_path.parent
    rows = [_expected_row(csv_path, base, line, row)
            for line, row in read_rows(csv_path, REQUIRED_COLUMNS, _("Fields CSV"))]
    if not rows:
        raise ConfigError(_("Fields CSV {csv} lists no documents; add one row per file.").format(csv=csv_path))
    return rows


def _expected_row(csv_path: Path, base: Path, line: int, row: dict[str, str]) -> ExpectedDocument:
    if not row.get("file") or not row.get("doc_type"):
        raise ConfigError(_("Fields CSV {csv}, line {line}: both `file` and `doc_type` must be given.")
                          .format(csv=csv_path, line=line))
    path = base / row["file"]
    if not path.is_file():
        raise ConfigError(_("Fields CSV {csv}, line {line}: {path} not found; fix `file` (relative to the CSV's "
                            "folder).").format(csv=csv_path, line=line, path=path))
    values = {name: row.get(name, "") for name in FIELD_NAMES}
    values["nomor"] = row.get("nomor_normalized") or row.get("nomor_as_printed", "")
    if values["tanggal"]:
        try:
            date.fromisoformat(values["tanggal"])
        except ValueError:
            raise ConfigError(_("Fields CSV {csv}, line {line}: tanggal {value!r} is not an ISO date (YYYY-MM-DD).")
                              .format(csv=csv_path, line=line, value=values["tanggal"])) from None
    if values["nip_signer"] and len(digits(values["nip_signer"])) != 18:
        raise ConfigError(_("Fields CSV {csv}, line {line}: nip_signer {value!r} does not have 18 digits.")
                          .format(csv=csv_path, line=line, value=values["nip_signer"]))
    return ExpectedDocument(path, row["file"], row["doc_type"], values)


# --- scores ----------------------------------------------------------------------------


@dataclass
class FieldResult:
    """One field of one document."""

    name: str
    status: str  # right | wrong | missing | invented | unscored
    expected: str
    found: str | None
    recall: float | None = None  # word recall, for the fields scored by words

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"status": self.status, "expected": self.expected, "found": self.found}
        if self.recall is not None:
            out["word_recall"] = self.recall
        return out


@dataclass
class DocumentScore:
    """What one file gave, against its row of the CSV."""

    file: str
    expected_type: str
    found_type: str | None  # None when refused
    type_status: str  # right | wrong | unclassified | refused
    fields: dict[str, FieldResult]
    type_confidence: float | None = None
    documents: int = 0  # documents the file was split into (0 when refused)
    pages: int = 0
    seconds: float = 0.0
    error: str | None = None
    texts: list[str] = field(default_factory=list)  # the first document's page texts (for search checks)

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "type": {"status": self.type_status, "expected": self.expected_type, "found": self.found_type,
                     "confidence": self.type_confidence},
            "fields": {name: result.as_json() for name, result in self.fields.items()},
            "documents": self.documents,
            "pages": self.pages,
            "seconds": round(self.seconds, 3),
            "error": self.error,
        }


@dataclass
class FieldTally:
    right: int = 0
    wrong: int = 0
    missing: int = 0
    invented: int = 0

    @property
    def scored(self) -> int:
        return self.right + self.wrong + self.missing

    @property
    def rate(self) -> float | None:
        return self.right / self.scored if self.scored else None

    def add(self, status: str) -> None:
        if status in (RIGHT, WRONG, MISSING, INVENTED):
            setattr(self, status, getattr(self, status) + 1)

    def as_json(self) -> dict[str, Any]:
        return {"scored": self.scored, "right": self.right, "wrong": self.wrong, "missing": self.missing,
                "invented": self.invented, "right_rate": None if self.rate is None else round(self.rate, 4)}


@dataclass
class FieldsEvaluation:
    """Scores of every document, per field and overall."""

    documents: list[DocumentScore]
    ocr_info: dict[str, str] = field(default_factory=dict)

    def tally(self, name: str) -> FieldTally:
        count = FieldTally()
        for doc in self.documents:
            count.add(doc.fields[name].status)
        return count

    @property
    def overall(self) -> FieldTally:
        total = FieldTally()
        for name in FIELD_NAMES:
            part = self.tally(name)
            total.right += part.right
            total.wrong += part.wrong
            total.missing += part.missing
            total.invented += part.invented
        return total

    @property
    def types(self) -> Counter[str]:
        return Counter(doc.type_status for doc in self.documents)

    @property
    def confusion(self) -> list[tuple[str, str, int]]:
        """(expected, found, count) for every pair seen, most frequent first; found ``refused`` when it failed."""
        pairs = Counter((doc.expected_type, doc.found_type or TYPE_REFUSED) for doc in self.documents)
        return sorted(((e, f, n) for (e, f), n in pairs.items()), key=lambda t: (-t[2], t[0], t[1]))

    def wrong_values(self) -> list[tuple[str, FieldResult]]:
        """(file, field) of every wrong value, field by field."""
        return [(doc.file, doc.fields[name]) for name in FIELD_NAMES for doc in self.documents
                if doc.fields[name].status == WRONG]

    @property
    def refused(self) -> int:
        return self.types[TYPE_REFUSED]

    @property
    def pages(self) -> int:
        return sum(doc.pages for doc in self.documents)

    @property
    def exit_code(self) -> ExitCode:
        return ExitCode.OK  # failures are measured, not errors of the command

    def as_json(self) -> dict[str, Any]:
        types = self.types
        return {
            "documents": [doc.as_json() for doc in self.documents],
            "fields": {name: self.tally(name).as_json() for name in FIELD_NAMES},
            "rules": {spec.name: spec.describe for spec in FIELDS},
            "type": {
                "documents": len(self.documents),
                "right": types[TYPE_RIGHT],
                "wrong": types[TYPE_WRONG],
                "unclassified": types[TYPE_ABSTAINED],
                "refused": types[TYPE_REFUSED],
                "confusion": [{"expected": e, "found": f, "count": n} for e, f, n in self.confusion],
            },
            "overall": {
                **self.overall.as_json(),
                "documents": len(self.documents),
                "refused": self.refused,
                "pages": self.pages,
                "ocr": self.ocr_info,
                "exit_code": int(self.exit_code),
            },
        }


def type_status(expected: str, found: str) -> str:
    if expected.startswith(OTHER_PREFIX):
        right = found in (expected[len(OTHER_PREFIX):], OTHER_TYPE)
    else:
        right = found == expected
    if right:
        return TYPE_RIGHT
    return TYPE_ABSTAINED if found == UNCLASSIFIED else TYPE_WRONG


def score_field(spec: FieldSpec, expected: str, found: str | None) -> FieldResult:
    if not expected:
        status = INVENTED if found and spec.name in INVENTED_COUNTS else UNSCORED
        return FieldResult(spec.name, status, expected, found)
    if not found:
        return FieldResult(spec.name, MISSING, expected, None)
    right, recall = spec.judge(expected, found)
    return FieldResult(spec.name, RIGHT if right else WRONG, expected, found, recall)


def score_document(expected: ExpectedDocument, document: DocumentResult | None, *, error: str | None = None,
                   documents: int = 1, pages: int = 0, seconds: float = 0.0) -> DocumentScore:
    """Score what was found in one file (``document`` None: refused, with ``error``)."""
    if document is None:
        fields = {spec.name: score_field(spec, expected.values[spec.name], None) for spec in FIELDS}
        return DocumentScore(expected.file, expected.doc_type, None, TYPE_REFUSED, fields, documents=0,
                             seconds=seconds, error=error or "refused")
    found = document.fields or {}
    fields = {spec.name: score_field(spec, expected.values[spec.name], spec.found(found)) for spec in FIELDS}
    kind = document.classification.type
    return DocumentScore(expected.file, expected.doc_type, kind, type_status(expected.doc_type, kind), fields,
                         type_confidence=document.classification.confidence, documents=documents,
                         pages=pages or len(document.pages), seconds=seconds,
                         texts=[page.text for page in document.pages])


# --- running ---------------------------------------------------------------------------


def evaluate_fields(
    rows: Sequence[ExpectedDocument],
    settings: Settings,
    *,
    engine: OcrEngine | None = None,
    executor: Executor | None = None,
    progress: Progress | None = None,
) -> FieldsEvaluation:
    """Run every row's file through the worker stages (one at a time unless ``executor`` says
    otherwise) and score its type and fields."""
    ctx = make_context(settings, engine)
    executor = executor or SerialExecutor()
    progress = progress or NoProgress()
    scored: dict[int, DocumentScore] = {}
    progress.start(len(rows))
    try:
        for number, outcome in run_files([(row.path, row.file) for row in rows], ctx, executor):
            row = rows[number]
            if isinstance(outcome, Rejected):
                result = score_document(row, None, error=outcome.message)
            else:
                result = _scored(row, outcome)
            scored[number] = result
            progress.advance(result.file, "failed" if result.error else "done", result.error or "")
    finally:
        progress.stop()
    return FieldsEvaluation([scored[n] for n in range(len(rows))], ctx.ocr_info)


def _scored(row: ExpectedDocument, outcome: JobResult | DocumentFailure) -> DocumentScore:
    if isinstance(outcome, DocumentFailure):
        return score_document(row, None, error=outcome.message, seconds=sum(outcome.stage_seconds.values()))
    if not outcome.documents:
        return score_document(row, None, error=_("{file}: no document (only separator sheets)").format(file=row.file),
                              seconds=outcome.seconds)
    pages = sum(len(doc.pages) for doc in outcome.documents)
    return score_document(row, outcome.documents[0], documents=len(outcome.documents), pages=pages,
                          seconds=outcome.seconds)
