"""``digitize repair``: put right what ``digitize verify`` found, each kind of action asked for by name.

* ``ledger``: a missing, empty, damaged or foreign ledger is moved aside (never deleted:
  ``ledger.sqlite3.damaged-<time>``) and rebuilt from the sidecars; documents whose sidecars the
  ledger does not know are added to it.
* ``extra``: files that belong to no document are moved to ``lost+found/<time>/`` (never deleted);
  leftovers of interrupted writers (``.part`` files, half-built indexes, scratch) are removed.
* ``from_inbox``: a document whose archive file is missing or changed is made again from its source
  scans, found in that folder by their SHA-256; the damaged copies go to ``lost+found/`` first.
* ``index``: the index is rebuilt from the sidecars (drift: missing, extra, stale entries).

Every action is listed in the result and recorded as a ``repaired`` event of its document; a second
``verify`` runs at the end and what it still finds is returned."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from digitize import events
from digitize.archive import LOST_FOUND, Archive, make_dirs
from digitize.errors import ArchiveError, UsageError
from digitize.i18n import _
from digitize.lock import archive_lock
from digitize.settings import Settings
from digitize.verify import VerifyReport, verify

RECREATE = {"missing", "changed", "sidecar-damaged", "sidecar-disagrees", "pdf-damaged"}
INDEX = {"index-missing", "index-extra", "index-stale", "index-damaged"}
LEDGER = {"ledger-missing", "ledger-damaged", "unrecorded-document"}
EXTRA = {"extra", "leftover"}


@dataclass(frozen=True)
class Action:
    action: str  # ledger / extra / from-inbox / index
    path: str  # what it acted on, relative to the archive
    outcome: str  # what was done, or why it could not be


@dataclass
class RepairReport:
    actions: list[Action] = field(default_factory=list)
    remaining: VerifyReport | None = None  # the verify after the repair

    @property
    def exit_code(self) -> int:
        assert self.remaining is not None
        return int(self.remaining.exit_code)

    def as_json(self) -> dict[str, Any]:
        return {"actions": [a.__dict__ for a in self.actions],
                "remaining": self.remaining.as_json() if self.remaining else None}


def repair(settings: Settings, *, index: bool = False, ledger: bool = False, extra: bool = False,
           from_inbox: Path | None = None, engine: Any = None) -> RepairReport:
    if not (index or ledger or extra or from_inbox):
        raise UsageError(_("Say what to repair: --index, --ledger, --extra or --from-inbox DIR "
                           "(`digitize verify` lists what is wrong and which one puts it right)."))
    archive = Archive.from_settings(settings)
    if not archive.root.is_dir():
        archive.require_existing()
    with archive_lock(archive.root, "repair", settings.archive.lock_wait):
        return _repair(settings, archive, index, ledger, extra, from_inbox, engine)


def _repair(settings: Settings, archive: Archive, index: bool, ledger: bool, extra: bool,
            from_inbox: Path | None, engine: Any) -> RepairReport:
    report = RepairReport()
    found = verify(settings)
    kinds = {p.kind for p in found.problems}
    if ledger and kinds & LEDGER:
        _repair_ledger(archive, found, report)
        found = verify(settings)
    elif kinds & LEDGER - {"unrecorded-document"}:
        raise ArchiveError(_("The ledger is missing or damaged: run `digitize repair --ledger` first."))
    if extra:
        _repair_extra(archive, found, report)
    if from_inbox is not None:
        _recreate(settings, archive, found, from_inbox, report, engine)
        found = verify(settings)
    if index and {p.kind for p in found.problems} & INDEX:
        _reindex(settings, archive, found, report)
    report.remaining = verify(settings)
    return report


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


# --- the ledger ----------------------------------------------------------------------------------

def _repair_ledger(archive: Archive, found: VerifyReport, report: RepairReport) -> None:
    from digitize.ledger import Ledger

    path = archive.ledger_path
    if any(p.kind == "ledger-damaged" for p in found.problems):
        aside = path.with_name(f"{path.name}.damaged-{_stamp()}")
        for suffix in ("", "-wal", "-shm"):
            old = path.with_name(path.name + suffix)
            if old.exists():
                os.replace(old, aside.with_name(aside.name + suffix))
        report.actions.append(Action("ledger", archive.relative(aside), _("the damaged ledger moved aside, kept")))
    rebuild = not path.exists()
    wanted = None if rebuild else {p.doc_id for p in found.problems if p.kind == "unrecorded-document"}
    db = Ledger(path)
    try:
        run_id = db.start_run("repair --ledger")
        added = 0
        for meta_path in _sidecar_paths(archive):
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            if wanted is not None and meta.get("id") not in wanted:
                continue
            _record_from_sidecar(db, run_id, archive, meta_path, meta)
            added += 1
            report.actions.append(Action("ledger", archive.relative(meta_path), _("recorded from its sidecar")))
        _mark_indexed_from_index(archive, db)
        db.finish_run(run_id, "ok", {"repair": "ledger", "documents": added})
    finally:
        db.close()


def _sidecar_paths(archive: Archive) -> list[Path]:
    from digitize.verify import is_document_sidecar

    return [p for p in archive.sidecar_paths(None) if is_document_sidecar(p)]


def _record_from_sidecar(db: Any, run_id: int, archive: Archive, meta_path: Path, meta: dict[str, Any]) -> None:
    from digitize.fields.registry import ledger_values
    from digitize.similarity import signature

    files, sums = meta["files"], meta.get("checksums") or {}
    sources = meta.get("sources") or []
    history = [e for e in meta.get("events") or [] if e.get("type") in events.EVENT_TYPES]
    history.append(events.event(events.REPAIRED, "ledger rows rebuilt from the sidecar"))
    text = (archive.root / files["txt"]).read_text(encoding="utf-8")
    db.record_document(run_id, {
        "id": meta["id"], "source_path": sources[0]["path"] if sources else "", "version": meta.get("version", 1),
        "supersedes": meta.get("supersedes"), "type": meta["type"], "type_confidence": meta.get("type_confidence"),
        "title": meta.get("title"), "date": meta.get("date"), "year": meta.get("year"),
        "pages": len(meta.get("pages") or []),
        "pdf_path": files["pdf"], "pdf_sha256": sums.get("pdf"),
        "txt_path": files["txt"], "txt_sha256": sums.get("txt"),
        "json_path": files["json"], "json_sha256": hashlib.sha256(meta_path.read_bytes()).hexdigest(),
        "created": meta.get("created") or events.event(events.REPAIRED)["time"],
        "confirmed": int(any(e.get("type") == events.RETYPED for e in history)),
        **ledger_values(meta.get("fields") or {}),
    }, [{"number": p["number"], "blank": p.get("blank", False), "confidence": p.get("confidence"),
         "skew_deg": p.get("skew_deg"), "rotation": p.get("rotation"), "text_chars": p.get("text_chars")}
        for p in meta.get("pages") or []],
        [{"sha256": s["sha256"], "path": s["path"], "pages": s.get("pages")} for s in sources], history)
    for source in sources:
        db.mark_file_done(run_id, source["sha256"], source["path"], source.get("size") or 0, 0.0)
    minhash = signature(text)
    if minhash:
        db.record_signature(meta["id"], minhash)


def _mark_indexed_from_index(archive: Archive, db: Any) -> None:
    """Documents the (intact) index holds are indexed; the others are indexed by the next run."""
    from digitize.fulltext import open_index
    from digitize.fulltext.base import read_marker

    for restricted in (False, True):
        path = archive.index_for(restricted)
        try:
            index = open_index(path, (read_marker(path) or {}).get("backend", ""), readonly=True)
        except ArchiveError:
            continue
        try:
            ids = list(index.entries())
        finally:
            index.close()
        db.mark_indexed(ids, event=False)


# --- extra files and leftovers --------------------------------------------------------------------

def _repair_extra(archive: Archive, found: VerifyReport, report: RepairReport) -> None:
    lost = archive.root / LOST_FOUND / _stamp()
    for problem in found.problems:
        path = archive.root / problem.path
        if problem.kind == "extra" and path.exists():
            target = lost / problem.path
            make_dirs(target.parent, archive.dir_mode)
            os.replace(path, target)
            report.actions.append(Action("extra", problem.path,
                                         _("moved to {path}").format(path=archive.relative(target))))
        elif problem.kind == "leftover" and path.exists():
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
            report.actions.append(Action("extra", problem.path, _("removed (left by an interrupted writer)")))


# --- documents made again from their sources -----------------------------------------------------

def _recreate(settings: Settings, archive: Archive, found: VerifyReport, inbox: Path, report: RepairReport,
              engine: Any = None) -> None:
    from digitize.ledger import Ledger
    from digitize.pipeline import ingest

    damaged: dict[str, list[str]] = {}
    for problem in found.problems:
        if problem.kind in RECREATE and problem.doc_id:
            damaged.setdefault(problem.doc_id, []).append(problem.path)
    if not damaged:
        return
    db = Ledger(archive.ledger_path)
    try:
        needed = {doc_id: db.sources(doc_id) for doc_id in damaged}
    finally:
        db.close()
    available = _hashes_in(inbox, {sha for shas in needed.values() for sha, _path in shas})
    redo: set[str] = set()
    lost = archive.root / LOST_FOUND / _stamp()
    for doc_id, shas in needed.items():
        absent = [path for sha, path in shas if sha not in available]
        if absent or not shas:
            report.actions.append(Action("from-inbox", damaged[doc_id][0],
                                         _("not repaired: its source {files} is not in {folder} "
                                           "(restore the file from a backup)").format(files=", ".join(absent) or "?",
                                                                                      folder=inbox)))
            continue
        for rel in sorted(set(damaged[doc_id])):  # the damaged copies are kept, never deleted
            path = archive.root / rel
            if path.exists():
                target = lost / rel
                make_dirs(target.parent, archive.dir_mode)
                os.replace(path, target)
        redo.update(sha for sha, _path in shas)
    if not redo:
        return
    result = ingest(inbox, settings, engine=engine, force=True, only=redo)
    db = Ledger(archive.ledger_path)
    try:
        for doc_id, shas in needed.items():
            if not {sha for sha, _path in shas} <= redo:
                continue
            row = db.document(doc_id)
            if row and (archive.root / row["pdf_path"]).exists():
                db.record_events(doc_id, [events.event(events.REPAIRED, "made again from its source scans: "
                                                       + ", ".join(damaged[doc_id]))])
                outcome = _("made again from its source scan")
            else:
                why = next((f.message for f in result.failures), _("its source now makes another document"))
                outcome = _("not repaired: {reason}").format(reason=why)
            report.actions.append(Action("from-inbox", damaged[doc_id][0], outcome))
    finally:
        db.close()


def _hashes_in(folder: Path, wanted: set[str]) -> set[str]:
    """Which of ``wanted`` (SHA-256) the files under ``folder`` have."""
    if not folder.is_dir():
        raise UsageError(_("{folder} is not a folder: give the folder that holds the source scans.")
                         .format(folder=folder))
    have = set()
    for path in folder.rglob("*"):
        if not path.is_file() or path.is_symlink():
            continue
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
        if digest.hexdigest() in wanted:
            have.add(digest.hexdigest())
        if have == wanted:
            break
    return have


# --- the index -----------------------------------------------------------------------------------

def _reindex(settings: Settings, archive: Archive, found: VerifyReport, report: RepairReport) -> None:
    from digitize import catalog
    from digitize.ledger import Ledger

    count = catalog.rebuild(settings)
    drift = sorted({p.doc_id for p in found.problems if p.kind in INDEX and p.doc_id})
    db = Ledger(archive.ledger_path)
    try:
        known = set(db.find_documents(""))
        for doc_id in drift:
            if doc_id in known:
                db.record_events(doc_id, [events.event(events.REPAIRED, "index entry made again")])
    finally:
        db.close()
    report.actions.append(Action("index", archive.relative(archive.index_path),
                                 _("rebuilt from the sidecars: {count} document(s), {drifted} had drifted")
                                 .format(count=count, drifted=len(drift))))
