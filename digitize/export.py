"""``digitize export --bagit DIR [QUERY]``: selected documents, with their sidecars and event logs, as
a BagIt bag (RFC 8493, the Library of Congress ``bagit`` library) that ``bagit.py --validate`` accepts:
for a transfer to a regional archive (ANRI's Arsip Daerah), or a copy kept off-site.

The bag is built in a temp folder beside ``DIR`` and renamed into place when complete: a kill
never leaves half a bag under its name. Each document goes to ``data/<type>/<year>/`` with its
archive files (PDF/A, text, sidecar JSON, originals kept) and ``<id>.events.json``, the ledger's
event log of it; the archive's files are checked against the ledger's checksums on the way."""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from digitize import __version__
from digitize.archive import Archive
from digitize.errors import ArchiveError, ConfigError
from digitize.i18n import _
from digitize.ledger import Ledger
from digitize.settings import Settings

SEARCH_LIMIT = 1_000_000  # a query selects every matching document


@dataclass(frozen=True)
class Exported:
    bag: Path
    documents: int
    files: int


def export_bag(settings: Settings, target: Path, query: str | None = None, restricted: bool = False) -> Exported:
    """Write the documents ``query`` finds (every document without one) as a bag at ``target``;
    restricted documents only when ``restricted`` (for a user who may read them)."""
    import bagit

    archive = Archive.from_settings(settings)
    archive.require_existing()
    if target.exists():
        raise ConfigError(_("{target} already exists: give a new folder for the bag (it is created).")
                          .format(target=target))
    if target.resolve().is_relative_to(archive.root.resolve()):
        raise ConfigError(_("{target} is inside the archive {archive}: write the bag outside it.")
                          .format(target=target, archive=archive.root))
    if restricted:
        from digitize.restricted import require_readable

        require_readable(archive)
    ids = _selected(settings, query, restricted)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent))
    ledger = Ledger(archive.ledger_path)
    files = 0
    try:
        for doc_id in ids:
            files += _copy_document(archive, ledger, doc_id, staging)
        bagit.make_bag(str(staging), _bag_info(archive, query, len(ids)), checksums=["sha256", "sha512"])
        staging.chmod(0o750)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        ledger.close()
    return Exported(target, len(ids), files)


def _selected(settings: Settings, query: str | None, restricted: bool) -> list[str]:
    if query:
        from digitize import catalog

        return sorted({hit.id for hit in catalog.search(settings, query, SEARCH_LIMIT, restricted)})
    archive = Archive.from_settings(settings)
    ledger = Ledger(archive.ledger_path)
    try:
        return [i for i in ledger.find_documents("")
                if restricted or not str((ledger.document(i) or {}).get("pdf_path", "")).startswith("restricted/")]
    finally:
        ledger.close()


def _copy_document(archive: Archive, ledger: Ledger, doc_id: str, staging: Path) -> int:
    """Copy one document's files, hash-checked against the ledger, and its events; return the file count."""
    row = ledger.document(doc_id)
    if row is None:
        raise ArchiveError(_("Document {doc_id} is in the index but not in the ledger: run `digitize index rebuild`.")
                           .format(doc_id=doc_id))
    meta = archive.read_metadata(row["json_path"])
    wanted: dict[str, Any] = {"pdf": row["pdf_sha256"], "txt": row["txt_sha256"], "json": row["json_sha256"]}
    count = 0
    for kind, rel in meta.get("files", {}).items():
        source = archive.root / rel
        target = staging / rel.removeprefix("restricted/").removeprefix("documents/")
        target.parent.mkdir(parents=True, exist_ok=True)
        data = source.read_bytes() if source.exists() else None
        expected = wanted.get(kind) or (meta.get("checksums") or {}).get(kind)
        if data is None or (expected and hashlib.sha256(data).hexdigest() != expected):
            if data is None:
                message = _("{file} is missing: nothing exported; run `digitize verify` and repair it first.")
            else:
                message = _("{file} is changed since it was archived: nothing exported; run `digitize verify` and "
                            "repair it first.")
            raise ArchiveError(message.format(file=source))
        target.write_bytes(data)
        count += 1
    folder = staging / Path(row["json_path"].removeprefix("restricted/")).parent.relative_to("documents")
    events = json.dumps(ledger.events(doc_id), ensure_ascii=False, indent=2) + "\n"
    (folder / f"{doc_id}.events.json").write_text(events, encoding="utf-8")
    return count + 1


def _bag_info(archive: Archive, query: str | None, count: int) -> dict[str, str]:
    return {
        "Source-Organization": str(archive.root.resolve()),
        "External-Description": f"{count} document(s) exported by digitize {__version__}"
                                + (f" for the search {query!r}" if query else ", the whole archive"),
        "Bag-Software-Agent": f"digitize {__version__}",
    }
