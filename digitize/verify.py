"""``digitize verify [--full]``: is the archive still what was written? It reads only.

Fixity: every archive file (PDF/A, text, sidecar JSON, originals kept) is hashed again and compared
with the checksum recorded when it was written (the ledger's for the PDF, text and sidecar; the
sidecar's for the originals). Each sidecar must parse and agree with the ledger. Every file under
``documents/`` (and ``restricted/documents/``) must belong to a document; ``.part`` files and the
scratch of writers that are gone are leftovers. The index is compared with the ledger: documents
missing from it, entries of documents the ledger does not know, and entries that are stale (path,
type, title or date differ). With ``full`` each PDF is opened and checked for the PDF/A marks
(its part in the XMP metadata, an output intent), embedded fonts and a text layer; veraPDF runs as
well when it is installed, and the report says whether it did.

Each finding names its file and the ``digitize repair`` action that puts it right. When the ledger
itself is damaged or gone, the sidecars' own checksums are the reference (``repair --ledger``
rebuilds the ledger from them)."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from digitize.archive import DOCUMENTS, LOST_FOUND, RESTRICTED, Archive, is_leftover_part
from digitize.errors import ArchiveError, ExitCode
from digitize.i18n import N_, _
from digitize.settings import Settings

FROM_INBOX = N_("digitize repair --from-inbox DIR (DIR: the folder holding its source scan)")
REPAIR = {
    "missing": FROM_INBOX,
    "changed": FROM_INBOX,
    "sidecar-damaged": FROM_INBOX,
    "sidecar-disagrees": FROM_INBOX,
    "pdf-damaged": FROM_INBOX,
    "not-pdfa": FROM_INBOX,
    "fonts-not-embedded": FROM_INBOX,
    "no-text-layer": FROM_INBOX,
    "verapdf-failed": FROM_INBOX,
    "extra": N_("digitize repair --extra (moves it to lost+found/)"),
    "leftover": N_("digitize repair --extra (removes it)"),
    "unrecorded-document": N_("digitize repair --ledger (adds it to the ledger from its sidecar)"),
    "index-missing": "digitize repair --index",
    "index-extra": "digitize repair --index",
    "index-stale": "digitize repair --index",
    "index-damaged": "digitize repair --index",
    "ledger-damaged": N_("digitize repair --ledger (rebuilds it from the sidecars; the damaged one is kept aside)"),
    "ledger-missing": N_("digitize repair --ledger (rebuilds it from the sidecars)"),
}  # the action that puts each kind of finding right, in the user's language through ``Finding.repair``
# Entries of the archive's root that digitize makes (anything else there is extra).
_ROOT_ENTRIES = {"ledger.sqlite3", "ledger.sqlite3-wal", "ledger.sqlite3-shm", DOCUMENTS, "index", "model",
                 ".scratch", LOST_FOUND, RESTRICTED, "reports", ".lock"}
_PART_ENTRIES = {DOCUMENTS, "index"}  # what the restricted part holds
_TEXT_OPERATORS = {"Tj", "TJ", "'", '"'}
# The words by which the notice of a document archived as plain PDF (``stages.ocr.NOT_PDFA_NOTICE``) is
# known, in English and in its Indonesian translation: a sidecar keeps the language it was written in.
_NOT_PDFA_WORDS = ("not PDF/A", "bukan PDF/A")
VERAPDF_TIMEOUT = 300  # seconds per file


@dataclass(frozen=True)
class Finding:
    kind: str  # a key of REPAIR
    path: str  # relative to the archive root; "" for the archive as a whole
    message: str
    doc_id: str | None = None

    @property
    def repair(self) -> str:
        action = REPAIR[self.kind]  # marked with N_ in REPAIR
        return _(action)


@dataclass
class VerifyReport:
    archive: str
    full: bool
    documents: int = 0
    files: int = 0
    bytes: int = 0
    reference: str = "ledger"  # or "sidecars" when the ledger cannot be read
    verapdf: str = field(default_factory=lambda: _("not run (give --full)"))
    problems: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)  # known at ingest (recorded notices), not damage
    unreadable: list[str] = field(default_factory=list)  # parts this user may not read

    @property
    def exit_code(self) -> ExitCode:
        return ExitCode.DAMAGED if self.problems else ExitCode.OK

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for problem in self.problems:
            out[problem.kind] = out.get(problem.kind, 0) + 1
        return out

    def as_json(self) -> dict[str, Any]:
        return {
            "archive": self.archive, "full": self.full, "ok": not self.problems, "reference": self.reference,
            "documents": self.documents, "files": self.files, "bytes": self.bytes, "verapdf": self.verapdf,
            "counts": self.counts(), "unreadable": self.unreadable,
            "problems": [asdict(p) | {"repair": p.repair} for p in self.problems],
            "warnings": [asdict(w) | {"repair": w.repair} for w in self.warnings],
        }


def verify(settings: Settings, full: bool = False) -> VerifyReport:
    archive = Archive.from_settings(settings)
    if not archive.ledger_path.exists() and not archive.documents.is_dir():
        archive.require_existing()  # no archive at all: the usual error
    report = VerifyReport(str(archive.root), full)
    rows = _ledger_rows(archive, report)
    _check_documents(archive, rows, report)
    _check_extra(archive, rows, report)
    _check_indexes(archive, settings, rows, report)
    if full:
        report.verapdf = _check_pdfs(archive, rows, report)
    return report


def verify_index(settings: Settings) -> VerifyReport:
    """Only the index against the ledger: documents missing from it, extra in it, or stale
    (``digitize index verify``)."""
    archive = Archive.from_settings(settings)
    archive.require_existing()
    report = VerifyReport(str(archive.root), False)
    rows = _ledger_rows(archive, report)
    _check_indexes(archive, settings, rows, report)
    return report


def record(settings: Settings, report: VerifyReport) -> int:
    """Add a ``verified`` event to each document checked (``verify --record``); return how many."""
    from digitize import events
    from digitize.ledger import Ledger

    archive = Archive.from_settings(settings)
    if report.reference != "ledger":
        raise ArchiveError(_("The ledger cannot be read, so no event was recorded: run `digitize repair --ledger`."))
    problems: dict[str, list[str]] = {}
    for problem in report.problems:
        if problem.doc_id:
            problems.setdefault(problem.doc_id, []).append(f"{problem.kind} {problem.path}")
    ledger = Ledger(archive.ledger_path)
    try:
        ids = [i for i in ledger.find_documents("")
               if _readable(archive, (ledger.document(i) or {}).get("pdf_path", ""), report)]
        for doc_id in ids:
            found = problems.get(doc_id)
            detail = "; ".join(found) if found else "every file matches its checksum" + (
                "; PDF/A checked" if report.full else "")
            ledger.record_events(doc_id, [events.event(events.VERIFIED, detail,
                                                       outcome="failure" if found else "success")])
    finally:
        ledger.close()
    return len(ids)


# --- the ledger ----------------------------------------------------------------------------------

def _ledger_rows(archive: Archive, report: VerifyReport) -> dict[str, dict[str, Any]]:
    """The ledger's documents by id, read without writing; from the sidecars when it is unusable."""
    from digitize.ledger import open_read_only

    rel = archive.relative(archive.ledger_path)
    if not archive.ledger_path.exists():
        report.problems.append(Finding("ledger-missing", rel, _("the ledger is missing")))
    else:
        try:
            db = open_read_only(archive.ledger_path)
            try:
                rows = {r["id"]: dict(r) for r in db.execute("SELECT * FROM documents ORDER BY id")}
            finally:
                db.close()
            return rows
        except (ArchiveError, sqlite3.Error) as exc:
            report.problems.append(Finding("ledger-damaged", rel, _without_restore_advice(str(exc))))
    report.reference = "sidecars"
    rows = {}
    for meta_path in archive.sidecar_paths(None):
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            files, sums = meta["files"], meta["checksums"]
            rows[meta["id"]] = {"id": meta["id"], "type": meta["type"], "title": meta.get("title"),
                                "date": meta.get("date"), "json_path": files["json"], "json_sha256": None,
                                "pdf_path": files["pdf"], "pdf_sha256": sums.get("pdf"),
                                "txt_path": files["txt"], "txt_sha256": sums.get("txt")}
        except (OSError, ValueError, KeyError, TypeError):
            continue  # reported as damaged by _check_extra's walk (a file of no known document)
    return rows


def _without_restore_advice(message: str) -> str:
    """The ledger's error without its advice on restoring it (the finding's repair says what to do)."""
    from digitize import ledger

    restore = getattr(ledger, "_RESTORE", "")  # marked with N_ there; _("") would be the catalog's header
    advice = _(restore) if restore else ""
    if advice and ". " + advice in message:
        return message.split(". " + advice)[0]
    return message.split(". Restore")[0]


# --- fixity --------------------------------------------------------------------------------------

def _hash(path: Path, report: VerifyReport) -> str | None:
    """SHA-256 of the file, or None when it is missing."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
                report.bytes += len(chunk)
    except FileNotFoundError:
        return None
    report.files += 1
    return digest.hexdigest()


def _check_documents(archive: Archive, rows: dict[str, dict[str, Any]], report: VerifyReport) -> None:
    for doc_id, row in rows.items():
        if not _readable(archive, row["pdf_path"], report):
            continue
        report.documents += 1
        for kind in ("pdf", "txt", "json"):
            _check_file(archive, doc_id, row[f"{kind}_path"], row[f"{kind}_sha256"], report)
        meta = _sidecar(archive, row, report)
        if meta is None:
            continue
        expected = {"id": doc_id, "type": row["type"], "files.pdf": row["pdf_path"], "files.txt": row["txt_path"],
                    "files.json": row["json_path"], "checksums.pdf": row["pdf_sha256"],
                    "checksums.txt": row["txt_sha256"]}
        actual = {"id": meta.get("id"), "type": meta.get("type"), **{f"files.{k}": v for k, v in
                  (meta.get("files") or {}).items()}, **{f"checksums.{k}": v for k, v in
                  (meta.get("checksums") or {}).items()}}
        differ = sorted(k for k, v in expected.items() if v is not None and actual.get(k) != v)
        if differ:
            report.problems.append(Finding("sidecar-disagrees", row["json_path"],
                                           _("disagrees with the ledger on {fields}").format(fields=", ".join(differ)),
                                           doc_id))
        for kind, rel in (meta.get("files") or {}).items():
            if kind not in ("pdf", "txt", "json"):  # originals kept beside: the sidecar holds their checksums
                _check_file(archive, doc_id, rel, (meta.get("checksums") or {}).get(kind), report)


def _readable(archive: Archive, rel: str, report: VerifyReport) -> bool:
    """Files of the restricted part are checked only by a user who may read it."""
    if not rel.startswith(RESTRICTED + "/"):
        return True
    from digitize.restricted import can_read

    if can_read(archive):
        return True
    if RESTRICTED not in report.unreadable:
        report.unreadable.append(RESTRICTED)
    return False


def _check_file(archive: Archive, doc_id: str, rel: str, expected: str | None, report: VerifyReport) -> None:
    actual = _hash(archive.root / rel, report)
    if actual is None:
        report.problems.append(Finding("missing", rel, _("is missing"), doc_id))
    elif expected and actual != expected:
        report.problems.append(Finding("changed", rel, _("has changed since it was archived (sha256 "
                                                         "{actual}…, recorded {expected}…)")
                                       .format(actual=actual[:12], expected=expected[:12]), doc_id))


def _sidecar(archive: Archive, row: dict[str, Any], report: VerifyReport) -> dict[str, Any] | None:
    path = archive.root / row["json_path"]
    if not path.exists():
        return None  # reported missing
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(meta, dict):
            raise ValueError(_("not a JSON object"))
        return meta
    except (OSError, ValueError) as exc:
        report.problems.append(Finding("sidecar-damaged", row["json_path"],
                                       _("cannot be read: {error}").format(error=exc), row["id"]))
        return None


# --- files nobody recorded -----------------------------------------------------------------------

def _check_extra(archive: Archive, rows: dict[str, dict[str, Any]], report: VerifyReport) -> None:
    from digitize.ledger import process_alive

    known: set[str] = set()
    for row in rows.values():
        known.update(row[f"{k}_path"] for k in ("pdf", "txt", "json"))
        meta_path = archive.root / row["json_path"]
        try:
            known.update((json.loads(meta_path.read_text(encoding="utf-8")).get("files") or {}).values())
        except (OSError, ValueError, AttributeError):
            pass
    if not archive.root.is_dir():
        return
    for entry in sorted(archive.root.iterdir()):
        rel = archive.relative(entry)
        if entry.name.endswith(".part") and not is_leftover_part(entry):
            continue  # a writer at work
        if entry.name.endswith(".part") or entry.name in ("index.new", "index.old"):
            report.problems.append(Finding("leftover", rel, _("was left by an interrupted writer")))
        elif entry.name.startswith("ledger.sqlite3.damaged-"):
            continue  # a damaged ledger that repair --ledger kept aside
        elif entry.name not in _ROOT_ENTRIES:
            report.problems.append(Finding("extra", rel, _("is not part of the archive")))
    for part in sorted((archive.root / "reports").glob(".*.part")):  # a run report a kill left half-written
        if is_leftover_part(part):
            report.problems.append(Finding("leftover", archive.relative(part), _("was left by an interrupted writer")))
    scratch = archive.scratch
    if scratch.is_dir():
        for folder in scratch.iterdir():
            name, _dash, pid = folder.name.rpartition("-")
            if name == archive.host and pid.isdigit() and not process_alive(int(pid)):  # another host's: its own
                rel = archive.relative(folder)
                report.problems.append(Finding("leftover", rel, _("is the scratch space of a run that is gone")))
    restricted = archive.restricted
    if restricted.is_dir() and _readable(archive, RESTRICTED + "/", report):
        for entry in sorted(restricted.iterdir()):
            if entry.name not in _PART_ENTRIES and not entry.name.startswith("index."):
                rel = archive.relative(entry)
                report.problems.append(Finding("extra", rel, _("is not part of the archive")))
    unrecorded: dict[str, list[str]] = {}
    for top in (archive.documents, restricted / DOCUMENTS):
        if not top.is_dir() or not _readable(archive, archive.relative(top), report):
            continue
        for path in sorted(p for p in top.rglob("*") if not p.is_dir()):
            rel = archive.relative(path)
            if rel in known or (path.name.endswith(".part") and not is_leftover_part(path)):
                continue
            if path.name.endswith(".part"):
                report.problems.append(Finding("leftover", rel, _("was left by an interrupted writer")))
            elif report.reference == "ledger" and is_document_sidecar(path):
                unrecorded.setdefault(path.stem, []).append(rel)
            else:
                report.problems.append(Finding("extra", rel, _("belongs to no archived document")))
    for doc_id, paths in unrecorded.items():
        report.problems.append(Finding("unrecorded-document", paths[0],
                                       _("is a document the ledger does not know"), doc_id))


def is_document_sidecar(path: Path) -> bool:
    """A whole document's sidecar (with its PDF and text beside it), not a stray JSON file."""
    if path.suffix != ".json" or not path.with_suffix(".pdf").exists() or not path.with_suffix(".txt").exists():
        return False
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
        return isinstance(meta, dict) and meta.get("id") == path.stem and "files" in meta
    except (OSError, ValueError):
        return False


# --- the index -----------------------------------------------------------------------------------

def _check_indexes(archive: Archive, settings: Settings, rows: dict[str, dict[str, Any]],
                   report: VerifyReport) -> None:
    from digitize.fulltext import open_index

    for restricted in (False, True):
        path = archive.index_for(restricted)
        wanted = {i: r for i, r in rows.items() if r["pdf_path"].startswith(RESTRICTED + "/") == restricted}
        if restricted and not (wanted or path.exists()):
            continue
        if restricted and not _readable(archive, RESTRICTED + "/", report):
            continue
        rel = archive.relative(path)
        try:
            index = open_index(path, settings.index.backend, readonly=True)
            try:
                entries = index.entries()
            finally:
                index.close()
        except ArchiveError as exc:
            report.problems.append(Finding("index-damaged", rel, str(exc).split(": run `")[0]))
            continue
        for doc_id, row in wanted.items():
            entry = entries.get(doc_id)
            if entry is None:
                report.problems.append(Finding("index-missing", rel, _("lacks document {doc_id} ({path})")
                                               .format(doc_id=doc_id, path=row["pdf_path"]), doc_id))
                continue
            recorded = {"path": row["pdf_path"], "type": row["type"], "title": row.get("title") or "",
                        "date": row.get("date") or ""}
            differ = sorted(k for k, v in recorded.items() if (entry.get(k) or "") != v)
            if differ:
                message = _("entry of {doc_id} differs from the ledger on {fields}")
                report.problems.append(Finding("index-stale", rel, message.format(doc_id=doc_id,
                                                                                 fields=", ".join(differ)), doc_id))
        for doc_id in sorted(set(entries) - set(wanted)):
            report.problems.append(Finding("index-extra", rel, _("holds {doc_id}, a document the ledger does not know")
                                           .format(doc_id=doc_id), doc_id))


# --- PDF/A (--full) ------------------------------------------------------------------------------

def _check_pdfs(archive: Archive, rows: dict[str, dict[str, Any]], report: VerifyReport) -> str:
    verapdf = shutil.which("verapdf")
    compliant = failed = 0
    for doc_id, row in rows.items():
        rel = row["pdf_path"]
        path = archive.root / rel
        if not path.exists() or not _readable(archive, rel, report):
            continue
        notices = _notices(archive, row)
        findings = pdf_findings(path, rel, doc_id, _has_text(archive, row))
        known_not_pdfa = any(words in n for n in notices for words in _NOT_PDFA_WORDS)
        for finding in findings:
            if known_not_pdfa and finding.kind in ("not-pdfa", "fonts-not-embedded"):
                report.warnings.append(finding)
            else:
                report.problems.append(finding)
        if verapdf and not known_not_pdfa:
            ok, detail = _verapdf(verapdf, path)
            compliant += ok
            failed += not ok
            if not ok:
                report.problems.append(Finding("verapdf-failed", rel, f"veraPDF: {detail}", doc_id))
    if not verapdf:
        return _("veraPDF not installed (install it for a full PDF/A validation)")
    return _("veraPDF: {compliant} compliant, {failed} not").format(compliant=compliant, failed=failed)


def _notices(archive: Archive, row: dict[str, Any]) -> list[str]:
    try:
        return list(json.loads((archive.root / row["json_path"]).read_text(encoding="utf-8")).get("notices") or [])
    except (OSError, ValueError, AttributeError):
        return []


def _has_text(archive: Archive, row: dict[str, Any]) -> bool:
    try:
        return bool((archive.root / row["txt_path"]).read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        return False


def pdf_findings(path: Path, rel: str, doc_id: str | None, expect_text: bool) -> list[Finding]:
    """PDF/A marks, embedded fonts and a text layer of one archived PDF."""
    import pikepdf

    try:
        pdf = pikepdf.open(path)
    except (pikepdf.PdfError, OSError) as exc:
        return [Finding("pdf-damaged", rel, _("does not open as a PDF: {error}").format(error=exc), doc_id)]
    found = []
    with pdf:
        part = pdf.open_metadata().get("pdfaid:part")
        if not part:
            found.append(Finding("not-pdfa", rel, _("declares no PDF/A part in its metadata"), doc_id))
        elif "/OutputIntents" not in pdf.Root:
            found.append(Finding("not-pdfa", rel, _("declares PDF/A-{part} but has no output intent").format(part=part),
                                 doc_id))
        fonts: dict[str, bool] = {}
        text = False
        seen: set[tuple[int, int]] = set()
        for page in pdf.pages:
            text = _walk(page.obj, fonts, seen) or text
        missing = sorted(name for name, embedded in fonts.items() if not embedded)
        if missing:
            found.append(Finding("fonts-not-embedded", rel,
                                 _("uses fonts that are not embedded: {fonts}").format(fonts=", ".join(missing[:5])),
                                 doc_id))
        if expect_text and not text:
            found.append(Finding("no-text-layer", rel, _("has no text layer although its text was read"),
                                 doc_id))
    return found


def _walk(holder: Any, fonts: dict[str, bool], seen: set[tuple[int, int]]) -> bool:
    """Record the fonts of a page or form XObject (and its forms); return whether it shows text."""
    import pikepdf

    if holder.is_indirect:
        if holder.objgen in seen:
            return False
        seen.add(holder.objgen)
    resources = holder.get("/Resources") or {}
    for font in (resources.get("/Font") or {}).values():
        fonts[str(font.get("/BaseFont", "?"))] = _embedded(font)
    text = False
    try:
        text = any(str(item.operator) in _TEXT_OPERATORS for item in pikepdf.parse_content_stream(holder))
    except (pikepdf.PdfError, TypeError):
        pass
    for xobject in (resources.get("/XObject") or {}).values():
        if xobject.get("/Subtype") == "/Form":
            text = _walk(xobject, fonts, seen) or text
    return text


def _embedded(font: Any) -> bool:
    if font.get("/Subtype") == "/Type3":
        return True  # drawn by its own glyph procedures
    if font.get("/Subtype") == "/Type0":
        return all(_embedded(f) for f in font.get("/DescendantFonts") or [])
    descriptor = font.get("/FontDescriptor")
    return descriptor is not None and any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def _verapdf(program: str, path: Path) -> tuple[bool, str]:
    try:
        done = subprocess.run([program, "--format", "text", str(path)], capture_output=True, text=True,
                              timeout=VERAPDF_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, _("could not be checked ({error})").format(error=exc)
    line = (done.stdout.strip().splitlines() or [""])[0]
    return line.startswith("PASS"), line or done.stderr.strip()[:200]
