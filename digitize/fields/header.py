"""The letter's header block (Nomor / Sifat / Lampiran / Hal) in the layouts OCR gives, rewritten
as one ``Label : value`` line per field, so each field's reader sees a single layout.

Tata naskah dinas prints the block in either of two ways, and OCR reads a third:

* ``Nomor : 800/12/BKD/2021`` on one line per field (kept as it is);
* the labels stacked in one column and their values in the next, which OCR reads as the
  labels first (``Nomor`` / ``Sifat`` / ``Lampiran`` / ``Perihal``) and then the values, each
  starting with its colon (``: 445.9/01``, ``: -``, ``: Laporan ...``), other lines such as the
  place and date in between;
* the colons lost (``Sifat Segera``, ``Hal Penghentian ...``): a run of two or more lines that
  start with a label.

Only page 1's first lines are looked at; other text is returned unchanged.
"""

from __future__ import annotations

import re

from digitize.fields.text import _clean

_LABEL = r"(nomor|n[o0]m[o0]r|no|sifat|lampiran|lamp|perihal|hal)"
_LABEL_ONLY = re.compile(rf"^\W{{0,3}}{_LABEL}\.?\s*[:;]?\s*$", re.IGNORECASE)
_LABEL_SPACE = re.compile(rf"^\W{{0,3}}{_LABEL}\.?\s+(?![:;])(\S.*)$", re.IGNORECASE)
_LABEL_COLON = re.compile(rf"^\W{{0,3}}{_LABEL}\.?\s*[:;]", re.IGNORECASE)
_QUALIFIED = re.compile(r"^[A-Za-z]{2,12}\s*[:;>+=]")
_VALUE = re.compile(r"^\s*[:;]\s*(\S.*)$")
_HEADER_LINES = 40
_VALUE_WINDOW = 10  # lines after the stacked labels in which their values are looked for


def normalise(pages: list[str]) -> list[str]:
    """``pages`` with page 1's header block as ``Label : value`` lines."""
    if not pages:
        return pages
    lines = _clean(pages[0]).split("\n")
    head, rest = lines[:_HEADER_LINES], lines[_HEADER_LINES:]
    head = _colons_restored(_stacked_paired(head))
    return ["\n".join(head + rest), *pages[1:]]


def _stacked_paired(lines: list[str]) -> list[str]:
    """Stacked labels followed by their ``: value`` lines, paired in order."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    for position in range(len(filled)):
        run = []
        for later in filled[position:]:
            if not _LABEL_ONLY.match(lines[later]):
                break
            run.append(later)
        if len(run) < 2:
            continue
        values = [i for i in filled if run[-1] < i <= run[-1] + _VALUE_WINDOW * 2 and _VALUE.match(lines[i])]
        values = values[: len(run)]
        if not values:
            return lines  # not a stacked block after all
        out = list(lines)
        for label_line, value_line in _pairs(run, values):
            label = _LABEL_ONLY.match(lines[label_line]).group(1)  # type: ignore[union-attr]
            value = _VALUE.match(lines[value_line]).group(1)  # type: ignore[union-attr]
            out[label_line] = f"{label} : {value}"
            out[value_line] = ""
        return out
    return lines


def _pairs(labels: list[int], values: list[int]) -> list[tuple[int, int]]:
    """Labels and values in order; with fewer values (a field printed empty) the first value is the
    first label's (the Nomor) and the last the last label's (the Hal), the rest in order between."""
    if len(values) >= len(labels) or len(values) < 2:
        return list(zip(labels, values, strict=False))
    middle = list(zip(labels[1:-1], values[1:-1], strict=False))
    return [(labels[0], values[0]), *middle, (labels[-1], values[-1])]


def _colons_restored(lines: list[str]) -> list[str]:
    """In a run of two or more lines that start with a label and no colon, the colon put back."""
    out = list(lines)
    filled = [i for i, line in enumerate(lines) if line.strip()]
    for position, index in enumerate(filled):
        neighbours = filled[max(0, position - 1) : position + 2]
        if not _LABEL_SPACE.match(lines[index]):
            continue
        match = _LABEL_SPACE.match(lines[index])
        assert match is not None
        if match.group(1).lower().startswith("n") and "/" not in match.group(2):
            continue  # a nomor without its colon must look like one ("Nomor 518 IRSA TES" is not)
        if _QUALIFIED.match(match.group(2)):
            continue  # "NOMOR EPB > PL/2001307/0617": the label has its own separator after the kind of number
        if sum(bool(_LABEL_SPACE.match(lines[i]) or _LABEL_COLON.match(lines[i])) for i in neighbours) >= 2:
            out[index] = f"{match.group(1)} : {match.group(2)}"
    return out
