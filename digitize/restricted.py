"""The restricted part of the archive: confidential documents (``sifat`` Rahasia, Sangat Rahasia or
Terbatas, or every document of a run marked confidential) with their own index, readable only by
the archive's owner and a configured group."""

from __future__ import annotations

import os
import re
from typing import Any

from digitize.archive import Archive
from digitize.errors import ArchiveError
from digitize.i18n import _
from digitize.settings import Settings


def can_read(archive: Archive) -> bool:
    """May this user read the restricted part? (True when there is none: nothing is hidden.)"""
    part = archive.restricted
    return not part.exists() or os.access(part, os.R_OK | os.X_OK)


def reason(fields: dict[str, Any], settings: Settings) -> str | None:
    """Why a document is confidential, or None: the run marks every document so, or its ``sifat``
    (Rahasia, Sangat Rahasia, Terbatas: ``restricted.sifat``) does."""
    if settings.ingest.confidential:
        return "the run was marked confidential"
    sifat = fields.get("sifat")
    value = sifat.get("value") if isinstance(sifat, dict) else sifat
    if not isinstance(value, str):
        return None
    words = " ".join(re.sub(r"[^\w\s]", " ", value.casefold()).split())
    for marked in settings.restricted.sifat:
        wanted = " ".join(marked.casefold().split())
        if words == wanted or words.startswith(wanted + " "):
            return f"sifat {value.strip()}"
    return None


def require_readable(archive: Archive) -> None:
    """A user asking for the restricted part must be allowed to read it."""
    if not can_read(archive):
        raise ArchiveError(_("You may not read the restricted part of {archive}: ask the archive's owner to add you "
                             "to its group (restricted.group), or search without --restricted.").format(
                                 archive=archive.root))
