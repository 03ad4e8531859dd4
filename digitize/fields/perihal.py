"""``perihal`` (the subject), and the ``lampiran`` and ``sifat`` header fields of a letter.

``perihal`` comes from ``Perihal :`` / ``Hal :`` (0.95), else the ``TENTANG`` block
of a decree, regulation or circular (0.9), else a title line that says more than the
type (``SURAT IZIN PENELITIAN``, ``LAPORAN HASIL AUDIT ...``; 0.75). All-capital text
is given in title case. ``Lampiran : -`` is not reported.
"""

from __future__ import annotations

import re
from typing import Any

from digitize.fields.nomor import _NOMOR_LABEL
from digitize.fields.tanggal import _PLACE_DATE
from digitize.fields.text import _GAP, _SMALL_WORDS, _drop_noise, _lines, _readable, _upper_ratio

_PERIHAL = re.compile(
    r"^\s*\W{0,3}(?:(?:peri\s?ha[l1i]|perlhal|prihal|ha[l1i]|h\sa\sl)\s*\.?\s*(?:[:;]|[\-–](?=\s))|peri\s?hal\s)\s*(\S.*)$",
    re.IGNORECASE,
)  # "Perihal :", "Hal -" (OCR's dash for a colon), "H a l :", and "Perihal" whose colon OCR lost
# the right column of a two-column header read into the same line: the addressee, or a rule "|"
_RIGHT_COLUMN = re.compile(r"\s+(\||(?:kepada|yth|untuk)\b\W).*$", re.IGNORECASE)
_LAMPIRAN = re.compile(r"^\s*\W{0,3}(?:lampiran|lamp\.?)\s*[:;]\s*(\S.*)$", re.IGNORECASE)
_SIFAT = re.compile(r"^\s*\W{0,3}sifat\s*[:;]\s*(\S.*)$", re.IGNORECASE)
_BLOCK_START = re.compile(
    r"^\W*(yth|kepada|dengan\s+hormat|di\b|tembusan|lampiran|sifat|nomor|hari|tanggal|dari|"
    r"sdr|bapak|ibu|menimbang|mengingat|memperhatikan)",
    re.IGNORECASE,
)
_TENTANG = re.compile(r"^[\W_]{0,8}(TENTANG|Tentang)\s*:?\s*(.*)$")
# Labels of a decree's left column, which OCR may read in between the TENTANG lines.
_SK_LABEL = re.compile(
    r"^[\W_]*(menimbang|mengingat|memperhatikan|menetapkan|memutuskan|kesatu|kedua|ketiga|keempat|kelima|"
    r"keenam|ketujuh|kedelapan)\s*:?[\W_]*$",
    re.IGNORECASE,
)
_TENTANG_STOP = re.compile(
    r"DENGAN\s+RAHMAT|^\s*(BUPATI|WALI\s?KOTA|GUBERNUR|MENTERI|KEPALA|SEKRETARIS|DIREKTUR|KETUA)\b.*,\s*$|"
    r"Menimbang|^\W*Yth|^\W*Kepada",
    re.IGNORECASE,
)
_DOC_TITLE = re.compile(
    r"^\s*\W{0,3}(LAPORAN|SURAT|BERITA\s+ACARA|NOTA\s+DINAS|KEPUTUSAN|PERATURAN|INSTRUKSI|PENGUMUMAN|"
    r"TELAAHAN|MEMO|NOTULEN|NOTULA|RENCANA|KERANGKA\s+ACUAN|PERJANJIAN|SERTIFIKAT|PIAGAM|KWITANSI|"
    r"KUITANSI|DAFTAR|REKAPITULASI|PROPOSAL|BUKU)\b"
)
_ISSUED_TITLE = re.compile(r"^\s*\W{0,3}(SURAT\s+)?(KEPUTUSAN|PERATURAN|INSTRUKSI|EDARAN)\b")
# Titles that only name the document type: no perihal of their own.
_BARE_TITLES = {
    "surat", "surat tugas", "surat perintah tugas", "surat perintah", "nota dinas", "surat edaran",
    "berita acara", "surat keputusan", "keputusan", "undangan", "surat undangan", "laporan",
    "surat keterangan", "pengumuman", "surat izin", "memo", "memorandum", "surat kuasa",
    "surat pernyataan", "surat rekomendasi", "surat pengantar", "nota", "notulen", "kuitansi",
}  # fmt: skip


def _value_chunk(rest: str) -> str:
    chunk = _RIGHT_COLUMN.sub("", _GAP.split(rest.strip())[0])
    return " ".join(chunk.split()).strip(" ;|")


def _continues(line: str) -> bool:
    """Could ``line`` be the wrapped rest of a header value (Perihal) above it?"""
    stripped = line.strip()
    if not stripped or ":" in stripped or _BLOCK_START.match(stripped) or len(stripped.split()) > 9:
        return False
    if _PLACE_DATE.search(stripped):
        return False
    if stripped[0].islower():
        return True
    words = [w for w in stripped.split() if w.isalpha()]
    return bool(words) and all(w[0].isupper() or w.lower() in _SMALL_WORDS for w in words)


def _labelled(pages: list[str], pattern: re.Pattern[str], follow: bool) -> tuple[str, int, bool] | None:
    for number, text in enumerate(pages, start=1):
        lines = _lines(text)
        for index, line in enumerate(lines):
            match = pattern.match(line)
            if not match:
                continue
            value = _value_chunk(match.group(1))
            joined = False
            if follow and not value.endswith("."):
                # the wrapped rest, up to three lines; OCR may put a blank line between them
                following = [line for line in lines[index + 1 : index + 7] if line.strip()][:3]
                for extra in following:
                    if not _continues(extra):
                        break
                    value += " " + _value_chunk(extra)
                    joined = True
                    if extra.rstrip().endswith("."):
                        break  # the subject's last line
            if value.strip("-–— ."):
                return value, number, joined
    return None


def _tentang(pages: list[str]) -> tuple[str, int] | None:
    for number, text in enumerate(pages[:1], start=1):
        lines = [line for line in _lines(text) if line.strip()][:40]
        for index, line in enumerate(lines):
            match = _TENTANG.match(line)
            if not match:
                continue
            rest = match.group(2).strip()
            parts = [rest] if rest and _upper_ratio(rest) >= 0.7 else []
            for extra in lines[index + 1 : index + 12]:
                if _SK_LABEL.match(extra):
                    continue
                if _TENTANG_STOP.search(extra) or _upper_ratio(extra) < 0.7 or len(parts) >= 6:
                    break
                parts.append(extra.strip())
            value = _drop_noise(" ".join(parts))
            if len(value) >= 5:
                return _readable(value), number
    return None


def _title_block(pages: list[str]) -> tuple[str, int] | None:
    if not pages:
        return None
    lines = [line for line in _lines(pages[0]) if line.strip()][:25]
    for index, line in enumerate(lines):
        if not _DOC_TITLE.match(line) or _upper_ratio(line) < 0.8:
            continue
        if _ISSUED_TITLE.match(line):
            return None  # "KEPUTUSAN BUPATI X": its subject is the TENTANG block
        parts = [line.strip()]
        for extra in lines[index + 1 : index + 4]:
            if _upper_ratio(extra) < 0.8 or re.match(rf"^\W*{_NOMOR_LABEL}\b", extra, re.I) or _TENTANG.match(extra):
                break
            parts.append(extra.strip())
        value = _drop_noise(" ".join(parts))
        if re.sub(r"[^a-z ]", "", value.lower()).strip() in _BARE_TITLES:
            return None
        return _readable(value), 1
    return None


def find_perihal(pages: list[str]) -> dict[str, Any] | None:
    labelled = _labelled(pages, _PERIHAL, follow=True)
    if labelled:
        value = _readable(labelled[0].rstrip(" .,;"))
        return {"value": value, "page": labelled[1], "confidence": 0.85 if labelled[2] else 0.95}
    found = _tentang(pages)
    if found:
        return {"value": found[0], "page": found[1], "confidence": 0.9}
    found = _title_block(pages)
    if found:
        return {"value": found[0], "page": found[1], "confidence": 0.75}
    return None


def find_lampiran_sifat(pages: list[str]) -> dict[str, dict[str, Any] | None]:
    """The ``Lampiran :`` and ``Sifat :`` header fields (0.9), each None when absent."""
    out: dict[str, dict[str, Any] | None] = {}
    for name, pattern in (("lampiran", _LAMPIRAN), ("sifat", _SIFAT)):
        found = _labelled(pages, pattern, follow=False)
        out[name] = {"value": found[0], "page": found[1], "confidence": 0.9} if found else None
    return out
