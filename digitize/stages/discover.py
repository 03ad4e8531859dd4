"""Ingest stage: walk the inbox, hash every candidate file, sniff its real format."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from digitize.models import SourceFile

_MAGIC = [
    (b"%PDF-", "pdf"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
]
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Rejected:
    """A file in the inbox that will not be processed, and why."""

    rel: str
    reason: str
    message: str
    sha256: str | None = None


@dataclass
class Discovery:
    files: list[SourceFile]
    rejected: list[Rejected]
    ignored: list[str]  # not a scan type by name (README.md, .json, ...): not an error


def sniff(head: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if len(head) >= 1024 and b"%PDF-" in head[:1024]:  # PDFs with junk before the header
        return "pdf"
    return None


def sha256_file(path: Path) -> tuple[str, bytes]:
    """Return the SHA-256 of a file and its first bytes (for sniffing), reading it once."""
    digest = hashlib.sha256()
    head = b""
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            if not head:
                head = chunk[:2048]
            digest.update(chunk)
    return digest.hexdigest(), head


def discover(inbox: Path, extensions: list[str], follow_symlinks: bool = False) -> Discovery:
    """List the scans in ``inbox`` (recursively, sorted, hidden files skipped)."""
    inbox = inbox.resolve()
    wanted = {ext.lower() for ext in extensions}
    result = Discovery([], [], [])
    for dirpath, dirnames, filenames in os.walk(inbox, followlinks=follow_symlinks):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = Path(dirpath) / name
            rel = str(path.relative_to(inbox))
            if path.suffix.lower() not in wanted:
                result.ignored.append(rel)
                continue
            found = _examine(path, rel, follow_symlinks)
            if isinstance(found, Rejected):
                result.rejected.append(found)
            else:
                result.files.append(found)
    return result


def _examine(path: Path, rel: str, follow_symlinks: bool) -> SourceFile | Rejected:
    if path.is_symlink() and not follow_symlinks:
        return Rejected(
            rel, "symlink", f"{rel}: is a symbolic link; copy the file into the inbox instead."
        )
    try:
        stat = path.stat()
        if stat.st_size == 0:
            return Rejected(rel, "empty", f"{rel}: file is empty (0 bytes); scan the page again.")
        sha, head = sha256_file(path)
    except OSError as exc:
        return Rejected(
            rel, "unreadable", f"{rel}: cannot be read ({exc.strerror}); check its permissions."
        )
    kind = sniff(head)
    if kind is None:
        return Rejected(
            rel,
            "unsupported",
            f"{rel}: not a PDF, TIFF, JPEG or PNG file (content does not match); "
            "convert it or remove it from the inbox.",
            sha,
        )
    return SourceFile(path, rel, stat.st_size, stat.st_mtime, sha, kind)
