"""The ledger: an SQLite database in the archive recording every input file.

One writer (the parent process). Tables:

* ``runs``: one row per ``ingest`` run with its summary.
* ``files``: every input file by SHA-256: where it was seen, its document, its
  status (``done`` / ``failed``), the failure reason and message, attempts.
* ``documents``: every archived document: type, date, pages, output paths and
  checksums, version and the document it supersedes, whether it is indexed, and one
  TEXT column per extracted field of ``digitize.fields.registry.LEDGER_COLUMNS``.
* ``stages``: status and seconds of each stage of each file in each run.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from digitize.errors import ArchiveError
from digitize.fields.registry import LEDGER_COLUMNS
from digitize.i18n import N_, _

_FIELD_COLUMNS = "".join(f"    {name} TEXT,\n" for name in LEDGER_COLUMNS)

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started TEXT NOT NULL,
    finished TEXT,
    inbox TEXT,
    status TEXT NOT NULL DEFAULT 'running',
    summary TEXT
);
CREATE TABLE IF NOT EXISTS files (
    sha256 TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    size INTEGER,
    mtime REAL,
    doc_id TEXT,
    status TEXT NOT NULL CHECK (status IN ('done', 'failed')),
    reason TEXT,
    message TEXT,
    detail TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    first_seen TEXT NOT NULL,
    updated TEXT NOT NULL,
    run_id INTEGER
);
CREATE INDEX IF NOT EXISTS files_path ON files(path);
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    source_path TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    supersedes TEXT,
    type TEXT NOT NULL,
    type_confidence REAL,
    title TEXT,
    date TEXT,
    year TEXT,
    pages INTEGER,
    pdf_path TEXT, pdf_sha256 TEXT,
    txt_path TEXT, txt_sha256 TEXT,
    json_path TEXT, json_sha256 TEXT,
    created TEXT NOT NULL,
    indexed INTEGER NOT NULL DEFAULT 0,
{_FIELD_COLUMNS}    confirmed INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS document_sources (
    doc_id TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    path TEXT NOT NULL,
    pages TEXT,
    PRIMARY KEY (doc_id, sha256)
);
CREATE TABLE IF NOT EXISTS signatures (
    doc_id TEXT PRIMARY KEY,
    minhash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS pages (
    doc_id TEXT NOT NULL,
    number INTEGER NOT NULL,
    blank INTEGER NOT NULL DEFAULT 0,
    confidence REAL,
    skew_deg REAL,
    rotation INTEGER,
    text_chars INTEGER,
    PRIMARY KEY (doc_id, number)
);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id TEXT NOT NULL,
    time TEXT NOT NULL,
    type TEXT NOT NULL,
    agent TEXT NOT NULL,
    outcome TEXT NOT NULL,
    detail TEXT
);
CREATE INDEX IF NOT EXISTS events_doc ON events(doc_id);
CREATE TABLE IF NOT EXISTS stages (
    run_id INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    stage TEXT NOT NULL,
    status TEXT NOT NULL,
    seconds REAL,
    error TEXT,
    PRIMARY KEY (run_id, sha256, stage)
);
"""

# Columns of documents that ledgers made by older versions lack: added when such a ledger is opened.
_ADDED_COLUMNS = (*((name, "TEXT") for name in LEDGER_COLUMNS), ("confirmed", "INTEGER NOT NULL DEFAULT 0"))

_DOCUMENT_COLUMNS = (
    "id", "source_path", "version", "supersedes", "type", "type_confidence", "title", "date", "year", "pages",
    "pdf_path", "pdf_sha256", "txt_path", "txt_sha256", "json_path", "json_sha256", "created", "indexed",
    *LEDGER_COLUMNS, "confirmed",
)  # fmt: skip
_INSERT_DOCUMENT = (
    f"INSERT OR REPLACE INTO documents ({', '.join(_DOCUMENT_COLUMNS)})"
    f" VALUES ({', '.join('0' if c == 'indexed' else ':' + c for c in _DOCUMENT_COLUMNS)})"
)
_DOCUMENT_DEFAULTS = {**dict.fromkeys(LEDGER_COLUMNS), "confirmed": 0}


APPLICATION_ID = 0x44475A31  # "DGZ1" in the SQLite header: this database is a digitize ledger
_RESTORE = N_("Restore ledger.sqlite3 from a backup, or rebuild it from the sidecars with `digitize repair "
              "--ledger` (the damaged one is kept aside); digitize will not start a new ledger over it.")
_RUN_COLUMNS = (("pid", "INTEGER"), ("host", "TEXT"))  # added to runs made by older versions


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _create(path: Path) -> None:
    """A new ledger, made whole in a private temp file and renamed into place: a kill never leaves a
    0-byte ledger, and the ledger (it names every file and person in the archive) is the owner's alone."""
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=f".ledger.{os.getpid()}.", suffix=".part", dir=path.parent)  # mode 0600
    os.close(fd)
    try:
        db = sqlite3.connect(tmp, isolation_level=None)
        try:
            db.executescript(SCHEMA)
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            db.execute("PRAGMA journal_mode=WAL")
        finally:
            db.close()
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def check_not_empty(path: Path) -> None:
    """A ledger of 0 bytes was damaged (a full disk, a bad copy): an error, never taken for a new archive."""
    if path.stat().st_size == 0:
        raise ArchiveError(_("The ledger {path} is empty (0 bytes): it was damaged. {restore}").format(
            path=path, restore=_(_RESTORE)))


def _check_own(db: sqlite3.Connection, path: Path) -> None:
    """An existing ledger must be digitize's: a foreign database is never written over."""
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    app = db.execute("PRAGMA application_id").fetchone()[0]
    if app not in (0, APPLICATION_ID) or "documents" not in tables:
        raise ArchiveError(_("{path} is not a digitize ledger (another program's database). {restore}").format(
            path=path, restore=_(_RESTORE)))


def open_read_only(path: Path) -> sqlite3.Connection:
    """The ledger opened for reading alone (``digitize verify``): nothing in the archive is written, not
    even SQLite's shared-memory file when no writer has the ledger open."""
    check_not_empty(path)
    wal = path.with_name(path.name + "-wal")
    uri = path.resolve().as_uri() + "?mode=ro" + ("" if wal.exists() else "&immutable=1")
    try:
        db = sqlite3.connect(uri, uri=True, timeout=30)
    except sqlite3.Error as exc:
        raise ArchiveError(_("Cannot open the ledger {path}: {error}; check the archive path and its "
                             "permissions.").format(path=path, error=exc)) from exc
    db.row_factory = sqlite3.Row
    try:
        _check_own(db, path)
        db.execute("SELECT count(*) FROM documents").fetchone()
        if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise sqlite3.DatabaseError(_("quick_check failed"))
    except sqlite3.DatabaseError as exc:
        db.close()
        raise ArchiveError(_("The ledger {path} is damaged ({error}). {restore}").format(
            path=path, error=exc, restore=_(_RESTORE))) from exc
    except ArchiveError:
        db.close()
        raise
    return db


def process_alive(pid: int) -> bool:
    """Is process ``pid`` still running on this host?"""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


@dataclass(frozen=True)
class FileRecord:
    sha256: str
    path: str
    doc_id: str | None
    status: str
    reason: str | None
    message: str | None
    attempts: int


class Ledger:
    def __init__(self, path: Path):
        self.path = path
        new = not path.exists()
        if not new:
            check_not_empty(path)
        try:
            if new:
                _create(path)
            self.db = sqlite3.connect(path, timeout=30, isolation_level=None)
        except OSError as exc:
            raise ArchiveError(
                _("Cannot create the ledger {path}: {error}; check the archive path and its permissions.").format(
                    path=path, error=exc.strerror)
            ) from exc
        except sqlite3.Error as exc:
            raise ArchiveError(
                _("Cannot open the ledger {path}: {error}; check the archive path and its permissions.").format(
                    path=path, error=exc)
            ) from exc
        try:
            self.db.row_factory = sqlite3.Row
            if not new:
                _check_own(self.db, path)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.executescript(SCHEMA)
            if self.db.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                self.db.execute(f"PRAGMA application_id = {APPLICATION_ID}")  # a ledger of an older digitize
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self.db.close()
            if isinstance(exc, sqlite3.OperationalError) and ("readonly" in str(exc) or "locked" in str(exc)):
                raise ArchiveError(
                    _("Cannot open the ledger {path}: {error}; check the archive path and its permissions.").format(
                        path=path, error=exc)
                ) from exc
            raise ArchiveError(_("The ledger {path} is damaged ({error}). {restore}").format(
                path=path, error=exc, restore=_(_RESTORE))) from exc

    def _migrate(self) -> None:
        """Add columns that newer versions of digitize record to a ledger made by an older one."""
        have = {row[1] for row in self.db.execute("PRAGMA table_info(documents)")}
        for column, kind in _ADDED_COLUMNS:
            if column not in have:
                self.db.execute(f"ALTER TABLE documents ADD COLUMN {column} {kind}")
        have = {row[1] for row in self.db.execute("PRAGMA table_info(runs)")}
        for column, kind in _RUN_COLUMNS:
            if column not in have:
                self.db.execute(f"ALTER TABLE runs ADD COLUMN {column} {kind}")

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        try:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise ArchiveError(_("Cannot write the ledger {path}: {error}.").format(path=self.path, error=exc)) from exc

    # runs -----------------------------------------------------------------
    def start_run(self, inbox: str) -> int:
        """Record a new run; runs left ``running`` by a process that is gone are recorded ``interrupted``."""
        host = socket.gethostname()
        with self.transaction() as db:
            for row in db.execute("SELECT id, pid, host FROM runs WHERE status = 'running'").fetchall():
                if row["pid"] is None or (row["host"] == host and not process_alive(row["pid"])):
                    db.execute("UPDATE runs SET status = 'interrupted', finished = ? WHERE id = ?", (now(), row["id"]))
            run_id = db.execute("INSERT INTO runs (started, inbox, pid, host) VALUES (?, ?, ?, ?)",
                                (now(), inbox, os.getpid(), host)).lastrowid
            assert run_id is not None  # set by every INSERT
            return run_id

    def run_status(self, run_id: int) -> str:
        return str(self.db.execute("SELECT status FROM runs WHERE id = ?", (run_id,)).fetchone()[0])

    def finish_run(self, run_id: int, status: str, summary: dict[str, Any]) -> None:
        with self.transaction() as db:
            db.execute(
                "UPDATE runs SET finished = ?, status = ?, summary = ? WHERE id = ?",
                (now(), status, json.dumps(summary, ensure_ascii=False), run_id),
            )

    # files ----------------------------------------------------------------
    def file(self, sha256: str) -> FileRecord | None:
        row = self.db.execute(
            "SELECT sha256, path, doc_id, status, reason, message, attempts FROM files WHERE sha256 = ?",
            (sha256,),
        ).fetchone()
        return FileRecord(*row) if row else None

    def latest_document_for_path(self, path: str, exclude_sha: str) -> tuple[str, int] | None:
        """The newest archived document made from another version of the file at ``path``."""
        row = self.db.execute(
            "SELECT d.id, d.version FROM documents d JOIN document_sources s ON s.doc_id = d.id "
            "WHERE s.path = ? AND s.sha256 != ? ORDER BY d.version DESC LIMIT 1",
            (path, exclude_sha),
        ).fetchone()
        return (row[0], row[1]) if row else None

    def record_failure(self, run_id: int, sha256: str | None, path: str, size: int | None,
                       mtime: float | None, reason: str, message: str, detail: str = "") -> None:
        key = sha256 or f"unhashed:{path}"
        with self.transaction() as db:
            db.execute(
                "INSERT INTO files (sha256, path, size, mtime, status, reason, message, detail, attempts,"
                " first_seen, updated, run_id) VALUES (?, ?, ?, ?, 'failed', ?, ?, ?, 1, ?, ?, ?)"
                " ON CONFLICT(sha256) DO UPDATE SET path = excluded.path, status = 'failed',"
                " reason = excluded.reason, message = excluded.message, detail = excluded.detail,"
                " attempts = files.attempts + 1, updated = excluded.updated, run_id = excluded.run_id",
                (key, path, size, mtime, reason, message, detail, now(), now(), run_id),
            )

    def record_document(self, run_id: int, document: dict[str, Any], pages: list[dict[str, Any]],
                        parts: list[dict[str, Any]], events: Sequence[dict[str, str]] = ()) -> None:
        """Record an archived document, its pages, the files (and their pages) it is made of, and the
        events of its archiving, in one transaction."""
        with self.transaction() as db:
            db.execute(_INSERT_DOCUMENT, _DOCUMENT_DEFAULTS | document)
            self._add_events(db, [(document["id"], e) for e in events])
            db.execute("DELETE FROM document_sources WHERE doc_id = ?", (document["id"],))
            db.executemany(
                "INSERT INTO document_sources (doc_id, sha256, path, pages) VALUES (?, ?, ?, ?)",
                [(document["id"], p["sha256"], p["path"], json.dumps(p.get("pages"))) for p in parts],
            )
            db.execute("DELETE FROM pages WHERE doc_id = ?", (document["id"],))
            db.executemany(
                "INSERT INTO pages (doc_id, number, blank, confidence, skew_deg, rotation, text_chars)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(document["id"], p["number"], int(p["blank"]), p["confidence"], p["skew_deg"],
                  p["rotation"], p["text_chars"]) for p in pages],
            )

    def record_signature(self, doc_id: str, minhash: list[int]) -> None:
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO signatures (doc_id, minhash) VALUES (?, ?)",
                       (doc_id, json.dumps(minhash)))

    def signatures(self) -> dict[str, list[int]]:
        return {row[0]: json.loads(row[1]) for row in self.db.execute("SELECT doc_id, minhash FROM signatures")}

    def mark_file_done(self, run_id: int, sha256: str, path: str, size: int, mtime: float) -> None:
        """Every document made from this file is archived."""
        with self.transaction() as db:
            doc = db.execute("SELECT doc_id FROM document_sources WHERE sha256 = ? ORDER BY rowid DESC LIMIT 1",
                             (sha256,)).fetchone()
            db.execute(
                "INSERT INTO files (sha256, path, size, mtime, doc_id, status, attempts, first_seen,"
                " updated, run_id) VALUES (?, ?, ?, ?, ?, 'done', 1, ?, ?, ?)"
                " ON CONFLICT(sha256) DO UPDATE SET path = excluded.path, doc_id = excluded.doc_id,"
                " status = 'done', reason = NULL, message = NULL, detail = NULL,"
                " attempts = files.attempts + 1, updated = excluded.updated, run_id = excluded.run_id",
                (sha256, path, size, mtime, doc[0] if doc else None, now(), now(), run_id),
            )

    def record_stages(self, run_id: int, sha256: str, seconds: dict[str, float],
                      failed_stage: str | None = None, error: str | None = None) -> None:
        rows: list[tuple[int, str, str, str, float | None, str | None]] = [
            (run_id, sha256, stage, "ok", round(s, 3), None) for stage, s in seconds.items()
        ]
        if failed_stage:
            rows.append((run_id, sha256, failed_stage, "failed", None, error))
        with self.transaction() as db:
            db.executemany("INSERT OR REPLACE INTO stages VALUES (?, ?, ?, ?, ?, ?)", rows)

    def failures(self) -> list[FileRecord]:
        rows = self.db.execute(
            "SELECT sha256, path, doc_id, status, reason, message, attempts FROM files"
            " WHERE status = 'failed' ORDER BY updated"
        ).fetchall()
        return [FileRecord(*row) for row in rows]

    # documents ------------------------------------------------------------
    def document(self, doc_id: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return dict(row) if row else None

    def types(self) -> set[str]:
        """Every type a document of the archive has."""
        return {row[0] for row in self.db.execute("SELECT DISTINCT type FROM documents")}

    def find_documents(self, prefix: str) -> list[str]:
        """The ids that start with ``prefix`` (exactly: no wildcards), in order."""
        rows = self.db.execute(
            "SELECT id FROM documents WHERE substr(id, 1, ?) = ? ORDER BY id", (len(prefix), prefix)
        ).fetchall()
        return [row[0] for row in rows]

    def sources(self, doc_id: str) -> list[tuple[str, str]]:
        """The (SHA-256, path) of the input files the document was made from."""
        rows = self.db.execute("SELECT sha256, path FROM document_sources WHERE doc_id = ? ORDER BY rowid", (doc_id,))
        return [(row[0], row[1]) for row in rows]

    def to_review(self, min_confidence: float) -> list[dict[str, Any]]:
        """Documents a clerk should look at: unclassified, or typed with low confidence, and not confirmed."""
        rows = self.db.execute(
            "SELECT id, type, type_confidence, title, date, source_path, pdf_path FROM documents"
            " WHERE confirmed = 0 AND (type = 'unclassified' OR type_confidence < ?) ORDER BY created",
            (min_confidence,),
        ).fetchall()
        return [dict(r) for r in rows]

    def confirmed_documents(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.db.execute("SELECT * FROM documents WHERE confirmed = 1 ORDER BY id")]

    def set_type(self, doc_id: str, doc_type: str, paths: dict[str, str], checksums: dict[str, str]) -> None:
        """A clerk confirmed (or corrected) the document's type; its files moved with it."""
        with self.transaction() as db:
            db.execute(
                "UPDATE documents SET type = ?, type_confidence = 1.0, confirmed = 1, pdf_path = ?, txt_path = ?,"
                " json_path = ?, json_sha256 = ?, indexed = 0 WHERE id = ?",
                (doc_type, paths["pdf"], paths["txt"], paths["json"], checksums["json"], doc_id),
            )

    def unindexed(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.db.execute("SELECT * FROM documents WHERE indexed = 0").fetchall()]

    def mark_indexed(self, doc_ids: list[str], value: int = 1, event: bool = True) -> None:
        """Set the documents' indexed mark; marking them indexed records their ``indexed`` event
        (unless ``event`` is false: a rebuilt ledger learning what the index already holds)."""
        from digitize import events

        with self.transaction() as db:
            db.executemany("UPDATE documents SET indexed = ? WHERE id = ?", [(value, i) for i in doc_ids])
            if value and event:
                self._add_events(db, [(i, events.event(events.INDEXED)) for i in doc_ids])

    # events ---------------------------------------------------------------
    def record_events(self, doc_id: str, items: list[dict[str, str]]) -> None:
        with self.transaction() as db:
            self._add_events(db, [(doc_id, item) for item in items])

    @staticmethod
    def _add_events(db: sqlite3.Connection, items: list[tuple[str, dict[str, str]]]) -> None:
        db.executemany("INSERT INTO events (doc_id, time, type, agent, outcome, detail) VALUES (?, ?, ?, ?, ?, ?)",
                       [(doc_id, e["time"], e["type"], e["agent"], e["outcome"], e.get("detail", ""))
                        for doc_id, e in items])

    def events(self, doc_id: str) -> list[dict[str, str]]:
        """The document's events, oldest first."""
        rows = self.db.execute("SELECT time, type, agent, outcome, detail FROM events WHERE doc_id = ? ORDER BY id",
                               (doc_id,))
        return [dict(row) for row in rows]

    def mark_all_indexed(self, value: int = 1) -> int:
        """Set every document's indexed mark; return how many documents there are."""
        with self.transaction() as db:
            return db.execute("UPDATE documents SET indexed = ?", (value,)).rowcount

