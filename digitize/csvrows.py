"""Reading the CSV files users give (evaluation manifests, hand-checked metadata): one way, one set of messages."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from digitize.errors import ConfigError
from digitize.i18n import _


def read_rows(path: Path, required: Sequence[str], what: str) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) of every non-empty row of a UTF-8 CSV with a header row; keys and values
    stripped. ``ConfigError`` (naming ``what`` and the file) for a missing column, bad encoding or
    an unreadable file."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            columns = [c.strip() for c in reader.fieldnames or []]
            missing = [c for c in required if c not in columns]
            if missing:
                raise ConfigError(
                    _("{what} {path}: no column {missing}; its first row must be the header `{header}`, other "
                      "columns allowed (found: {found}).").format(
                        what=what, path=path, missing=", ".join(missing), header=",".join(required),
                        found=",".join(columns) or _("nothing"))
                )
            rows = []
            for line, raw in enumerate(reader, start=2):
                row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if isinstance(v, str | None)}
                if any(row.values()):
                    rows.append((line, row))
    except UnicodeDecodeError:
        raise ConfigError(_("{what} {path} is not UTF-8 text; save it as UTF-8.").format(
            what=what, path=path)) from None
    except OSError as exc:
        raise ConfigError(_("Cannot read {what} {path} ({error}).").format(
            what=what.lower(), path=path, error=exc.strerror)) from None
    return rows
