"""Month names and Indonesian number words (``dua ribu dua puluh tiga`` -> 2023)."""

from __future__ import annotations

MONTHS = {
    "januari": 1, "jan": 1, "januar": 1, "februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "febr": 2,
    "maret": 3, "mar": 3, "mrt": 3, "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6,
    "juli": 7, "jul": 7, "agustus": 8, "agu": 8, "agt": 8, "agus": 8, "agst": 8, "ags": 8,
    "september": 9, "sep": 9, "sept": 9, "okt": 10, "oktober": 10, "nopember": 11, "november": 11,
    "nov": 11, "nop": 11, "desember": 12, "des": 12, "january": 1, "february": 2, "march": 3,
    "may": 5, "june": 6, "july": 7, "august": 8, "aug": 8, "october": 10, "oct": 10,
    "december": 12, "dec": 12,
}  # fmt: skip
_FULL_MONTHS = {name: n for name, n in MONTHS.items() if len(name) >= 5}

NUMBER_WORDS = {
    "nol": 0, "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7,
    "delapan": 8, "sembilan": 9,
}  # fmt: skip
_NUMWORD = (
    r"(?:nol|satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan"
    r"|sepuluh|sebelas|belas|puluh|seratus|ratus|seribu|ribu)"
)
_NUMWORDS = rf"{_NUMWORD}(?:[^\S\n]+{_NUMWORD})*"


def month_number(token: str) -> int | None:
    """The month of a (possibly abbreviated, old-spelled or OCR-damaged) month name."""
    word = token.lower().strip(".")
    if word in MONTHS:
        return MONTHS[word]
    fixed = word.replace("rn", "m").replace("vv", "w").replace("0", "o").replace("1", "i").replace("!", "i")
    if fixed in MONTHS:
        return MONTHS[fixed]
    if len(fixed) < 5 or not fixed.isalpha():
        return None
    from rapidfuzz import fuzz, process

    best = process.extractOne(fixed, list(_FULL_MONTHS), scorer=fuzz.ratio)
    if best and best[1] >= 75:
        return _FULL_MONTHS[best[0]]
    return None


def words_to_number(text: str) -> int | None:
    """Indonesian number words to an int: ``dua ribu dua puluh tiga`` -> 2023."""
    total = group = unit = 0
    seen = False
    for word in text.lower().split():
        seen = True
        if word in NUMBER_WORDS:
            if unit:
                return None  # "dua tiga" is not a number
            unit = NUMBER_WORDS[word] or 0
        elif word == "sepuluh":
            group += 10
        elif word == "sebelas":
            group += 11
        elif word == "seratus":
            group += 100
        elif word == "seribu":
            total += 1000
        elif word == "belas":
            group, unit = group + unit + 10, 0
        elif word == "puluh":
            group, unit = group + unit * 10, 0
        elif word == "ratus":
            group, unit = group + unit * 100, 0
        elif word == "ribu":
            total, group, unit = total + (group + unit) * 1000, 0, 0
        else:
            return None
    return total + group + unit if seen else None

