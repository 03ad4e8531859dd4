"""``instansi``: the sending agency, from the letterhead (kop surat).

Its unit (``DINAS ...``, ``BADAN ...``) is the ``value`` and the government it
belongs to (``PEMERINTAH KABUPATEN X``) the ``pemerintah``, both in title case.
"""

from __future__ import annotations

import re
from typing import Any

from digitize.fields.perihal import _DOC_TITLE
from digitize.fields.text import _page_lines, _upper_ratio, title_case

_KOP_HEAD = re.compile(
    r"^\s*\W{0,3}(PEMERINTAH|DINAS|BADAN|SEKRETARIAT|KANTOR|INSPEKTORAT|RUMAH\s+SAKIT|RSUD|KECAMATAN|"
    r"KELURAHAN|DESA|BUPATI|WALI\s?KOTA|GUBERNUR|SATUAN|UPTD|UPT|PUSKESMAS|BAGIAN|DPRD|DEWAN|"
    r"KEMENTERIAN|BIRO|LEMBAGA|KOMISI|SEKOLAH|SMP|SMA|SMK|SD|UNIVERSITAS|KEPOLISIAN|PENGADILAN|"
    r"KEJAKSAAN|BALAI|ARSIP\s+NASIONAL|PERUSAHAAN|PDAM|BANK)\b"
)
_CONTACT = re.compile(
    r"\bjl\b\.?|\bjalan\b|telp|telep|\bfax\b|faks|pos-?el|e-?mail|website|laman|kode\s+pos|www\.|\.go\.id|@",
    re.IGNORECASE,
)


def find_instansi(pages: list[str]) -> dict[str, Any] | None:
    """The agency of page 1's letterhead: its unit as ``value`` and ``pemerintah`` when both are printed."""
    if not pages:
        return None
    groups = [g for g in _kop_groups(_kop_lines(_page_lines(pages[0])[:10])) if _KOP_HEAD.match(g)]
    return _agency(groups) if groups else None


def _agency(groups: list[str]) -> dict[str, Any]:
    """The unit named last, and the government above it, from the letterhead's headings."""
    pemerintah = next((g for g in groups if g.startswith("PEMERINTAH")), None)
    units = [g for g in groups if g is not pemerintah]
    result: dict[str, Any] = {
        "value": title_case(units[-1] if units else pemerintah or groups[0]),
        "page": 1,
        "confidence": 0.85 if units and pemerintah else 0.7,
    }
    if pemerintah and units:
        result["pemerintah"] = title_case(pemerintah)
    return result


def _kop_lines(lines: list[str]) -> list[str]:
    """The letterhead: the all-capital lines at the top, up to the address, the contacts or the title."""
    kop: list[str] = []
    for line in lines:
        letters = sum(c.isalpha() for c in line)
        if not kop and (letters < 4 or letters < 0.5 * len(line)):
            continue  # emblem noise before the letterhead
        if _CONTACT.search(line) or _DOC_TITLE.match(line) or _upper_ratio(line) < 0.7 or letters < 4:
            break
        kop.append(" ".join(line.split()))
    return kop


def _kop_groups(kop: list[str]) -> list[str]:
    """The letterhead's lines joined into one entry per ``PEMERINTAH ...``, ``DINAS ...`` heading."""
    groups: list[str] = []
    for line in kop:
        if _KOP_HEAD.match(line) or not groups:
            groups.append(line)
        else:
            groups[-1] += " " + line
    return groups
