"""The restricted part of the archive: confidential documents (``sifat`` Rahasia, Sangat Rahasia or
Terbatas, or every document of a run marked confidential) with their own index, readable only by
the archive's owner and a configured group."""

from __future__ import annotations

import os

from digitize.archive import Archive


def can_read(archive: Archive) -> bool:
    """May this user read the restricted part? (True when there is none: nothing is hidden.)"""
    part = archive.restricted
    return not part.exists() or os.access(part, os.R_OK | os.X_OK)
