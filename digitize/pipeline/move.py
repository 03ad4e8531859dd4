"""After each index commit: archived originals leave the inbox (``ingest.move_processed``)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from digitize.models import SourceFile


def move_originals(sources: list[SourceFile], inbox: Path, processed_root: Path) -> None:
    """Move each file to ``processed_root/<today>/<its path in the inbox>``, never over another file."""
    for source in sources:
        target = processed_root / date.today().isoformat() / source.path.relative_to(inbox)
        target.parent.mkdir(parents=True, exist_ok=True)
        stem, n = target, 1
        while target.exists():
            target = stem.with_name(f"{stem.stem}-{n}{stem.suffix}")
            n += 1
        shutil.move(source.path, target)
