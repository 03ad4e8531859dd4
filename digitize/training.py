"""The archive's own classifier: labelled data in, model out; review and confirmation.

* labelled data comes from the documents a clerk has confirmed in the archive
  (``digitize classify confirm``), a folder with one subfolder of scans or texts per
  type, or a CSV file with the columns ``text,label``;
* ``train`` stores the model in the archive, where the next ingest uses it;
* ``cross_validate`` reports per-type precision, recall, F1 and the confusion matrix;
* ``review`` lists documents to look at; ``confirm`` sets a document's type (moving its
  files to the new type's folder) and marks it as labelled data.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from digitize import events, learn
from digitize.archive import Archive
from digitize.errors import ConfigError, DocumentError, UsageError
from digitize.fulltext import IndexedDocument, open_index
from digitize.i18n import _
from digitize.ledger import Ledger
from digitize.lock import archive_lock
from digitize.settings import Settings

if TYPE_CHECKING:  # the pipeline is imported only when a scan is read
    from digitize.pipeline.context import WorkerContext

_TYPE_NAME = re.compile(r"^[a-z][a-z0-9_]{1,40}$")


def labelled_data(settings: Settings, source: Path | None) -> tuple[list[str], list[str]]:
    """(texts, labels) from the archive's confirmed documents, a folder, or a CSV file."""
    if source is None:
        archive = Archive.from_settings(settings)
        archive.require_existing()
        ledger = Ledger(archive.ledger_path)
        try:
            rows = ledger.confirmed_documents()
        finally:
            ledger.close()
        texts = [(archive.root / row["txt_path"]).read_text(encoding="utf-8") for row in rows]
        return texts, [row["type"] for row in rows]
    if source.is_dir():
        return learn.load_labelled_folder(source, OcrReader(settings))
    if source.suffix.lower() == ".csv":
        return learn.load_labelled_csv(source)
    raise ConfigError(_("{source}: give a folder with one subfolder per type, or a CSV file with columns text,label.")
                      .format(source=source))


def _require_classes(labels: list[str], where: str) -> None:
    if len(set(labels)) < 2:
        raise ConfigError(
            _("{where}: {documents} labelled document(s) of {types} type(s); training needs at least two types. "
              "Confirm more documents with `digitize classify confirm`, or give a folder or CSV.")
            .format(where=where, documents=len(labels), types=len(set(labels)))
        )


def _source_name(source: Path | None) -> str:
    """Where labelled data came from, as messages name it."""
    return str(source) if source else _("confirmed documents")


def train(settings: Settings, source: Path | None) -> dict[str, Any]:
    texts, labels = labelled_data(settings, source)
    _require_classes(labels, _source_name(source))
    archive = Archive.from_settings(settings)
    archive.ensure()
    model = learn.train(texts, labels)
    archive.model_path.parent.mkdir(parents=True, exist_ok=True)
    model.save(archive.model_path)
    counts: dict[str, int] = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    return {"model": str(archive.model_path), "documents": len(texts), "labels": dict(sorted(counts.items()))}


def cross_validate(settings: Settings, source: Path | None, folds: int = 5) -> learn.Report:
    texts, labels = labelled_data(settings, source)
    _require_classes(labels, _source_name(source))
    smallest = min(labels.count(label) for label in set(labels))
    if smallest < folds:
        raise ConfigError(
            _("The smallest type has {smallest} labelled document(s); {folds}-fold cross-validation needs "
              "{folds} per type. Use --folds {fewer} or label more documents.")
            .format(smallest=smallest, folds=folds, fewer=max(2, smallest))
        )
    return learn.cross_validate(texts, labels, k=folds)


class OcrReader:
    """The text of a scan through digitize's own worker stages (nothing archived); ``ocr_func`` for
    ``learn.load_labelled_folder``. The engine is checked once, on the first scan."""

    def __init__(self, settings: Settings, executor: Any = None) -> None:
        self.settings, self.executor = settings, executor
        self.ctx: WorkerContext | None = None

    def __call__(self, path: Path) -> str:
        from digitize.pipeline import SerialExecutor
        from digitize.pipeline.context import make_context
        from digitize.pipeline.files import run_files
        from digitize.stages.discover import Rejected

        self.ctx = self.ctx or make_context(self.settings)
        ((_unused, outcome),) = run_files([(path, path.name)], self.ctx, self.executor or SerialExecutor())
        if isinstance(outcome, Rejected) or not hasattr(outcome, "documents"):
            raise DocumentError(outcome.reason, outcome.message)
        return "\n\f".join(doc.text for doc in outcome.documents)


def review(settings: Settings, below: float) -> list[dict[str, Any]]:
    archive = Archive.from_settings(settings)
    archive.require_existing()
    ledger = Ledger(archive.ledger_path)
    try:
        return ledger.to_review(below)
    finally:
        ledger.close()


def confirm(settings: Settings, doc_id: str, doc_type: str | None, new_type: bool = False) -> dict[str, Any]:
    """Confirm a document's type, or correct it; the document becomes labelled training data.

    ``doc_id`` may be a unique prefix. The type must be one of the scheme (the classification
    rules, or a type documents of the archive already have) unless ``new_type``: a misspelt
    type would otherwise become a new folder without anyone noticing."""
    if doc_type is not None:
        if not _TYPE_NAME.match(doc_type) or doc_type == "unclassified":
            raise UsageError(_("'{type}' is not a type name: use lower-case letters, digits and _ "
                               "(for example surat_undangan).").format(type=doc_type))
    archive = Archive.from_settings(settings)
    archive.require_existing()
    with archive_lock(archive.root, "classify confirm", settings.archive.lock_wait):
        return _confirm(settings, archive, doc_id, doc_type, new_type)


def _known_type(settings: Settings, ledger: Ledger, doc_type: str) -> None:
    from digitize.stages.classify import load_rules

    known = set(load_rules(settings.classify.rules).labels()) | (ledger.types() - {"unclassified"})
    if doc_type in known:
        return
    close = difflib.get_close_matches(doc_type, sorted(known), n=1, cutoff=0.6)
    if close:
        raise UsageError(_("'{type}' is not a type of the scheme; did you mean {close}? Add --new-type to create it "
                           "(the types: `digitize config show` names the rules file).")
                         .format(type=doc_type, close=close[0]))
    raise UsageError(_("'{type}' is not a type of the scheme; Add --new-type to create it "
                       "(the types: `digitize config show` names the rules file).").format(type=doc_type))


def _confirm(settings: Settings, archive: Archive, doc_id: str, doc_type: str | None,
             create: bool) -> dict[str, Any]:
    from digitize.catalog import resolve

    ledger = Ledger(archive.ledger_path)
    try:
        doc_id = resolve(archive, ledger, doc_id)
        row = ledger.document(doc_id)
        assert row is not None  # resolve found it
        if doc_type is not None and doc_type != row["type"] and not create:
            _known_type(settings, ledger, doc_type)
        new_type = doc_type or row["type"]
        meta = archive.read_metadata(row["json_path"])
        retyped = events.event(events.RETYPED, f"{row['type']} -> {new_type}" if new_type != row["type"]
                               else f"{new_type} confirmed")
        meta.update(type=new_type, type_confidence=1.0, type_confirmed=True,
                    events=[*meta.get("events", []), retyped])
        meta, checksum = archive.refile(doc_id, row["json_path"], meta)
        files = meta["files"]
        ledger.set_type(doc_id, new_type, files, {"json": checksum})
        ledger.record_events(doc_id, [retyped])
        text = (archive.root / files["txt"]).read_text(encoding="utf-8")
        index = open_index(archive.index_path, settings.index.backend, modes=archive.modes(False))
        try:
            index.add([IndexedDocument.from_metadata(meta, text.split("\f"))])
        finally:
            index.close()
        ledger.mark_indexed([doc_id])
        return {"id": doc_id, "type": new_type, "previous_type": row["type"], "pdf": files["pdf"]}
    finally:
        ledger.close()
