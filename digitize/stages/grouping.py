"""Group input files into documents (before OCR), chosen per job with ``ingest.group``:

* ``file``: one file is one document (the default);
* ``folder``: all files of one folder are one document, in natural name order;
* ``pattern``: numbered page files that share a stem (``surat_0001.jpg``,
  ``surat_0002.jpg``) are one document; ``ingest.page_pattern`` is the regular
  expression, with groups ``stem`` and ``page``;
* ``time-gap``: files of one folder in time order; a pause longer than
  ``ingest.time_gap`` seconds between two scans starts a new document.

Separator sheets (``ingest.separators``) split the groups further; that needs the
page images, so it happens in the worker (``stages.separators``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import PurePath

from digitize.errors import ConfigError
from digitize.i18n import _
from digitize.models import SourceFile

MODES = ("file", "folder", "pattern", "time-gap")
DEFAULT_PAGE_PATTERN = r"^(?P<stem>.*?)[ _.-]*(?P<page>\d+)$"


def natural_key(name: str) -> list:
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", name)]


def group(files: list[SourceFile], mode: str, page_pattern: str = DEFAULT_PAGE_PATTERN,
          time_gap: float = 60.0) -> list[list[SourceFile]]:
    if mode == "file":
        return [[f] for f in files]
    folders: dict[str, list[SourceFile]] = defaultdict(list)
    for f in files:
        folders[str(PurePath(f.rel).parent)].append(f)
    ordered = [sorted(members, key=lambda f: natural_key(PurePath(f.rel).name))
               for _folder, members in sorted(folders.items())]
    if mode == "folder":
        return ordered
    if mode == "pattern":
        regex = re.compile(page_pattern)  # checked by digitize.settings.validate
        groups: list[list[SourceFile]] = []
        for members in ordered:
            by_stem: dict[str, list[tuple[int, SourceFile]]] = defaultdict(list)
            for f in members:
                match = regex.match(PurePath(f.rel).stem)
                key = match.group("stem") if match else PurePath(f.rel).stem
                page = int(match.group("page")) if match else 0
                by_stem[key].append((page, f))
            for key in sorted(by_stem, key=natural_key):
                groups.append([f for _page, f in sorted(by_stem[key], key=lambda p: p[0])])
        return groups
    if mode == "time-gap":
        groups = []
        for members in ordered:
            current: list[SourceFile] = []
            for f in sorted(members, key=lambda f: (f.mtime, natural_key(f.rel))):
                if current and f.mtime - current[-1].mtime > time_gap:
                    groups.append(current)
                    current = []
                current.append(f)
            if current:
                groups.append(current)
        return groups
    raise ConfigError(_("ingest.group must be one of {modes}, not {mode!r}.").format(modes=", ".join(MODES), mode=mode))
