"""``penandatangan`` and ``jabatan``: the signatory's name and title from the signature block.

The block follows the structure of Indonesian official letters (tata naskah dinas) and
is read from the end of the page (above ``Tembusan``) upwards::

    Jepara, 27 Januari 2020            place and date, ``Mengetahui``, ``Hormat kami``,
                                       ``Ditetapkan di ... pada tanggal ...`` or
                                       ``Ditandatangani secara elektronik oleh:`` (optional)
    a.n. BUPATI JEPARA                 a.n. / u.b. lines (optional); ``Plt.``/``Plh.``/``Pj.``
    Sekretaris Daerah,                 the title, one to three lines, comma optional
    <stamp, signature, OCR specks>
    Drs. NAMA LENGKAP, M.Si.           the name, often with degrees
    Pembina Utama Muda                 the rank (optional)
    NIP. 19690717 198803 1 001         the NIP (optional)

``jabatan`` joins the delegation and the title with `` / `` (``An. BUPATI JEPARA /
Sekretaris Daerah``); ``penandatangan`` carries ``nip`` and ``pangkat`` when they are
printed under the name; when the name is lost (under a stamp) the block's NIP is kept on
``jabatan`` as ``nip``. A title counts only with evidence that it heads a signature
block: a trailing comma, a date/``Mengetahui``/e-sign line or a delegation above it, or
a rank or NIP under it; a name line counts only when it looks like a name (one case
throughout, degrees aside) and, if a single word, sits right above the rank or NIP.
In a regulation the enacting block (``Ditetapkan di``) is read, not the promulgating
one (``Diundangkan di``). Without a block, a statement's ``yang bertanda tangan di
bawah ini: Nama : ... Jabatan : ...`` gives the signer (lower confidence), and
without that the name above the page's last NIP.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from digitize.fields.ids import _find_nips
from digitize.fields.text import _clean, _page_lines

# Position words a name line does not contain.
_POSITION = re.compile(
    r"\b(kepala|bupati|wali\s?kota|walikota|gubernur|sekretaris|camat|lurah|direktur|inspektur|kabag|"
    r"kasubb?ag|kabid|kasi|ketua|pejabat|pimpinan|menteri|plt|plh|pj|a\.\s?n|kuasa|bendahara|pihak|"
    r"koordinator|komandan|mengetahui|menyetujui|manager|manajer|asisten|rektor|dekan)\b",
    re.IGNORECASE,
)
# Words a title starts with (after the delegation).
_HEAD = re.compile(
    r"^(?:kepala|ka\.|bupati|wakil|wali\s?kota|walikota|gubernur|sekretaris|camat|lurah|direktur|dirut|"
    r"inspektur|kabag|kasubb?ag|kabid|kasi|kasie|ketua|pejabat|pimpinan|menteri|kuasa|bendahara|"
    r"koordinator|komandan|general\s+manager|manager|manajer|asisten|jaksa|rektor|dekan|panitera|"
    r"kapolres|kapolsek|penanggung\s+jawab|plt|plh|pjs?)\b",
    re.IGNORECASE,
)
_HEAD_INSIDE = re.compile(_HEAD.pattern.replace("^", r"\b", 1), re.IGNORECASE)
# a.n. / u.b. (on behalf of), Plt./Plh./Pj. (acting): before the title, on its line.
_DELEGATION = re.compile(
    r"^(?:a\s?\.\s?n\b\.?|an\.|atas\s+nama\b|u\s?\.\s?b\b\.?|untuk\s+beliau\b|pl[th]\b\.?|pjs?\b\.?)\s*",
    re.IGNORECASE,
)
_AN = re.compile(r"^(?:a\s?\.\s?n\b|an\.|atas\s+nama\b)", re.IGNORECASE)  # a.n.: another title follows
_ON_BEHALF = re.compile(r"^(?:a\s?\.\s?n\b|an\.|atas\s+nama\b|u\s?\.\s?b\b|untuk\s+beliau\b)", re.IGNORECASE)
# Lines that open a signature block: place and date, Mengetahui, e-sign, Ditetapkan.
_OPENER = re.compile(
    r"^(?:mengetahui|menyetujui|hormat\s+(?:kami|saya)|ditandatangani\s+secara\s+elektronik|"
    r"ditetapkan\s+di|dikeluarkan\s+di|pada\s+tanggal|tanda\s+tangan\s+elektronik)\b"
    r"|^[A-Za-z][\w .'-]{1,40},\s*\d{1,2}\s*[A-Za-z]{3,10}\.?\s*\d{4}\s*$"
    r"|^[A-Za-z][\w .'-]{1,40},\s*[A-Za-z]{3,10}\s+\d{4}\s*$",
    re.IGNORECASE,
)
_RANK = re.compile(r"^\W*(pembina|penata|pengatur|juru)\b", re.IGNORECASE)
_RANK_ANYWHERE = re.compile(
    r"\b(pembina|penata|pengatur)\b|\butama\s+m[ua]d|\(\s*I{1,3}V?\s*/\s*[a-e]\s*\)", re.IGNORECASE
)
_INSTITUTION = re.compile(
    r"\b(DINAS|KABUPATEN|KOTA|PROVINSI|PEMERINTAH|BADAN|KANTOR|SEKRETARIAT|REPUBLIK|INDONESIA|TEMBUSAN)\b",
    re.IGNORECASE,
)
# Words that carry a title on to the next line (``Kepala Dinas Kearsipan`` / ``Kabupaten Jayapura``).
_UNIT = re.compile(
    r"\b(DINAS|KABUPATEN|KAB|KOTA|PROVINSI|BADAN|KANTOR|SEKRETARIAT|NEGERI|DAERAH|KECAMATAN|DESA|"
    r"KELURAHAN|BAGIAN|BIDANG|SEKSI|SUB|UPTD|UPT|BALAI|RSUD|PUSKESMAS|STASIUN|CABANG|TERMINAL|"
    r"KEMENTERIAN|DIREKTORAT|BIRO|INSPEKTORAT|JENDERAL|UMUM|PELAYANAN|PERWAKILAN|WILAYAH)\b",
    re.IGNORECASE,
)
_NIP_LINE = re.compile(r"^\W*N[I1l|]P\b", re.IGNORECASE)
_NIP_WORD = re.compile(r"\bN[I1l|]P\b|^\W*[I1l|]P\b", re.IGNORECASE)
_DATE_LINE = re.compile(r"\d{4}|pada\s+tanggal|ditetapkan|dikeluarkan", re.IGNORECASE)
_DEGREE = re.compile(r"(?:,\s*|\s)(?:Dr|Drs|Dra|Ir|H|Hj|S\.\w{1,4}|M\.\w{1,4}|A\.Md)\.?(?:,|\s|$)")
_DEGREE_WORD = re.compile(
    r"^(?:dr|drs|dra|ir|h|hj|prof|sh|mh|mm|se|st|sp|skm|spd|mpd|msi|mkes|ssos|sos|ak|mt|mba|phd|apt|amd)$",
    re.IGNORECASE,
)
_TEMBUSAN = re.compile(r"^\W*(?:Tembusan|TEMBUSAN)\b")
_ENACTED = re.compile(r"^\W*ditetapkan\s+di\b", re.IGNORECASE)
_PROMULGATED = re.compile(r"^\W*diundangkan\s+di\b", re.IGNORECASE)
_CONNECTORS = {"dan", "di", "pada", "se", "&", "serta", "selaku", "/", "-"}
_LEAD_NOISE = re.compile(r"^(?:[^A-Za-z(]+|[a-z](?=[A-Z]{3}))+")
_STATEMENT = re.compile(r"yang\s+bertanda\s*-?\s*tangan\s+di\s*bawah\s+ini\s*:?", re.IGNORECASE)
_FIELD = re.compile(r"^\W*(?:\d+\s*[.)]\s*)?(nama|jabatan|nip|pangkat(?:\s*/\s*gol\w*)?)\s*[:;]\s*(.+)$", re.I)

Person = dict[str, Any]


@dataclass
class _Title:
    start: int  # first line of the block's title (a delegation line included)
    end: int  # last line of the title
    value: str
    structural: bool  # a comma, an opener or a delegation marks it as a signature title


def find_signatory(pages: list[str], today: date | None = None) -> tuple[Person | None, Person | None]:
    """(penandatangan, jabatan) from the last signature block, each None when not found."""
    today = today or date.today()
    for number in range(len(pages), 0, -1):
        found = _last_block(_signature_area(pages[number - 1]), number, today)
        if found:
            return found
    for number in range(len(pages), 0, -1):
        found = _statement_signer(pages[number - 1], number, today)
        if found:
            return found
    # No title line: the name above the last NIP line.
    for number in range(len(pages), 0, -1):
        person = _name_over_last_nip(_page_lines(pages[number - 1]), number, today)
        if person:
            return person, None
    return None, None


def _signature_area(text: str) -> list[str]:
    """The page's lines above the copy list (``Tembusan``), which follows the signature.

    In a regulation, the promulgation block (``Diundangkan di``, signed by the regional
    secretary) after the enacting one (``Ditetapkan di``) is left out too.
    """
    lines = [cell.strip() for line in _page_lines(text) for cell in re.split(r"\s{3,}|\t", line) if cell.strip()]
    heads = [i for i, line in enumerate(lines) if _TEMBUSAN.match(line) and len(line) <= 60]
    if heads:
        lines = lines[: heads[-1]]
    enacted = [i for i, line in enumerate(lines) if _ENACTED.match(line)]
    if enacted:
        promulgated = [i for i, line in enumerate(lines) if _PROMULGATED.match(line) and i > enacted[-1]]
        if promulgated:
            lines = lines[: promulgated[0]]
    return lines


def _last_block(body: list[str], number: int, today: date) -> tuple[Person | None, Person] | None:
    """The page's last readable signature block: (penandatangan or None, jabatan)."""
    found = None
    index = 0
    while index < len(body):
        title = _title_at(body, index)
        if title is None:
            index += 1
            continue
        block, below = _read_block(body, title, number, today)
        if block:
            found = block
            index = title.end + below + 1  # the lines under it are its stamp and name, not another block
        else:
            index = title.end + 1
    return found


def _strip_noise(line: str) -> str:
    """``\\gMANAGER KEUANGAN`` -> ``MANAGER KEUANGAN``: specks before the first word go."""
    return _LEAD_NOISE.sub("", line).strip()


def _title_at(body: list[str], index: int) -> _Title | None:
    """The title starting at ``body[index]`` (a delegation line or a position word), if one does."""
    opener = index > 0 and bool(_OPENER.search(body[index - 1]))
    first = _strip_noise(body[index])
    if opener and not _head(first):
        inside = _HEAD_INSIDE.search(first[:30])
        if inside:
            first = first[inside.start() :]  # "© WareHouse MANAJER TERMINAL" under "MENGETAHUI"
    if not _head(first) or not _title_like(first):
        return None
    segments: list[list[str]] = [[first]]
    delegated = bool(_DELEGATION.match(first))
    structural = opener or delegated
    end = index
    # after "a.n. BUPATI JEPARA" (or a bare "u.b.") the title of the one signing follows
    on_behalf = bool(_AN.match(first) or _DELEGATION.fullmatch(first))
    closed = first.endswith(",") and not on_behalf
    while not closed and end + 1 < len(body) and end - index < 4:
        line = _strip_noise(body[end + 1]) if _head(_strip_noise(body[end + 1])) else body[end + 1].strip()
        if not _title_like(line) or _nip_line(line) or _rank_line(line) or _OPENER.search(line):
            break
        previous = segments[-1][-1]
        if on_behalf and _DELEGATION.fullmatch(previous):
            segments[-1].append(line)  # "a.n." or "u.b." on a line of its own, then the title
            on_behalf = bool(_AN.match(previous))
        elif _ON_BEHALF.match(line) or (on_behalf and (_head(line) or previous.endswith(","))):
            segments.append([line])  # "a.n. BUPATI JEPARA" / "Sekretaris Daerah" / "u.b. Kepala Bagian Umum"
            on_behalf = bool(_AN.match(line) or _DELEGATION.fullmatch(line))
        elif previous.endswith(",") or _head(line):
            break
        elif _continues(previous, line):
            segments[-1].append(line)
        else:
            break
        end += 1
        closed = line.endswith(",") and not on_behalf
    last = segments[-1][-1]
    if last.endswith(","):
        structural = True
    if segments == [[first]] and _DELEGATION.fullmatch(first):
        return None  # "a.n." with nothing after it
    value = " / ".join(" ".join(line.rstrip(",").strip() for line in segment) for segment in segments)
    value = " ".join(value.split()).strip(" ,/")
    return _Title(index, end, value, structural) if value else None


def _head(line: str) -> bool:
    """Does ``line`` start a title: a delegation marker or a position word?"""
    rest = _DELEGATION.sub("", line, count=1) if _DELEGATION.match(line) else line
    return bool(_HEAD.match(rest)) or (rest == "" and bool(_ON_BEHALF.match(line)))


def _title_like(line: str) -> bool:
    """Short, without digits or fields, and no prose: a title's words are capitalised, connectors aside."""
    if not line or len(line) > 80 or ":" in line or re.search(r"\d", line):
        return False
    words = [w.strip(",.;()") for w in _DELEGATION.sub("", line, count=1).split()]
    return all(not w or not w[0].islower() or w.lower() in _CONNECTORS for w in words)


def _continues(previous: str, line: str) -> bool:
    """Is ``line`` the next line of a title ending ``previous`` (``... dan`` / ``Kabupaten Jayapura``)?"""
    if previous.split()[-1].lower() in _CONNECTORS:
        return True
    return bool(_UNIT.search(line)) and not _name_like(line)


def _nip_line(line: str) -> bool:
    return bool(_NIP_LINE.match(line) or (_NIP_WORD.search(line) and len(re.findall(r"\d", line)) >= 10))


def _rank_line(line: str) -> bool:
    return len(line) <= 45 and bool(_RANK.match(line) or _RANK_ANYWHERE.search(line))


def _prose(line: str) -> bool:
    """A line of running text (the letter's body resumes): several lower-case words."""
    words = [w for w in re.findall(r"[A-Za-z]+", line) if len(w) >= 3]
    lower = [w for w in words if w[0].islower() and w.lower() not in _CONNECTORS]
    return len(words) >= 4 and len(lower) >= 2


def _read_block(
    body: list[str], title: _Title, number: int, today: date
) -> tuple[tuple[Person | None, Person] | None, int]:
    """(penandatangan or None, jabatan) when what follows ``title`` is a signature block; the lines it spans."""
    below: list[str] = []
    for line in body[title.end + 1 : title.end + 8]:
        if _prose(line) or _OPENER.search(line):
            break
        if _head(_strip_noise(line)) and _title_like(_strip_noise(line)):
            if not title.structural or line.endswith(","):
                break  # another title
            # a column beside the block (a regulation's "paraf koordinasi" list): read on
        below.append(line)
        if _nip_line(line):
            break
    nip_at = next((k for k, line in enumerate(below) if _nip_line(line)), None)
    rank_at = next((k for k, line in enumerate(below) if _rank_line(line)), None)
    marks = [k for k in (rank_at, nip_at) if k is not None]
    name_at = None
    if marks:
        above = min(marks) - 1  # the name stands right above the rank or the NIP
        if above >= 0 and _name_like(below[above], single=True):
            name_at = above
    else:
        name_at = next((k for k, line in enumerate(below) if _name_like(line)), None)
    if marks:
        confidence = 0.85 if title.structural else 0.75
    elif name_at is not None:
        at_end = title.end + 1 + len(below) >= len(body)
        if not (title.structural or at_end):
            return None, 0
        confidence = 0.8 if title.structural else 0.6
    elif title.structural and (title.end + 1 + len(below) >= len(body)) and _stated(body, title):
        confidence = 0.6  # the block ends the page, the name lost under the stamp
    else:
        return None, 0
    jabatan = {"value": title.value, "page": number, "confidence": confidence}
    if name_at is None:
        if nip_at is not None:  # the name lost under a stamp: the block's NIP is still the signer's
            nips = _find_nips(below[nip_at], number, today)
            if nips:
                jabatan["nip"] = nips[0]["value"]
        return (None, jabatan), len(below)
    return (_person(below, name_at, number, today), jabatan), len(below)


def _stated(body: list[str], title: _Title) -> bool:
    """Is the title introduced as a signature's: a delegation or an opener line above it?"""
    return bool(_DELEGATION.match(_strip_noise(body[title.start]))) or (
        title.start > 0 and bool(_OPENER.search(body[title.start - 1]))
    )


def _person(lines: list[str], name_index: int, number: int, today: date) -> Person:
    """The name at ``lines[name_index]``, with the pangkat and NIP printed under it."""
    name = " ".join(_name_text(lines[name_index]).split())
    person: Person = {"value": name, "page": number, "confidence": 0.75 if len(_core_words(name)) > 1 else 0.6}
    for follow in lines[name_index + 1 : name_index + 3]:
        if _nip_line(follow):
            nips = _find_nips(follow, number, today)
            if nips:
                person["nip"] = nips[0]["value"]
                person["confidence"] = 0.9 if len(_core_words(name)) > 1 else 0.7
            break
        if _rank_line(follow):
            person["pangkat"] = " ".join(follow.split())
    return person


def _statement_signer(text: str, number: int, today: date) -> tuple[Person | None, Person] | None:
    """``Yang bertanda tangan di bawah ini: Nama : ... Jabatan : ... NIP : ...`` (a statement, a power of attorney)."""
    text = _clean(text)
    match = _STATEMENT.search(text)
    if not match:
        return None
    fields: dict[str, str] = {}
    for line in [line.strip() for line in text[match.end() :].split("\n") if line.strip()][:8]:
        field = _FIELD.match(line)
        if not field:
            if fields:
                break
            continue
        key = field.group(1).lower().split("/")[0].strip()
        if key in fields:
            break  # the next person's fields (the one the statement is about)
        fields[key] = " ".join(field.group(2).split()).strip(" ,;")
    title = fields.get("jabatan")
    if not title or not _title_like(title.rstrip(".")) or not _POSITION.search(title):
        return None
    jabatan = {"value": title.rstrip(",."), "page": number, "confidence": 0.7}
    person = None
    if "nama" in fields and _name_like(fields["nama"], single=True):
        person = {"value": fields["nama"], "page": number, "confidence": 0.7}
        nips = _find_nips("NIP " + fields.get("nip", ""), number, today)
        if nips:
            person["nip"] = nips[0]["value"]
        if fields.get("pangkat"):
            person["pangkat"] = fields["pangkat"]
    return person, jabatan


def _name_over_last_nip(lines: list[str], number: int, today: date) -> Person | None:
    """The name right above the page's last valid NIP line (a rank line may stand between)."""
    for index in range(len(lines) - 1, -1, -1):
        nips = _find_nips(lines[index], number, today) if _NIP_LINE.match(lines[index]) else []
        if not nips:
            continue
        for above in reversed(lines[max(0, index - 3) : index]):
            if _rank_line(above):
                continue  # "Pembina Utama Muda" stands between the name and the NIP
            name = _name_text(above)
            if _name_like(name) or _DEGREE.search(name):
                return {"value": " ".join(name.split()), "page": number, "confidence": 0.7, "nip": nips[0]["value"]}
            return None  # the line right above the NIP block is not a name: do not guess further up
        return None
    return None


def _name_text(line: str) -> str:
    return re.sub(r"^[^A-Za-z]+", "", line).strip().rstrip(",;")


def _core_words(text: str) -> list[str]:
    """The words of a name without degrees (``Drs.``, ``M.Si``, ``SH``) and initials (``W.``)."""
    words = [w.strip(",;") for w in text.replace(",", " ").split()]
    return [w for w in words if w.isalpha() and len(w) >= 2 and not _DEGREE_WORD.match(w)]


def _name_like(line: str, single: bool = False) -> bool:
    """A name: capitalised words in one case (``BUDI SANTOSO``, ``Budi Santoso``), degrees aside.

    One word (``SUYONO``) passes only with degrees or with ``single`` (the line above a rank or a NIP).
    """
    text = _name_text(line)
    if not 4 <= len(text) <= 70 or any(c.isdigit() for c in text) or _not_a_name(text):
        return False
    if sum(c.isalpha() for c in text) < 0.7 * len(text.replace(" ", "")):
        return False
    words = [w.strip(",;") for w in text.replace(",", " ").split()]
    core = _core_words(text)
    extra = [w for w in words if w not in core]
    if any(not (("." in w and w.replace(".", "").isalpha()) or _DEGREE_WORD.match(w)) for w in extra):
        return False  # specks, not degrees or initials
    if not core or (len(core) == 1 and not ((single or extra) and len(core[0]) >= 4)):
        return False
    return all(w.isupper() for w in core) or all(w[0].isupper() and w[1:].islower() for w in core)


def _not_a_name(text: str) -> bool:
    """A rank, a NIP, an institution or a position: words a name line does not have."""
    return bool(_RANK.match(text) or _NIP_LINE.match(text) or _INSTITUTION.search(text) or _POSITION.search(text))
