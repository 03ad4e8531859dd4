"""Archive classification codes (Kode Klasifikasi Arsip, KKA) and their names.

A scheme is read from a ``kka.toml`` (built in: ``digitize/defaults/kka.toml``; default
codes per document type, and the names of the ten main codes and of those defaults, so
labels work without a scheme file) and, optionally, a CSV of the full scheme with the columns
``kode,nama[,uraian,level,parent]`` such as the Permendagri 78/2012 list.

API::

    load_scheme(config_path=None, csv_path=None) -> Scheme
        config_path: a kka.toml (default: digitize/defaults/kka.toml, shipped in the package);
        csv_path: a scheme CSV (default: the file named by ``scheme`` in the toml, if any)
    read_csv(path) -> dict[code, Entry]
    parent_code(code) -> str | None          "045.36" -> "045.3" -> "045" -> "040" -> "000" -> None
    Scheme.lookup(code) -> Entry | None      the code's entry, or its nearest listed ancestor's
    Scheme.label(code) -> str | None         the name from lookup()
    Scheme.infer(doc_type) -> str | None     the default code of a document type
    Scheme.resolve(fields, doc_type) -> dict | None
        {"value", "label", "source": "nomor" | "type", "page"?, "confidence"}: the code
        of the nomor (fields["kka"], from digitize.fields) wins over the type's default.

Parents follow the shape of the codes, as in Permendagri 78: a dotted code's parent
drops its last digit (``001.31`` -> ``001.3`` -> ``001``), a three-digit code ``abc``
belongs to ``ab0``, and ``ab0`` to ``a00``. The CSV's own ``parent`` column is not
needed (the shipped one derives it the same way); of a code listed twice the first
row is kept. Names in the toml override the CSV's (its typos, e.g. 503).
"""

from __future__ import annotations

import csv
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from digitize import defaults
from digitize.errors import ConfigError
from digitize.i18n import _

_CODE = re.compile(r"^\d{3}(?:\.\d+)?$")


@dataclass(frozen=True)
class Entry:
    code: str
    name: str
    description: str = ""


def default_config_path() -> Path:
    return defaults.path("kka.toml")


def parent_code(code: str) -> str | None:
    """The code one level up, by the shape of the code; None for a main code (x00)."""
    if not _CODE.match(code):
        return None  # not a Permendagri-shaped code (KP.07.6)
    if "." in code:
        head, tail = code.split(".", 1)
        return f"{head}.{tail[:-1]}" if len(tail) > 1 else head
    if code[2] != "0":
        return code[:2] + "0"
    if code[1] != "0":
        return code[0] + "00"
    return None


def read_csv(path: Path) -> dict[str, Entry]:
    """Entries of a scheme CSV (columns kode,nama and optionally uraian); first row of a code wins."""
    entries: dict[str, Entry] = {}
    try:
        with Path(path).open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if not {"kode", "nama"} <= set(reader.fieldnames or []):
                raise ConfigError(_("{path}: a KKA scheme needs the columns kode,nama").format(path=path))
            for row in reader:
                code = (row.get("kode") or "").strip()
                if code and code not in entries:
                    entries[code] = Entry(code, (row.get("nama") or "").strip(), (row.get("uraian") or "").strip())
    except OSError as exc:
        raise ConfigError(_("Cannot read the KKA scheme {path}: {error}").format(path=path, error=exc)) from exc
    return entries


@dataclass
class Scheme:
    entries: dict[str, Entry] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)  # document type -> code

    def lookup(self, code: str) -> Entry | None:
        """The entry of ``code``, or of its nearest listed ancestor (``045.99`` -> ``045``)."""
        current: str | None = code.strip()
        while current:
            if current in self.entries:
                return self.entries[current]
            current = parent_code(current)
        return None

    def label(self, code: str) -> str | None:
        entry = self.lookup(code)
        return entry.name if entry else None

    def infer(self, doc_type: str) -> str | None:
        """The default code of a document type (``surat_undangan`` -> ``005``), or None."""
        return self.defaults.get(doc_type)

    def resolve(self, fields: dict[str, Any], doc_type: str | None) -> dict[str, Any] | None:
        """The document's code: the nomor's (``fields["kka"]``) wins over the type's default."""
        found = fields.get("kka")
        if found:
            result = dict(found)
            result.setdefault("source", "nomor")
        elif doc_type and self.infer(doc_type):
            result = {"value": self.infer(doc_type), "source": "type", "confidence": 0.5}
        else:
            return None
        label = self.label(result["value"])
        if label:
            result["label"] = label
        return result


def load_scheme(config_path: Path | None = None, csv_path: Path | None = None) -> Scheme:
    """The scheme of ``config_path`` (default: the built-in kka.toml) plus a scheme CSV, if any."""
    config_path = Path(config_path) if config_path else default_config_path()
    try:
        data = tomllib.loads(config_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(_("KKA settings {path} not found.").format(path=config_path)) from None
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(_("Cannot read KKA settings {path}: {error}").format(path=config_path, error=exc)) from exc
    unknown = set(data) - {"scheme", "defaults", "names"}
    if unknown:
        raise ConfigError(_("{path}: unknown key(s) {keys}.").format(path=config_path, keys=", ".join(sorted(unknown))))
    if csv_path is None and data.get("scheme"):
        csv_path = config_path.parent / str(data["scheme"])
    entries = read_csv(csv_path) if csv_path else {}
    for code, name in (data.get("names") or {}).items():
        _check_code(config_path, "names", code)
        old = entries.get(code)
        entries[code] = Entry(code, str(name), old.description if old else "")
    defaults = {}
    for doc_type, code in (data.get("defaults") or {}).items():
        _check_code(config_path, f"defaults.{doc_type}", str(code))
        defaults[doc_type] = str(code)
    return Scheme(entries, defaults)


def _check_code(path: Path, where: str, code: str) -> None:
    if not _CODE.match(code):
        raise ConfigError(_("{path}: {where}: '{code}' is not a code like 005 or 045.2").format(
            path=path, where=where, code=code))
