"""The archive on disk. Only the parent process calls the writing methods.

Layout::

    <archive>/documents/<type>/<year>/<id>.pdf   searchable PDF/A-2b
    <archive>/documents/<type>/<year>/<id>.txt   text of every page, pages separated by form feeds
    <archive>/documents/<type>/<year>/<id>.json  metadata
    <archive>/ledger.sqlite3                     what was processed, when, with what result
    <archive>/index/                             full-text index (rebuilt from the sidecars)

Every file is written to a temporary name in its target folder, flushed, then
renamed into place, so a crash never leaves a half-written file under its
final name.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from digitize.errors import ArchiveError
from digitize.i18n import _

DOCUMENTS = "documents"
RESTRICTED = "restricted"  # the restricted part: confidential documents, their own index
LOST_FOUND = "lost+found"  # where `digitize repair --extra` moves files that belong to no document


@dataclass(frozen=True)
class StoredDocument:
    pdf: Path
    txt: Path
    json: Path
    checksums: dict[str, str]  # "pdf" / "txt" / "json" -> sha256


FILE_MODE = 0o640  # defaults of archive.file_mode / archive.dir_mode
DIR_MODE = 0o750
PRIVATE_MODE = 0o600  # the ledger: the owner alone


def make_dirs(path: Path, mode: int = DIR_MODE, gid: int | None = None) -> None:
    """Create ``path`` and its missing parents with ``mode`` exactly (mkdir alone is cut by the umask),
    owned by group ``gid`` when given."""
    missing = []
    current = path
    while not current.exists():
        missing.append(current)
        current = current.parent
    for folder in reversed(missing):
        try:
            folder.mkdir()
        except FileExistsError:
            continue  # made by another process meanwhile
        if gid is not None:
            os.chown(folder, -1, gid)
        os.chmod(folder, mode)


def atomic_write(path: Path, data: bytes, mode: int = FILE_MODE, dir_mode: int = DIR_MODE,
                 gid: int | None = None) -> str:
    """Write ``data`` to ``path`` via a temp file in the same folder; return its SHA-256.
    The file gets ``mode`` (and group ``gid``) whatever the umask; missing folders get ``dir_mode``."""
    make_dirs(path.parent, dir_mode, gid)
    # the writer's pid in the temp name: the next run removes the leftovers of a writer that is gone
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".part", dir=path.parent)
    try:
        if gid is not None:
            os.fchown(fd, -1, gid)
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return hashlib.sha256(data).hexdigest()


def is_leftover_part(path: Path) -> bool:
    """A ``.part`` temp file whose writer (its pid is in the name, see ``atomic_write``) is gone."""
    from digitize.ledger import process_alive

    if not path.name.endswith(".part"):
        return False
    pid = path.name.split(".")[-3] if path.name.count(".") >= 3 else ""
    return not pid.isdigit() or not process_alive(int(pid))


class Archive:
    def __init__(self, root: Path, file_mode: int = FILE_MODE, dir_mode: int = DIR_MODE,
                 restricted_group: str = ""):
        self.root = root
        self.file_mode = file_mode
        self.dir_mode = dir_mode
        self.restricted_group = restricted_group

    @classmethod
    def from_settings(cls, settings: Any) -> Archive:
        """The archive of ``settings`` with its configured modes."""
        return cls(settings.archive.path, int(settings.archive.file_mode, 8), int(settings.archive.dir_mode, 8),
                   settings.restricted.group)

    def modes(self, restricted: bool) -> tuple[int, int, int | None]:
        """(file mode, folder mode, group id) of the main or the restricted part. The restricted part
        is the owner's alone (0600 / 0700), or also its group's (0640 / 0750) when one is configured."""
        if not restricted:
            return self.file_mode, self.dir_mode, None
        if not self.restricted_group:
            return 0o600, 0o700, None
        import grp

        return 0o640, 0o750, grp.getgrnam(self.restricted_group).gr_gid

    @property
    def documents(self) -> Path:
        return self.root / DOCUMENTS

    @property
    def ledger_path(self) -> Path:
        return self.root / "ledger.sqlite3"

    @property
    def index_path(self) -> Path:
        return self.root / "index"

    @property
    def restricted(self) -> Path:
        return self.root / RESTRICTED

    def index_for(self, restricted: bool) -> Path:
        """The index of the main part, or of the restricted part."""
        return self.restricted / "index" if restricted else self.index_path

    @property
    def host(self) -> str:
        return socket.gethostname()

    @property
    def model_path(self) -> Path:
        """The classifier trained on this archive's own documents (``digitize classify train``)."""
        return self.root / "model" / "classifier.joblib"

    def ensure(self) -> None:
        """Create the archive folders, or fail with a clear message."""
        try:
            make_dirs(self.documents, self.dir_mode)
            probe = self.root / ".write-test"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            raise ArchiveError(
                _("Cannot write to the archive {archive}: {error}; check the path and its permissions, or choose "
                  "another with --archive.").format(archive=self.root, error=exc.strerror)
            ) from exc

    def check_free(self, min_mb: int, stopping: bool = False) -> None:
        """Refuse to go on when the archive's disk has less than ``min_mb`` MB free."""
        if min_mb <= 0:
            return
        free_mb = shutil.disk_usage(self.root).free // 1_000_000
        if free_mb < min_mb:
            if stopping:
                raise ArchiveError(_("Only {free} MB free on the archive's disk ({archive}), under ingest.min_free_mb "
                                     "{minimum}: the run stopped cleanly; free some space and run it again: it "
                                     "resumes.").format(free=free_mb, archive=self.root, minimum=min_mb))
            raise ArchiveError(_("Only {free} MB free on the archive's disk ({archive}), under ingest.min_free_mb "
                                 "{minimum}: nothing was started; free some space, then run again.").format(
                                     free=free_mb, archive=self.root, minimum=min_mb))

    @property
    def scratch(self) -> Path:
        """Scratch space of this host's runs: inside the archive (same filesystem, owner only)."""
        return self.root / ".scratch"

    def scratch_for_run(self) -> Path:
        return self.scratch / f"{socket.gethostname()}-{os.getpid()}"

    def clear_leftovers(self, scratch: bool = True) -> list[str]:
        """Remove what writers on this host that are gone (killed, a power cut) left: their scratch folders
        (copies of scans) and ``.part`` temp files. Returns what was removed, relative to the root."""
        from digitize.ledger import process_alive

        host = socket.gethostname()
        removed = []
        if scratch and self.scratch.is_dir():
            for folder in self.scratch.iterdir():
                name, _, pid = folder.name.rpartition("-")
                if name == host and pid.isdigit() and not process_alive(int(pid)):
                    shutil.rmtree(folder, ignore_errors=True)
                    removed.append(self.relative(folder))
        for part in self.root.rglob(".*.part"):  # documents, restricted part, reports, the ledger's
            if self.scratch in part.parents:
                continue
            if is_leftover_part(part):
                part.unlink(missing_ok=True)
                removed.append(self.relative(part))
        return removed

    def require_existing(self) -> None:
        if not self.ledger_path.exists():
            raise ArchiveError(
                _("No archive at {archive}: run `digitize ingest INBOX --archive {archive}` first, or point "
                  "--archive / DIGITIZE_ARCHIVE at an existing archive.").format(archive=self.root)
            )
        from digitize.ledger import check_not_empty

        check_not_empty(self.ledger_path)

    def folder_for(self, doc_type: str, year: str, restricted: bool = False) -> Path:
        return (self.restricted / DOCUMENTS if restricted else self.documents) / doc_type / year

    def store(self, doc_id: str, doc_type: str, year: str, pdf: bytes, text: str, meta: dict[str, Any],
              originals: Sequence[tuple[str, bytes]] = ()) -> StoredDocument:
        """Write the PDF/A, the text, any original scans kept beside them, then the metadata; into the
        restricted part when ``meta["restricted"]`` says so."""
        restricted = bool(meta.get("restricted"))
        folder = self.folder_for(doc_type, year, restricted)
        paths = {ext: folder / f"{doc_id}.{ext}" for ext in ("pdf", "txt", "json")}
        modes = self.modes(restricted)
        try:
            if restricted:
                make_dirs(self.restricted, *modes[1:])
            checksums = {
                "pdf": atomic_write(paths["pdf"], pdf, *modes),
                "txt": atomic_write(paths["txt"], text.encode("utf-8"), *modes),
            }
            for index, (suffix, data) in enumerate(originals, start=1):
                key = "original" if len(originals) == 1 else f"original-{index}"
                paths[key] = folder / f"{doc_id}.{key}{suffix}"
                checksums[key] = atomic_write(paths[key], data, *modes)
            meta = dict(meta, files={k: self.relative(p) for k, p in paths.items()}, checksums=checksums)
            body = json.dumps(meta, ensure_ascii=False, indent=2, sort_keys=False).encode("utf-8") + b"\n"
            checksums["json"] = atomic_write(paths["json"], body, *modes)
        except OSError as exc:
            raise ArchiveError(
                _("Cannot write {folder}: {error}; check free disk space and permissions.").format(
                    folder=folder, error=exc.strerror)
            ) from exc
        return StoredDocument(paths["pdf"], paths["txt"], paths["json"], checksums)

    def refile(self, doc_id: str, json_path: str, meta: dict[str, Any]) -> tuple[dict[str, Any], str]:
        """Move a document's files into the folder of its (new) ``meta["type"]`` and rewrite its
        metadata there; returns the metadata as written and the new ``.json``'s checksum."""
        restricted = bool(meta.get("restricted"))
        folder = self.folder_for(meta["type"], meta.get("year") or "undated", restricted)
        modes = self.modes(restricted)
        make_dirs(folder, *modes[1:])
        files = dict(meta.get("files", {}))
        try:
            for kind, rel in list(files.items()):
                if kind == "json":
                    continue
                old, new = self.root / rel, folder / (self.root / rel).name
                if old != new:
                    os.replace(old, new)
                files[kind] = self.relative(new)
            target = folder / f"{doc_id}.json"
            files["json"] = self.relative(target)
            meta = dict(meta, files=files)
            body = json.dumps(meta, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
            checksum = atomic_write(target, body, *modes)
            if self.root / json_path != target:
                (self.root / json_path).unlink(missing_ok=True)
        except OSError as exc:
            raise ArchiveError(
                _("Cannot move document {doc_id} into {folder}: {error}; check permissions and free space.").format(
                    doc_id=doc_id, folder=folder, error=exc.strerror)
            ) from exc
        return meta, checksum

    def remove(self, relative_paths: list[str]) -> None:
        for rel in relative_paths:
            (self.root / rel).unlink(missing_ok=True)

    def relative(self, path: Path) -> str:
        return str(path.relative_to(self.root))

    def sidecar_paths(self, restricted: bool | None = False) -> list[Path]:
        """The sidecar JSON files of the main part, of the restricted part (``True``), or of both (``None``)."""
        tops = {False: [self.documents], True: [self.restricted / DOCUMENTS],
                None: [self.documents, self.restricted / DOCUMENTS]}[restricted]
        return [p for top in tops if top.is_dir()
                for p in sorted(top.rglob("*.json")) if not p.name.startswith(".")]

    def iter_documents(self, restricted: bool = False,
                       paths: list[Path] | None = None) -> Iterator[tuple[dict[str, Any], list[str]]]:
        """Every archived document of the main (or the restricted) part as (metadata, page texts), read
        from the sidecars alone (``paths``: those sidecars, already listed)."""
        for meta_path in self.sidecar_paths(restricted) if paths is None else paths:
            try:
                meta = json.loads(meta_path.read_text(encoding="utf-8"))
                text = meta_path.with_suffix(".txt").read_text(encoding="utf-8")
            except (OSError, ValueError) as exc:
                raise ArchiveError(
                    _("Cannot read sidecar {path}: {error}; restore it from backup or re-ingest its source.").format(
                        path=meta_path, error=exc)
                ) from exc
            yield meta, text.split("\f")

    def read_metadata(self, relative_json: str) -> dict[str, Any]:
        return json.loads((self.root / relative_json).read_text(encoding="utf-8"))
