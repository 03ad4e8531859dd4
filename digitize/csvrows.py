"""Reading the CSV files users give (evaluation manifests, hand-checked metadata): one way, one set of messages."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from digitize.errors import ConfigError


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
                    f"{what} {path}: no column {', '.join(missing)}; its first row must be the header "
                    f"`{','.join(required)}`, other columns allowed (found: {','.join(columns) or 'nothing'})."
                )
            rows = []
            for line, raw in enumerate(reader, start=2):
                row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if isinstance(v, str | None)}
                if any(row.values()):
                    rows.append((line, row))
    except UnicodeDecodeError:
        raise ConfigError(f"{what} {path} is not UTF-8 text; save it as UTF-8.") from None
    except OSError as exc:
        raise ConfigError(f"Cannot read {what.lower()} {path} ({exc.strerror}).") from None
    return rows
