"""Ingest stage: walk the inbox, hash every candidate file, sniff its real format.

Only regular files whose name has a scan extension are candidates; the rest are
ignored (README.md, .json ...). A candidate is rejected, with a one-line reason,
when it is empty, unreadable, a symbolic link (unless allowed, and never one that
leads out of the inbox), not a regular file, or when its content is not the
format its extension names. A file modified within the last ``settle_seconds``
is watched until its size and time stop changing; one still being written is
deferred to the next run, never read half-written.

File names are data: any bytes, any length, shell metacharacters included. The
name shown to users (``rel``) escapes bytes that are not UTF-8.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from digitize.formats import EXTENSION_KINDS
from digitize.i18n import _
from digitize.models import SourceFile

_MAGIC = [
    (0, b"%PDF-", "pdf"),
    (0, b"II*\x00", "tiff"),
    (0, b"MM\x00*", "tiff"),
    (0, b"\xff\xd8\xff", "jpeg"),
    (0, b"\x89PNG\r\n\x1a\n", "png"),
    (0, b"BM", "bmp"),
]
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1", b"avif"}
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Rejected:
    """A file in the inbox that will not be processed, and why."""

    rel: str
    reason: str
    message: str
    sha256: str | None = None
    size: int | None = None


@dataclass
class Discovery:
    files: list[SourceFile]
    rejected: list[Rejected]
    ignored: list[str]  # not a scan type by name (README.md, .json, ...): not an error
    deferred: list[str] = field(default_factory=list)  # still being written: next run


def display_name(path: str) -> str:
    """A printable, UTF-8-safe form of a file name (undecodable bytes as \\xNN)."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def sniff(head: bytes) -> str | None:
    for offset, magic, kind in _MAGIC:
        if head[offset:].startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return "heif"
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


def discover(
    inbox: Path,
    extensions: list[str],
    follow_symlinks: bool = False,
    settle_seconds: float = 0.0,
    skip_dirs: tuple[str, ...] = (),
    patterns: tuple[str, ...] | list[str] = ("*",),
    clock: Callable[[], float] = time.time,
    sleep: Callable[[float], None] = time.sleep,
    note: Callable[[str], None] | None = None,
) -> Discovery:
    """List the scans in ``inbox`` (recursively, sorted, hidden files skipped); ``patterns``: shell
    patterns a file's path in the inbox must match (``*`` matches across folders too). ``note`` is
    told, before the wait, when fresh files are left to settle."""
    inbox = inbox.resolve()
    wanted = {ext.lower() for ext in extensions}
    result = Discovery([], [], [])
    candidates: list[tuple[Path, str]] = []
    for dirpath, dirnames, filenames in os.walk(inbox, followlinks=follow_symlinks):
        here = Path(dirpath)
        dirnames[:] = sorted(
            d for d in dirnames if not d.startswith(".") and not (here == inbox and d in skip_dirs)
        )
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = here / name
            rel = display_name(str(path.relative_to(inbox)))
            if path.suffix.lower() not in wanted or not any(fnmatch.fnmatch(rel, p) for p in patterns):
                result.ignored.append(rel)
                continue
            candidates.append((path, rel))
    unsettled = _unsettled(candidates, settle_seconds, clock, sleep, note)
    for path, rel in candidates:
        if path in unsettled:
            result.deferred.append(rel)
            continue
        found = _examine(inbox, path, rel, follow_symlinks)
        if isinstance(found, Rejected):
            result.rejected.append(found)
        else:
            result.files.append(found)
    return result


def _unsettled(candidates, settle_seconds, clock, sleep, note=None) -> set[Path]:
    """Files still being written: modified recently and still changing after a wait."""
    if settle_seconds <= 0:
        return set()
    recent = {}
    for path, _rel in candidates:
        try:
            st = path.stat()
        except OSError:
            continue
        if clock() - st.st_mtime < settle_seconds:
            recent[path] = (st.st_size, st.st_mtime_ns)
    if not recent:
        return set()
    if note is not None:
        note(_("{count} file(s) changed in the last {seconds:g} s: waiting {seconds:g} s "
               "to see that the scanner has finished writing them").format(count=len(recent), seconds=settle_seconds))
    sleep(settle_seconds)
    changed = set()
    for path, before in recent.items():
        try:
            st = path.stat()
        except OSError:
            changed.add(path)
            continue
        if (st.st_size, st.st_mtime_ns) != before:
            changed.add(path)
    return changed


def _examine(inbox: Path, path: Path, rel: str, follow_symlinks: bool) -> SourceFile | Rejected:
    if path.is_symlink():
        if not follow_symlinks:
            return Rejected(rel, "symlink", _("{file}: is a symbolic link; copy the file into the inbox instead.")
                            .format(file=rel))
        target = path.resolve()
        if not target.is_relative_to(inbox):
            return Rejected(rel, "symlink-outside",
                            _("{file}: is a link to {target}, outside the inbox; copy the file in.")
                            .format(file=rel, target=display_name(str(target))))
    return examine_file(path, rel)


def examine_file(path: Path, rel: str) -> SourceFile | Rejected:
    """One file as ingest sees it (size, SHA-256, kind sniffed from its content), or why it is refused."""
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            return Rejected(rel, "not-a-file", _("{file}: is not a regular file (device, pipe or socket); remove it.")
                            .format(file=rel))
        if st.st_size == 0:
            return Rejected(rel, "empty", _("{file}: file is empty (0 bytes); scan the page again.").format(file=rel),
                            size=0)
        sha, head = sha256_file(path)
    except FileNotFoundError:
        return Rejected(rel, "vanished", _("{file}: was removed while the run was going on; put it back in the "
                                           "inbox to process it.").format(file=rel))
    except OSError as exc:
        return Rejected(rel, "unreadable",
                        _("{file}: cannot be read ({error}); check its permissions and owner.")
                        .format(file=rel, error=exc.strerror))
    kind = sniff(head)
    expected = EXTENSION_KINDS.get(path.suffix.lower())
    if kind is None:
        return Rejected(rel, "unsupported",
                        _("{file}: not a PDF, TIFF, JPEG, PNG, BMP, WebP or HEIC file (its content does not "
                          "match any); convert it or remove it from the inbox.").format(file=rel), sha, st.st_size)
    if expected and kind != expected:
        return Rejected(rel, "extension-mismatch",
                        _("{file}: named {suffix} but its content is {kind}; rename it to match "
                          "its content (or check where it came from).").format(file=rel, suffix=path.suffix,
                                                                              kind=kind.upper()), sha, st.st_size)
    return SourceFile(path, rel, st.st_size, st.st_mtime, sha, kind)
