"""``instansi``: the issuing office, from the letterhead (kop surat).

A kop surat prints, at the top of page 1, the chain of the office from the top
down (``PEMERINTAH KABUPATEN JEPARA`` / ``DINAS KESEHATAN`` / ``UPTD LABORATORIUM
KESEHATAN``; ``KEMENTERIAN SOSIAL REPUBLIK INDONESIA`` / ``DIREKTORAT ...``), then
the address and contacts. ``value`` is that chain as printed, its headings joined by
`` / `` in title case; ``unit`` is the office named last (the one that issues) and
``pemerintah`` the government above it, when printed. A heading runs on over the
capitalised lines below it until the next heading. OCR specks before a heading (the
emblem read as letters) are dropped; lines before the kop (an address printed above
it) are skipped.
"""

from __future__ import annotations

import re
from typing import Any

from digitize.fields.perihal import _DOC_TITLE
from digitize.fields.text import _page_lines, _upper_ratio, title_case

_HEADS = (
    r"PEMERINTAH|DINAS|BADAN|SEKRETARIAT|KANTOR|INSPEKTORAT|RUMAH\s+SAKIT|RSUD|KECAMATAN|"
    r"KELURAHAN|DESA|BUPATI|WALI\s?KOTA|GUBERNUR|SATUAN|UPTD|UPT|PUSKESMAS|BAGIAN|DPRD|DEWAN|"
    r"KEMENTERIAN|KEMENTRIAN|DIREKTORAT|BIRO|LEMBAGA|KOMISI|SEKOLAH|SMP|SMA|SMK|SD|UNIVERSITAS|KEPOLISIAN|"
    r"PENGADILAN|KEJAKSAAN|BALAI|ARSIP\s+NASIONAL|PERUSAHAAN|PDAM|BANK|PANTI|STASIUN|PT\.?|PERUM|"
    r"BADAN\s+USAHA|YAYASAN|KOPERASI|CABANG"
)
# a heading, after at most two short specks (the emblem read as "4", "Ye", "| FG")
_KOP_HEAD = re.compile(rf"^(?:\W*\w{{0,2}}\W+){{0,2}}?\W*(?P<head>(?:{_HEADS})\b.*)$")
_CONTACT = re.compile(
    r"\bjl\b\.?|\bjln\b|\bjin\b|\bjalan\b|alamat|telp|telep|\bfax\b|faks|pos-?el|e-?\s?mail|website|laman|"
    r"kode\s+pos|www\.|\.go\.id|@|\bnomor\s*:|\bno\s*:",
    re.IGNORECASE,
)
_KOP_LINES = 14  # the kop is within page 1's first lines


def find_instansi(pages: list[str]) -> dict[str, Any] | None:
    """The issuing office of page 1's letterhead (see the module docstring); None without a kop."""
    if not pages:
        return None
    groups = _headings(_page_lines(pages[0])[:_KOP_LINES])
    return _agency(groups) if groups else None


def _headings(lines: list[str]) -> list[str]:
    """The kop's headings, each with the capitalised lines that continue it; repeats dropped."""
    groups: list[str] = []
    for line in lines:
        if groups and (_CONTACT.search(line) or _DOC_TITLE.match(line)):
            break  # the address, the contacts or the document's title: the kop has ended
        head = _KOP_HEAD.match(line)
        if head and _upper_ratio(head["head"]) >= 0.7 and not _CONTACT.search(line):
            text = _clean(head["head"])
            if text not in groups:
                groups.append(text)
        elif groups and _continues(line):
            groups[-1] += " " + _clean(line)
        elif groups and sum(c.isalpha() for c in line) >= 4:
            break
        # else: specks (the emblem) between or before the headings
    return groups


def _continues(line: str) -> bool:
    letters = sum(c.isalpha() for c in line)
    return letters >= 4 and _upper_ratio(line) >= 0.8 and letters >= 0.6 * len(line.replace(" ", ""))


def _clean(text: str) -> str:
    """One heading as printed: quotes and OCR marks at its ends removed, spaces collapsed."""
    return " ".join(text.strip(" \"'”“’|.,:;-—").split())


def _agency(groups: list[str]) -> dict[str, Any]:
    pemerintah = next((g for g in groups if g.startswith("PEMERINTAH")), None)
    units = [g for g in groups if g is not pemerintah]
    result: dict[str, Any] = {
        "value": " / ".join(title_case(g) for g in groups),
        "unit": title_case(units[-1] if units else groups[-1]),
        "page": 1,
        "confidence": 0.85 if len(groups) > 1 else 0.7,
    }
    if pemerintah and units:
        result["pemerintah"] = title_case(pemerintah)
    return result
