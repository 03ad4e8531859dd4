#!/usr/bin/env python3
"""Render fictitious Indonesian local-government letters and simulate scanning them.

The output is a small, deterministic test corpus for `digitize` (skew, rotation,
blank pages, missing DPI, speckle noise, image-only PDF, multi-page TIFF) plus
``expected.json`` describing what a correct pipeline should find in each file.

Usage::

    python samples/make_samples.py            # writes into samples/
    python samples/make_samples.py --out DIR  # writes somewhere else

Requires Pillow, numpy and img2pdf, and the fonts-liberation TrueType fonts
(DejaVu is used as a fallback, which changes the layout slightly).
All names, numbers, NIP and NIK values are invented.
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import img2pdf
import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

SEED = 20231025
MM_PER_INCH = 25.4
A4_MM = (210.0, 297.0)
INK = (0, 0, 0)
NBSP = "\u00a0"
STAMP_BLUE = (40, 70, 165)
SIGNATURE_BLUE = (15, 30, 120)

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/liberation"),
    Path("/usr/share/fonts/truetype/liberation2"),
    Path("/usr/share/fonts/truetype/dejavu"),
)
FONT_FILES = {
    "serif": ("LiberationSerif-Regular.ttf", "DejaVuSerif.ttf"),
    "serif-bold": ("LiberationSerif-Bold.ttf", "DejaVuSerif-Bold.ttf"),
    "serif-italic": ("LiberationSerif-Italic.ttf", "DejaVuSerif-Italic.ttf"),
    "sans": ("LiberationSans-Regular.ttf", "DejaVuSans.ttf"),
    "sans-bold": ("LiberationSans-Bold.ttf", "DejaVuSans-Bold.ttf"),
}

BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli",
         "Agustus", "September", "Oktober", "November", "Desember")
HARI = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
ROMAWI = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


# --------------------------------------------------------------------------
# Small helpers: fonts, dates, identity numbers
# --------------------------------------------------------------------------

@lru_cache(maxsize=None)
def load_font(style: str, size_px: int) -> ImageFont.FreeTypeFont:
    """Load a TrueType font by style name, preferring Liberation over DejaVu."""
    for name in FONT_FILES[style]:
        for folder in FONT_DIRS:
            path = folder / name
            if path.exists():
                return ImageFont.truetype(str(path), size_px)
    raise SystemExit(
        f"No font for style {style!r}; install fonts-liberation (or fonts-dejavu-core)")


def tanggal(d: dt.date) -> str:
    """'25 Oktober 2023'."""
    return f"{d.day} {BULAN[d.month - 1]} {d.year}"


def hari(d: dt.date) -> str:
    return HARI[d.weekday()]


def terbilang(n: int) -> str:
    """Spell out 0 <= n < 1,000,000 in Indonesian ('dua ribu dua puluh tiga')."""
    satuan = ("nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh",
              "delapan", "sembilan", "sepuluh", "sebelas")
    if n < 12:
        return satuan[n]
    if n < 20:
        return f"{satuan[n - 10]} belas"
    if n < 100:
        rest = f" {terbilang(n % 10)}" if n % 10 else ""
        return f"{satuan[n // 10]} puluh{rest}"
    if n < 1000:
        head = "seratus" if n < 200 else f"{satuan[n // 100]} ratus"
        return head + (f" {terbilang(n % 100)}" if n % 100 else "")
    head = "seribu" if n < 2000 else f"{terbilang(n // 1000)} ribu"
    return head + (f" {terbilang(n % 1000)}" if n % 1000 else "")


def nip(birth: str, appointed: str, sex: int, seq: int) -> str:
    """Civil-servant NIP: birth YYYYMMDD, appointment YYYYMM, sex 1/2, sequence."""
    born = dt.date.fromisoformat(birth)
    year, month = (int(p) for p in appointed.split("-"))
    assert sex in (1, 2) and 1 <= seq <= 999 and 1 <= month <= 12
    assert 18 <= year - born.year <= 40, "implausible appointment age"
    return f"{born:%Y%m%d} {year:04d}{month:02d} {sex} {seq:03d}"


def nik(region: str, birth: str, female: bool, seq: int) -> str:
    """Population NIK: 6-digit region, DDMMYY (day + 40 for women), 4-digit sequence."""
    born = dt.date.fromisoformat(birth)
    assert len(region) == 6 and region.isdigit() and 1 <= seq <= 9999
    day = born.day + (40 if female else 0)
    return f"{region}{day:02d}{born:%m%y}{seq:04d}"


# --------------------------------------------------------------------------
# Page layout
# --------------------------------------------------------------------------

class LayoutError(RuntimeError):
    pass


def keep_together(s: str) -> str:
    """Join with no-break spaces so the wrapper never splits it (NIP, dates)."""
    return s.replace(" ", NBSP)


def wrap(text: str, font: ImageFont.FreeTypeFont, width: float,
         first_width: float | None = None) -> list[list[str]]:
    """Greedy word wrap on ordinary spaces; returns lines as word lists."""
    lines: list[list[str]] = []
    current: list[str] = []
    limit = width if first_width is None else first_width
    for word in re.split(r"[ \t\n]+", text.strip()):
        trial = " ".join(current + [word])
        if current and font.getlength(trial) > limit:
            lines.append(current)
            current, limit = [word], width
        else:
            current.append(word)
    if current:
        lines.append(current)
    return lines


class Page:
    """An upright A4 page with a text cursor; units are pixels, helpers take mm/pt."""

    def __init__(self, dpi: int, margins_mm=(30, 15, 20, 15), paper=(255, 255, 255)):
        self.dpi = dpi
        self.w, self.h = self.mm(A4_MM[0]), self.mm(A4_MM[1])
        self.img = Image.new("RGB", (self.w, self.h), paper)
        self.draw = ImageDraw.Draw(self.img)
        left, top, right, bottom = margins_mm
        self.left, self.right = self.mm(left), self.w - self.mm(right)
        self.top, self.bottom = self.mm(top), self.h - self.mm(bottom)
        self.y = self.top
        self.lines: list[str] = []  # laid-out text, used to check phrases

    # units -------------------------------------------------------------
    def mm(self, value: float) -> int:
        return round(value / MM_PER_INCH * self.dpi)

    def font(self, style: str, pt: float) -> ImageFont.FreeTypeFont:
        return load_font(style, round(pt * self.dpi / 72))

    def x(self, mm_from_left: float) -> int:
        """Absolute x of a column placed mm_from_left right of the left margin."""
        return self.left + self.mm(mm_from_left)

    # cursor --------------------------------------------------------------
    def newline(self, pt: float, leading: float = 1.25) -> None:
        self.y += round(pt * self.dpi / 72 * leading)
        if self.y > self.bottom:
            raise LayoutError(f"text runs past the bottom margin (y={self.y})")

    def space(self, mm: float) -> None:
        self.y += self.mm(mm)

    # drawing primitives --------------------------------------------------
    def text(self, s: str, style="serif", pt=12.0, align="left", x0=None, x1=None,
             underline=False, advance=True) -> None:
        f = self.font(style, pt)
        x0 = self.left if x0 is None else x0
        x1 = self.right if x1 is None else x1
        width = f.getlength(s)
        x = {"left": x0, "center": (x0 + x1 - width) / 2, "right": x1 - width}[align]
        self.draw.text((x, self.y), s, font=f, fill=INK)
        if underline:
            base = self.y + f.getmetrics()[0] + max(2, self.mm(0.4))
            self.draw.line([(x, base), (x + width, base)], fill=INK,
                           width=max(1, self.mm(0.25)))
        self.lines.append(s)
        if advance:
            self.newline(pt)

    def _words(self, words: list[str], f, x0: float, x1: float, justify: bool) -> None:
        natural = " ".join(words)
        if not justify or len(words) < 2:
            self.draw.text((x0, self.y), natural, font=f, fill=INK)
            return
        widths = [f.getlength(w) for w in words]
        gap = (x1 - x0 - sum(widths)) / (len(words) - 1)
        if gap > 3 * f.getlength(" "):  # too loose: leave ragged, like a typist would
            self.draw.text((x0, self.y), natural, font=f, fill=INK)
            return
        x = x0
        for word, w in zip(words, widths):
            self.draw.text((x, self.y), word, font=f, fill=INK)
            x += w + gap

    def hang(self, parts, text: str, x_text: int, pt=12.0, style="serif", x1=None,
             justify=True, first_indent=0, after_mm=0.0) -> None:
        """Labels `parts` [(x, str)] on the first line; `text` wrapped from x_text."""
        f = self.font(style, pt)
        x1 = self.right if x1 is None else x1
        for x, s in parts:
            self.draw.text((x, self.y), s, font=f, fill=INK)
        prefix = " ".join(s for _, s in parts)
        lines = wrap(text, f, x1 - x_text, x1 - x_text - first_indent) if text else []
        if not lines:
            self.lines.append(prefix)
            self.newline(pt)
        for i, words in enumerate(lines):
            start = x_text + (first_indent if i == 0 else 0)
            self._words(words, f, start, x1, justify and i < len(lines) - 1)
            lead = prefix + " " if (i == 0 and prefix) else ""
            self.lines.append(lead + " ".join(words))
            self.newline(pt)
        self.space(after_mm)

    def paragraph(self, text: str, pt=12.0, x0=None, indent_mm=12.5, after_mm=2.0,
                  style="serif") -> None:
        x0 = self.left if x0 is None else x0
        self.hang([], text, x0, pt=pt, style=style, first_indent=self.mm(indent_mm),
                  after_mm=after_mm)

    def fields(self, rows, pt=12.0, x0=None, label_mm=28.0, after_mm=0.0,
               style="serif") -> None:
        """'Label : value' rows with aligned colons; values wrap under themselves."""
        x0 = self.left if x0 is None else x0
        colon = x0 + self.mm(label_mm)
        value_x = colon + self.mm(3)
        for label, value in rows:
            self.hang([(x0, label), (colon, ":")], value, value_x, pt=pt, style=style,
                      justify=False)
        self.space(after_mm)

    def rule(self, thick_mm: float, x0=None, x1=None) -> None:
        x0 = self.left if x0 is None else x0
        x1 = self.right if x1 is None else x1
        t = max(1, self.mm(thick_mm))
        self.draw.rectangle([x0, self.y, x1, self.y + t - 1], fill=INK)
        self.y += t

    def apply_ink(self, mask: Image.Image, color, opacity=1.0) -> None:
        """Multiply coloured ink (stamp, signature) through an L mask onto the page."""
        box = mask.getbbox()
        if box is None:
            return
        region = np.asarray(self.img.crop(box), dtype=np.float32)
        m = np.asarray(mask.crop(box), dtype=np.float32)[..., None] / 255.0 * opacity
        tint = 1.0 - np.asarray(color, dtype=np.float32) / 255.0
        region *= 1.0 - m * tint
        self.img.paste(Image.fromarray(region.clip(0, 255).astype(np.uint8)), box[:2])

    def text_for_search(self) -> str:
        return " ".join(" ".join(self.lines).lower().split())


# --------------------------------------------------------------------------
# Letterhead, emblem, signature, stamp
# --------------------------------------------------------------------------

def star_points(cx, cy, r_out, r_in, n=5, rot=-90.0):
    pts = []
    for k in range(2 * n):
        r = r_out if k % 2 == 0 else r_in
        a = math.radians(rot + k * 180.0 / n)
        pts.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    return pts


def shield_points(cx, cy, s):
    """Outline of a heraldic shield of half-width ~0.75*s centred on (cx, cy)."""
    right = [(0.75, -0.9), (0.75, 0.1)]
    for k in range(1, 13):  # quadratic curve down to the point
        t = k / 12
        bx = (1 - t) ** 2 * 0.75 + 2 * (1 - t) * t * 0.72 + t * t * 0.0
        by = (1 - t) ** 2 * 0.1 + 2 * (1 - t) * t * 0.8 + t * t * 1.0
        right.append((bx, by))
    left = [(-x, y) for x, y in reversed(right[:-1])]
    return [(cx + x * s, cy + y * s) for x, y in right + left]


def draw_emblem(page: Page, cx: int, cy: int, size: int, color: bool) -> None:
    """A generic regional coat of arms: shield, star, mountain, waves."""
    s = size / 2
    d = page.draw
    line_w = max(2, round(size / 45))
    d.polygon(shield_points(cx, cy, s), fill=(232, 190, 60) if color else (255, 255, 255),
              outline=INK, width=line_w)
    d.polygon(shield_points(cx, cy, s * 0.86), outline=INK, width=max(1, line_w // 2))
    d.polygon(star_points(cx, cy - 0.45 * s, 0.22 * s, 0.09 * s),
              fill=(200, 30, 30) if color else INK)
    d.polygon([(cx - 0.5 * s, cy + 0.3 * s), (cx - 0.1 * s, cy - 0.12 * s),
               (cx + 0.1 * s, cy + 0.05 * s), (cx + 0.25 * s, cy - 0.05 * s),
               (cx + 0.5 * s, cy + 0.3 * s)], fill=(40, 120, 60) if color else (90, 90, 90))
    for row in range(3):
        y0 = cy + (0.42 + 0.14 * row) * s
        half = 0.5 * s * (1 - 0.25 * row)
        pts = [(cx - half + k * 2 * half / 24,
                y0 + 0.04 * s * math.sin(k * math.pi / 3)) for k in range(25)]
        d.line(pts, fill=(30, 80, 170) if color else INK, width=max(1, line_w // 2))


def kop(page: Page, lines, address, color=False) -> None:
    """Letterhead: emblem at the left, centred bold lines, address, double rule."""
    top = page.y
    size = page.mm(26)
    draw_emblem(page, page.left + size // 2, top + size // 2 + page.mm(1), size, color)
    x0 = page.left + size + page.mm(2)
    for text, pt in lines:
        page.text(text, "sans-bold", pt, align="center", x0=x0)
    for text in address:
        page.text(text, "sans", 9.5, align="center", x0=x0)
    page.y = max(page.y, top + size + page.mm(2))
    page.space(1)
    page.rule(0.9)
    page.space(0.5)
    page.rule(0.3)
    page.space(6)


def draw_signature(page: Page, x: int, y: int, w: int, h: int, rng) -> None:
    """A cursive-looking scribble in blue ink inside the given box."""
    mask = Image.new("L", page.img.size, 0)
    d = ImageDraw.Draw(mask)
    t = np.linspace(0.0, 1.0, 500)
    loops = int(rng.integers(3, 6))
    phase = rng.uniform(0, 2 * math.pi)
    xs = x + w * (0.05 + 0.75 * t) + 0.07 * w * np.cos(2 * math.pi * loops * t + phase)
    ys = (y + h * 0.45 + 0.3 * h * np.sin(2 * math.pi * loops * t * rng.uniform(0.9, 1.1))
          * (1.0 - 0.5 * t) - 0.15 * h * t)
    width = max(2, page.mm(0.4))
    d.line(list(zip(xs.tolist(), ys.tolist())), fill=255, width=width, joint="curve")
    u = np.linspace(0.0, 1.0, 60)
    fx = x + w * (0.02 + 0.95 * u)
    fy = y + h * (0.85 - 0.25 * u + 0.2 * (u - 0.5) ** 2)
    d.line(list(zip(fx.tolist(), fy.tolist())), fill=255, width=width, joint="curve")
    page.apply_ink(mask, SIGNATURE_BLUE, 0.95)


def arc_text(mask: Image.Image, cx, cy, radius, text, font, start_deg) -> None:
    """Write `text` clockwise around a circle, letters upright towards the centre."""
    widths = [font.getlength(c) for c in text]
    scale = 2 * math.pi * radius * 0.96 / sum(widths)
    angle = math.radians(start_deg)
    box = font.size * 2
    for ch, w in zip(text, widths):
        step = w * scale / radius
        a = angle + step / 2
        glyph = Image.new("L", (box, box), 0)
        ImageDraw.Draw(glyph).text((box / 2, box / 2), ch, font=font, fill=255, anchor="mm")
        glyph = glyph.rotate(-math.degrees(a), resample=Image.BICUBIC)
        gx = round(cx + radius * math.sin(a) - box / 2)
        gy = round(cy - radius * math.cos(a) - box / 2)
        mask.paste(255, (gx, gy), glyph)
        angle += step


def draw_stamp(page: Page, cx: int, cy: int, ring_text: str, center_text: str, rng) -> None:
    """A round office stamp with uneven ink, tilted at a random angle."""
    r = page.mm(15)
    mask = Image.new("L", page.img.size, 0)
    d = ImageDraw.Draw(mask)
    w = max(2, page.mm(0.45))
    d.ellipse([cx - r, cy - r, cx + r, cy + r], outline=255, width=w)
    r_in = round(r * 0.64)
    d.ellipse([cx - r_in, cy - r_in, cx + r_in, cy + r_in], outline=255, width=max(1, w // 2))
    arc_text(mask, cx, cy, (r + r_in) / 2, ring_text, page.font("sans-bold", 6.2),
             rng.uniform(0, 360))
    d.polygon(star_points(cx, cy - r_in * 0.45, r_in * 0.28, r_in * 0.11), fill=255)
    f = page.font("sans-bold", 6.0)
    d.text((cx, cy + r_in * 0.25), center_text, font=f, fill=255, anchor="mm")
    # uneven ink: multiply by a smooth random field
    coarse = rng.uniform(0.45, 1.0, size=(6, 6)).astype(np.float32)
    field_img = Image.fromarray((coarse * 255).astype(np.uint8)).resize(
        mask.size, Image.BICUBIC)
    mask = ImageChops.multiply(mask, field_img)
    page.apply_ink(mask, STAMP_BLUE, 0.9)


def signature_block(page: Page, title_lines, name, rank=None, nip_value=None, pt=12.0,
                    stamp=None, rng=None, x0=None) -> None:
    """Jabatan lines, signature space (scribble + stamp), name, rank and NIP."""
    x0 = page.x(85) if x0 is None else x0
    for line in title_lines:
        page.text(line, pt=pt, x0=x0)
    space_top = page.y
    gap = page.mm(21)
    draw_signature(page, x0 + page.mm(6), space_top, page.mm(45), gap, rng)
    if stamp:
        draw_stamp(page, x0 - page.mm(3), space_top + gap // 2, stamp[0], stamp[1], rng)
    page.y += gap
    page.text(name, "serif-bold", pt, x0=x0, underline=True)
    if rank:
        page.text(rank, pt=pt, x0=x0)
    if nip_value:
        page.text(f"NIP. {nip_value}", pt=pt, x0=x0)


def tembusan(page: Page, items, pt=10.0) -> None:
    page.text("Tembusan:", pt=pt, underline=True)
    for i, item in enumerate(items, 1):
        page.hang([(page.left, f"{i}.")], item, page.x(5), pt=pt, justify=False)


# --------------------------------------------------------------------------
# Documents
# --------------------------------------------------------------------------

@dataclass
class ScanProfile:
    """How a page is degraded by the (simulated) scanner."""
    dpi: int
    fmt: str                    # jpeg | png | tiff-g4 | pdf
    color: bool = False
    skew_deg: float = 0.0       # + = text lines rise to the right
    rotation: int = 0           # 0 or 180
    paper: tuple = (250, 250, 250)
    ink: float = 25.0           # value of solid black after scanning
    blur: float = 0.6
    dust: int = 40              # small dark blobs / hairs on the paper
    pepper: float = 0.0         # fraction of pixels turned dark
    pepper_range: tuple = (0.0, 0.4)  # their darkness, 0 = ink .. 1 = paper
    salt: float = 0.0           # fraction of pixels turned light
    illumination: float = 0.0   # darkening towards one corner (0..1)
    noise: float = 1.5          # sensor noise, std in grey levels
    edge_shadow: bool = False   # dark strip along the top edge (lid shadow)
    quality: int = 80
    embed_dpi: bool = True


@dataclass
class Sample:
    file: str
    type: str
    profile: ScanProfile
    pages: list                 # list[Page]; a blank page is an empty Page
    fields: dict
    phrases: list               # [(text, page)]
    blank_pages: list = field(default_factory=list)
    description: str = ""


JAYAPURA_DISARPUS = (
    [("PEMERINTAH KABUPATEN JAYAPURA", 14), ("DINAS KEARSIPAN DAN PERPUSTAKAAN", 15)],
    ["Jl. Raya Sentani - Kemiri No. 17, Sentani, Kabupaten Jayapura, Papua 99352",
     "Telepon (0967) 591234, Pos-el: disarpus@jayapurakab.go.id"],
)
KEPALA_DISARPUS_JAYAPURA = dict(
    title=["Kepala Dinas Kearsipan dan Perpustakaan", "Kabupaten Jayapura,"],
    name="Drs. ELIAS W. KAREMBO, M.Si.",
    rank="Pembina Utama Muda",
    nip=nip("1968-04-12", "1993-03", 1, 7),
    stamp=("DINAS KEARSIPAN DAN PERPUSTAKAAN * KABUPATEN JAYAPURA * ", "SENTANI"),
)


def build_undangan(dpi: int) -> tuple[list[Page], dict]:
    date = dt.date(2023, 10, 25)
    start, end = dt.date(2023, 11, 2), dt.date(2023, 11, 3)
    nomor = "005/214/DISARPUS/2023"
    hal = "Undangan Bimbingan Teknis Pengelolaan Arsip Dinamis"
    sig = KEPALA_DISARPUS_JAYAPURA
    rng = np.random.default_rng([SEED, 101])
    p = Page(dpi, paper=(255, 255, 255))
    pt = 11.5
    kop(p, *JAYAPURA_DISARPUS, color=True)
    p.text(f"Sentani, {tanggal(date)}", pt=pt, align="right", advance=False)
    p.fields([("Nomor", nomor), ("Sifat", "Penting"), ("Lampiran", "1 (satu) lembar"),
              ("Hal", hal)], pt=pt, label_mm=22, after_mm=4)
    for line in ["Yth. Kepala Perangkat Daerah", "se-Kabupaten Jayapura", "di"]:
        p.text(line, pt=pt)
    p.text("Sentani", pt=pt, x0=p.x(10))
    p.space(4)
    p.paragraph(
        "Dalam rangka meningkatkan kompetensi aparatur dalam penyelenggaraan kearsipan "
        "di lingkungan Pemerintah Kabupaten Jayapura serta menindaklanjuti hasil "
        "pengawasan kearsipan tahun 2022, Dinas Kearsipan dan Perpustakaan Kabupaten "
        "Jayapura akan menyelenggarakan Bimbingan Teknis Pengelolaan Arsip Dinamis bagi "
        "pengelola arsip pada setiap perangkat daerah.", pt=pt)
    p.paragraph(
        "Sehubungan dengan hal tersebut, kami mengharapkan Saudara menugaskan 2 (dua) "
        "orang pegawai yang menangani urusan persuratan dan kearsipan untuk mengikuti "
        "kegiatan dimaksud yang akan dilaksanakan pada:", pt=pt, after_mm=1)
    p.fields([
        ("Hari/Tanggal", f"{hari(start)} s.d. {hari(end)}, {start.day} s.d. {tanggal(end)}"),
        ("Waktu", "Pukul 08.30 WIT s.d. selesai"),
        ("Tempat", "Aula Lantai II Kantor Dinas Kearsipan dan Perpustakaan, Sentani"),
        ("Acara", "Bimbingan Teknis Pengelolaan Arsip Dinamis"),
    ], pt=pt, x0=p.x(12.5), label_mm=28, after_mm=2)
    p.paragraph(
        "Peserta diharapkan membawa contoh tata naskah dinas, daftar arsip aktif, serta "
        "klasifikasi arsip yang berlaku pada unit kerja masing-masing. Daftar nama peserta "
        "mohon disampaikan paling lambat tanggal 31 Oktober 2023 melalui narahubung "
        "Sdr. Yulius Ohee (0812-4800-1234).", pt=pt)
    p.paragraph(
        "Demikian undangan ini disampaikan, atas perhatian dan kerja sama Saudara "
        "diucapkan terima kasih.", pt=pt, after_mm=4)
    signature_block(p, sig["title"], sig["name"], sig["rank"], sig["nip"], pt=pt,
                    stamp=sig["stamp"], rng=rng)
    p.space(3)
    tembusan(p, ["Bupati Jayapura di Sentani (sebagai laporan);",
                 "Sekretaris Daerah Kabupaten Jayapura di Sentani."])
    fields = {"nomor": nomor, "tanggal": date.isoformat(), "perihal": hal,
              "nip": [sig["nip"]], "nik": []}
    return [p], fields


def sk_heading(p: Page, nomor_tahun: str, tentang: list[str]) -> None:
    size = p.mm(24)
    draw_emblem(p, p.w // 2, p.y + size // 2, size, color=False)
    p.y += size + p.mm(3)
    for line in ["BUPATI MERAUKE", "PROVINSI PAPUA SELATAN"]:
        p.text(line, "serif-bold", 13, align="center", x0=0, x1=p.w)
    p.space(4)
    for line in ["KEPUTUSAN BUPATI MERAUKE", f"NOMOR {nomor_tahun}", "TENTANG", *tentang]:
        p.text(line, "serif-bold", 12, align="center")
    p.space(3)
    p.text("DENGAN RAHMAT TUHAN YANG MAHA ESA", "serif-bold", 12, align="center")
    p.space(2)
    p.text("BUPATI MERAUKE,", "serif-bold", 12, align="center")
    p.space(3)


def sk_list(p: Page, label: str, items: list[str], pt: float, marker_fmt) -> None:
    """'Menimbang : a. ...' style lists with label, colon, marker, hanging text."""
    for i, item in enumerate(items):
        parts = [(p.x(0), label), (p.x(27), ":")] if i == 0 else []
        parts.append((p.x(30), marker_fmt(i)))
        p.hang(parts, item, p.x(37), pt=pt, after_mm=0.8)
    p.space(2)


def build_keputusan(dpi: int) -> tuple[list[Page], dict]:
    date = dt.date(2023, 8, 14)
    nomor = "23 TAHUN 2023"
    tentang = ["PEMBENTUKAN TIM PENILAI ARSIP DAN PENUNJUKAN KOORDINATOR",
               "PENGELOLA ARSIP INAKTIF DI LINGKUNGAN",
               "PEMERINTAH KABUPATEN MERAUKE"]
    koordinator = nip("1986-05-19", "2010-12", 1, 4)
    sekretaris = nip("1992-03-17", "2019-03", 2, 11)
    rng = np.random.default_rng([SEED, 102])
    pt = 11.5
    huruf = "abcdefgh"

    p1 = Page(dpi, margins_mm=(30, 15, 20, 20))
    sk_heading(p1, nomor, tentang)
    sk_list(p1, "Menimbang", [
        "bahwa dalam rangka menjamin ketersediaan arsip yang autentik dan terpercaya "
        "sebagai alat bukti yang sah, perlu dilakukan pengelolaan arsip inaktif secara "
        "terpadu di lingkungan Pemerintah Kabupaten Merauke;",
        "bahwa untuk melaksanakan penilaian dan penyusutan arsip sesuai dengan jadwal "
        "retensi arsip, perlu dibentuk tim penilai arsip;",
        "bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a dan huruf b, "
        "perlu menetapkan Keputusan Bupati tentang Pembentukan Tim Penilai Arsip dan "
        "Penunjukan Koordinator Pengelola Arsip Inaktif;",
    ], pt, lambda i: f"{huruf[i]}.")
    sk_list(p1, "Mengingat", [
        "Undang-Undang Nomor 43 Tahun 2009 tentang Kearsipan (Lembaran Negara Republik "
        "Indonesia Tahun 2009 Nomor 152, Tambahan Lembaran Negara Republik Indonesia "
        "Nomor 5071);",
        "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah sebagaimana telah "
        "beberapa kali diubah, terakhir dengan Undang-Undang Nomor 6 Tahun 2023;",
        "Peraturan Pemerintah Nomor 28 Tahun 2012 tentang Pelaksanaan Undang-Undang "
        "Nomor 43 Tahun 2009 tentang Kearsipan;",
        "Peraturan Daerah Kabupaten Merauke Nomor 5 Tahun 2019 tentang Penyelenggaraan "
        "Kearsipan;",
    ], pt, lambda i: f"{i + 1}.")
    p1.text("MEMUTUSKAN:", "serif-bold", 12, align="center")
    p1.space(1.5)
    p1.hang([(p1.x(0), "Menetapkan"), (p1.x(27), ":")],
            "KEPUTUSAN BUPATI TENTANG PEMBENTUKAN TIM PENILAI ARSIP DAN PENUNJUKAN "
            "KOORDINATOR PENGELOLA ARSIP INAKTIF DI LINGKUNGAN PEMERINTAH KABUPATEN "
            "MERAUKE.", p1.x(30), pt=pt, after_mm=1.5)
    diktum = lambda label, text, page: page.hang(
        [(page.x(0), label), (page.x(27), ":")], text, page.x(30), pt=pt, after_mm=1.5)
    diktum("KESATU", "Membentuk Tim Penilai Arsip di lingkungan Pemerintah Kabupaten Merauke "
           "dengan susunan keanggotaan: Ketua, Sekretaris Daerah; Wakil Ketua, Kepala Dinas "
           "Kearsipan dan Perpustakaan; Anggota, para Kepala Bagian pada Sekretariat Daerah "
           "dan Inspektur Daerah.", p1)

    p2 = Page(dpi, margins_mm=(30, 15, 20, 20))
    p2.text("- 2 -", pt=pt, align="center")
    p2.space(6)
    diktum("KEDUA", f"Menunjuk Saudara YAKOBUS SAMKAKAI, S.Sos., NIP "
           f"{keep_together(koordinator)}, Penata (III/c), Arsiparis Ahli Muda pada Dinas "
           "Kearsipan dan Perpustakaan Kabupaten Merauke sebagai Koordinator Pengelola "
           "Arsip Inaktif, dibantu oleh Saudari MARIA F. BASIK-BASIK, A.Md., NIP "
           f"{keep_together(sekretaris)}, sebagai sekretaris koordinator.",
           p2)
    p2.hang([(p2.x(0), "KETIGA"), (p2.x(27), ":")],
            "Tim Penilai Arsip sebagaimana dimaksud dalam Diktum KESATU mempunyai tugas:",
            p2.x(30), pt=pt)
    for i, item in enumerate([
        "melakukan penilaian terhadap arsip yang telah habis masa retensinya pada setiap "
        "perangkat daerah;",
        "memberikan pertimbangan tertulis kepada Bupati mengenai arsip yang diusulkan "
        "untuk dimusnahkan atau diserahkan sebagai arsip statis;",
        "menyaksikan pelaksanaan pemusnahan arsip dan menandatangani berita acara "
        "pemusnahan; dan",
        "menyampaikan laporan pelaksanaan tugas kepada Bupati paling sedikit satu kali "
        "dalam satu tahun.",
    ]):
        p2.hang([(p2.x(30), f"{huruf[i]}.")], item, p2.x(37), pt=pt, after_mm=0.8)
    p2.space(1.5)
    diktum("KEEMPAT", "Koordinator Pengelola Arsip Inaktif sebagaimana dimaksud dalam "
           "Diktum KEDUA bertanggung jawab atas penataan, pemeliharaan, dan layanan arsip "
           "inaktif di Depo Arsip Kabupaten Merauke.", p2)
    diktum("KELIMA", "Segala biaya yang timbul akibat ditetapkannya Keputusan ini "
           "dibebankan pada Anggaran Pendapatan dan Belanja Daerah Kabupaten Merauke "
           "Tahun Anggaran 2023.", p2)
    diktum("KEENAM", "Keputusan ini mulai berlaku pada tanggal ditetapkan.", p2)
    p2.space(8)
    x0 = p2.x(85)
    p2.fields([("Ditetapkan di", "Merauke"), ("pada tanggal", tanggal(date))], pt=pt,
              x0=x0, label_mm=27, after_mm=4)
    signature_block(p2, ["BUPATI MERAUKE,"], "PAULUS B. KAIMU", pt=pt, x0=x0,
                    stamp=("BUPATI MERAUKE * PROVINSI PAPUA SELATAN * ", "MERAUKE"), rng=rng)
    p2.space(14)
    tembusan(p2, ["Gubernur Papua Selatan di Merauke;",
                  "Kepala Arsip Nasional Republik Indonesia di Jakarta;",
                  "Inspektur Daerah Kabupaten Merauke;",
                  "Yang bersangkutan untuk diketahui dan dilaksanakan."])
    fields = {"nomor": nomor, "tanggal": date.isoformat(),
              "perihal": "Pembentukan Tim Penilai Arsip dan Penunjukan Koordinator "
                         "Pengelola Arsip Inaktif di Lingkungan Pemerintah Kabupaten Merauke",
              "nip": [koordinator, sekretaris], "nik": []}
    return [p1, p2], fields


def build_laporan(dpi: int) -> tuple[list[Page], dict]:
    date = dt.date(2023, 11, 30)
    nomor = "045/318/DISARPUS/2023"
    sig = KEPALA_DISARPUS_JAYAPURA
    rng = np.random.default_rng([SEED, 103])
    pt = 12

    p1 = Page(dpi)
    kop(p1, *JAYAPURA_DISARPUS)
    for line in ["LAPORAN HASIL AUDIT KEARSIPAN INTERNAL",
                 "PADA DINAS KESEHATAN KABUPATEN JAYAPURA", "TAHUN 2023"]:
        p1.text(line, "serif-bold", 13, align="center")
    p1.text(f"Nomor: {nomor}", pt=pt, align="center")
    p1.space(6)
    p1.text("BAB I  PENDAHULUAN", "serif-bold", pt)
    p1.space(1)
    p1.text("A. Latar Belakang", "serif-bold", pt)
    p1.paragraph(
        "Audit kearsipan internal merupakan bagian dari pengawasan kearsipan yang wajib "
        "dilaksanakan oleh lembaga kearsipan daerah terhadap pencipta arsip di "
        "lingkungannya. Pada tahun 2023, Dinas Kesehatan Kabupaten Jayapura ditetapkan "
        "sebagai salah satu objek audit karena volume arsip yang tinggi, terutama arsip "
        "rekam medis dan arsip pengadaan obat.", pt=pt)
    p1.text("B. Maksud dan Tujuan", "serif-bold", pt)
    p1.paragraph(
        "Audit ini dimaksudkan untuk menilai kepatuhan unit pengolah terhadap ketentuan "
        "penciptaan, penggunaan, pemeliharaan, dan penyusutan arsip. Tujuannya adalah "
        "memberikan gambaran objektif mengenai kondisi pengelolaan arsip serta menyusun "
        "rekomendasi perbaikan yang dapat dilaksanakan pada tahun anggaran berikutnya.",
        pt=pt)
    p1.text("C. Ruang Lingkup", "serif-bold", pt)
    p1.paragraph(
        "Ruang lingkup audit meliputi Sekretariat, Bidang Pelayanan Kesehatan, Bidang "
        "Sumber Daya Kesehatan, serta tiga puskesmas induk yang dipilih secara acak. Audit "
        "dilaksanakan pada tanggal 6 sampai dengan 17 November 2023 melalui wawancara, "
        "pemeriksaan dokumen, dan peninjauan ruang penyimpanan arsip.", pt=pt)

    p2 = Page(dpi)
    p2.text("- 2 -", pt=pt, align="center")
    p2.space(6)
    p2.text("BAB II  HASIL AUDIT", "serif-bold", pt)
    p2.space(1)
    p2.text("A. Pengelolaan Arsip Aktif", "serif-bold", pt)
    p2.paragraph(
        "Sebagian besar unit pengolah telah menggunakan klasifikasi arsip sesuai "
        "Peraturan Bupati, namun pemberkasan masih dilakukan per jenis surat dan belum "
        "per masalah. Daftar arsip aktif baru tersedia pada Sekretariat.", pt=pt)
    p2.text("B. Pengelolaan Arsip Inaktif", "serif-bold", pt)
    p2.paragraph(
        "Hasil pemeriksaan lapangan menunjukkan bahwa sebagian arsip inaktif masih "
        "disimpan di gudang belakang kantor tanpa rak dan boks arsip, sehingga beberapa "
        "berkas mengalami kerusakan akibat rayap dan kelembapan. Jadwal retensi arsip "
        "belum diterapkan sehingga arsip yang telah habis masa simpannya belum diusulkan "
        "untuk dimusnahkan.", pt=pt)
    p2.text("BAB III  REKOMENDASI", "serif-bold", pt)
    p2.space(1)
    for i, item in enumerate([
        "Melakukan pemberkasan arsip aktif berdasarkan klasifikasi dan menyusun daftar "
        "arsip aktif pada setiap unit pengolah.",
        "Memindahkan arsip inaktif ke pusat arsip dinas dengan sarana rak dan boks "
        "arsip standar.",
        "Mengusulkan penilaian arsip yang telah habis masa retensinya kepada Tim "
        "Penilai Arsip Kabupaten Jayapura.",
    ], 1):
        p2.hang([(p2.left, f"{i}.")], item, p2.x(7), pt=pt, after_mm=0.8)
    p2.space(2)
    p2.paragraph(
        "Demikian laporan ini disusun untuk menjadi bahan pertimbangan pimpinan dalam "
        "pembinaan kearsipan di lingkungan Pemerintah Kabupaten Jayapura.", pt=pt,
        after_mm=6)
    p2.text(f"Sentani, {tanggal(date)}", pt=pt, x0=p2.x(85))
    signature_block(p2, sig["title"], sig["name"], sig["rank"], sig["nip"], pt=pt,
                    stamp=sig["stamp"], rng=rng)

    p3 = Page(dpi)  # blank sheet fed through the scanner
    fields = {"nomor": nomor, "tanggal": date.isoformat(),
              "perihal": "Laporan Hasil Audit Kearsipan Internal pada Dinas Kesehatan "
                         "Kabupaten Jayapura Tahun 2023",
              "nip": [sig["nip"]], "nik": []}
    return [p1, p2, p3], fields


def build_nota_dinas(dpi: int) -> tuple[list[Page], dict]:
    date = dt.date(2023, 9, 12)
    nomor = "005/45/Bag.Um"
    hal = "Usulan Pengadaan Sarana Penyimpanan Arsip Inaktif"
    kabag = nip("1975-09-15", "2000-12", 2, 4)
    staf1 = nip("1989-01-22", "2014-03", 1, 2)
    staf2 = nip("1994-11-05", "2019-06", 2, 9)
    rng = np.random.default_rng([SEED, 104])
    pt = 12
    p = Page(dpi)
    kop(p, [("PEMERINTAH KABUPATEN JAYAPURA", 14), ("SEKRETARIAT DAERAH", 15)],
        ["Jl. Raya Sentani - Gunung Merah No. 1, Sentani, Kabupaten Jayapura, Papua 99352",
         "Telepon (0967) 591001, Pos-el: setda@jayapurakab.go.id"])
    p.text("NOTA DINAS", "serif-bold", 13, align="center", underline=True)
    p.space(4)
    p.fields([
        ("Kepada Yth.", "Sekretaris Daerah Kabupaten Jayapura"),
        ("Dari", "Kepala Bagian Umum"),
        ("Tembusan", "Asisten Administrasi Umum"),
        ("Tanggal", tanggal(date)),
        ("Nomor", nomor),
        ("Sifat", "Segera"),
        ("Lampiran", "1 (satu) berkas"),
        ("Hal", hal),
    ], pt=pt, label_mm=27)
    p.space(2)
    p.rule(0.3)
    p.space(4)
    p.paragraph(
        "Berdasarkan hasil inventarisasi yang dilaksanakan oleh Subbagian Tata Usaha dan "
        "Kearsipan pada bulan Agustus 2023, ruang penyimpanan arsip inaktif Sekretariat "
        "Daerah telah melampaui kapasitas. Saat ini terdapat kurang lebih 1.250 boks arsip "
        "yang belum tertata pada rak dan sebagian diletakkan di lorong lantai dasar.",
        pt=pt)
    p.paragraph(
        "Sehubungan dengan hal tersebut, kami mengusulkan pengadaan 40 (empat puluh) unit "
        "lemari arsip bergerak beserta 2.000 (dua ribu) boks arsip standar melalui "
        "Perubahan Anggaran Tahun 2023. Rincian kebutuhan dan perkiraan biaya terlampir.",
        pt=pt)
    p.paragraph(
        "Selain itu, kami mohon persetujuan Bapak untuk menugaskan pegawai berikut sebagai "
        "penanggung jawab ruang simpan arsip:", pt=pt, after_mm=1)
    p.hang([(p.x(12.5), "1.")], f"Sdr. Markus Y. Yoku, S.AP, NIP {keep_together(staf1)};", p.x(18), pt=pt,
           justify=False)
    p.hang([(p.x(12.5), "2.")], f"Sdri. Ester R. Wally, A.Md., NIP {keep_together(staf2)}.", p.x(18),
           pt=pt, justify=False)
    p.space(2)
    p.paragraph("Demikian kami sampaikan, mohon arahan dan petunjuk Bapak lebih lanjut.",
                pt=pt, after_mm=6)
    signature_block(p, ["Kepala Bagian Umum,"], "Dra. MARTHA I. SORONTOU, M.AP",
                    "Pembina Tingkat I", kabag, pt=pt, rng=rng)
    fields = {"nomor": nomor, "tanggal": date.isoformat(), "perihal": hal,
              "nip": [staf1, staf2, kabag], "nik": []}
    return [p], fields


def build_izin(dpi: int) -> tuple[list[Page], dict]:
    date = dt.date(2023, 6, 14)
    nomor = "503/071/DPMPTSP/VI/2023"
    born = dt.date(1998, 3, 12)
    nik_value = nik("157101", born.isoformat(), female=True, seq=3)
    kadis = nip("1972-06-11", "1998-03", 2, 5)
    rng = np.random.default_rng([SEED, 105])
    pt = 11
    p = Page(dpi, margins_mm=(30, 12, 20, 10))
    kop(p, [("PEMERINTAH KOTA JAMBI", 14),
            ("DINAS PENANAMAN MODAL DAN", 13), ("PELAYANAN TERPADU SATU PINTU", 13)],
        ["Jl. Jenderal Basuki Rahmat No. 1, Kota Baru, Jambi 36129",
         "Telepon (0741) 445566, Pos-el: dpmptsp@jambikota.go.id"], color=True)
    p.text("SURAT IZIN PENELITIAN", "serif-bold", 13, align="center", underline=True)
    p.text(f"Nomor: {nomor}", pt=pt, align="center")
    p.space(2.5)
    p.hang([(p.left, "Dasar"), (p.x(27), ":"), (p.x(30), "1.")],
           "Peraturan Wali Kota Jambi Nomor 12 Tahun 2021 tentang Pendelegasian Kewenangan "
           "Penyelenggaraan Perizinan dan Nonperizinan;", p.x(35), pt=pt)
    p.hang([(p.x(30), "2.")],
           "Surat Dekan Fakultas Ilmu Sosial dan Ilmu Politik Universitas Jambi Nomor "
           "1123/UN21.8/PT.01.04/2023 tanggal 5 Juni 2023 perihal Permohonan Izin "
           "Penelitian.", p.x(35), pt=pt, after_mm=3)
    p.paragraph("Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kota Jambi "
                "memberikan izin kepada:", pt=pt, indent_mm=0, after_mm=1)
    p.fields([
        ("Nama", "NUR AINI SAFITRI"),
        ("NIK", nik_value),
        ("Tempat/Tgl. Lahir", f"Jambi, {tanggal(born)}"),
        ("Pekerjaan", "Mahasiswa"),
        ("Alamat", "Jl. Kapten Pattimura RT 12, Kelurahan Simpang III Sipin, Kecamatan "
                   "Kota Baru, Kota Jambi"),
        ("Judul Penelitian", "Efektivitas Penerapan Aplikasi Srikandi dalam Pengelolaan "
                             "Arsip Dinamis di Lingkungan Pemerintah Kota Jambi"),
        ("Lokasi", "Dinas Kearsipan dan Perpustakaan Kota Jambi dan Bagian Umum "
                   "Sekretariat Daerah Kota Jambi"),
        ("Waktu", "15 Juni s.d. 15 September 2023"),
    ], pt=pt, x0=p.x(5), label_mm=35, after_mm=3)
    p.paragraph("dengan ketentuan sebagai berikut:", pt=pt, indent_mm=0, after_mm=1)
    for i, item in enumerate([
        "Sebelum melakukan penelitian wajib melapor kepada pimpinan instansi tempat "
        "penelitian dengan menunjukkan surat izin ini.",
        "Kegiatan penelitian tidak boleh menyimpang dari judul yang telah ditetapkan.",
        "Peneliti wajib menaati peraturan yang berlaku dan menghormati adat istiadat "
        "setempat.",
        "Menyerahkan satu eksemplar salinan hasil penelitian kepada Dinas Kearsipan dan "
        "Perpustakaan Kota Jambi.",
        "Surat izin ini batal dengan sendirinya apabila pemegang izin tidak mematuhi "
        "ketentuan tersebut di atas.",
    ], 1):
        p.hang([(p.x(5), f"{i}.")], item, p.x(11), pt=pt, after_mm=0.5)
    p.space(2)
    p.paragraph("Demikian surat izin ini diberikan untuk dapat dipergunakan sebagaimana "
                "mestinya.", pt=pt, after_mm=4)
    x0 = p.x(85)
    p.text(f"Jambi, {tanggal(date)}", pt=pt, x0=x0)
    signature_block(p, ["Kepala Dinas Penanaman Modal dan", "Pelayanan Terpadu Satu Pintu",
                        "Kota Jambi,"], "Hj. RAHMA YULIANTI, S.E., M.M.",
                    "Pembina Utama Muda", kadis, pt=pt, x0=x0, rng=rng,
                    stamp=("DINAS PENANAMAN MODAL DAN PTSP * KOTA JAMBI * ", "JAMBI"))
    p.space(2)
    tembusan(p, ["Wali Kota Jambi (sebagai laporan);",
                 "Dekan FISIP Universitas Jambi."], pt=9.5)
    fields = {"nomor": nomor, "tanggal": date.isoformat(), "perihal": "Surat Izin Penelitian",
              "nip": [kadis], "nik": [nik_value]}
    return [p], fields


def build_edaran(dpi: int) -> tuple[list[Page], dict]:
    date = dt.date(2023, 4, 17)
    nomor = "B-99/DISARPUS/KP.07.6/04/2023"
    kadis = nip("1970-02-18", "1995-03", 1, 2)
    rng = np.random.default_rng([SEED, 106])
    pt = 11.5
    p = Page(dpi)
    kop(p, [("PEMERINTAH PROVINSI JAMBI", 14), ("DINAS KEARSIPAN DAN PERPUSTAKAAN", 15)],
        ["Jl. Jenderal Ahmad Yani No. 33, Telanaipura, Jambi 36122",
         "Telepon (0741) 60123, Pos-el: disarpus@jambiprov.go.id"])
    for line in ["Yth. 1. Kepala Perangkat Daerah Provinsi Jambi;",
                 "       2. Kepala Dinas yang membidangi kearsipan",
                 "           Kabupaten/Kota se-Provinsi Jambi",
                 "di", "    Tempat"]:
        p.text(line, pt=pt, x0=p.x(85))
    p.space(4)
    for line in ["SURAT EDARAN", f"NOMOR {nomor}", "TENTANG",
                 "PELAKSANAAN GERAKAN NASIONAL SADAR TERTIB ARSIP",
                 "DI LINGKUNGAN PEMERINTAH PROVINSI JAMBI"]:
        p.text(line, "serif-bold", 12, align="center")
    p.space(4)
    p.paragraph(
        "Dalam rangka mewujudkan tertib arsip sebagai bagian dari reformasi birokrasi dan "
        "mendukung penerapan sistem pemerintahan berbasis elektronik, setiap perangkat "
        "daerah wajib mengelola arsip secara tertib sejak arsip diciptakan sampai dengan "
        "arsip disusutkan.", pt=pt)
    p.paragraph("Sehubungan dengan hal tersebut, diminta kepada Saudara untuk:", pt=pt,
                after_mm=1)
    for i, item in enumerate([
        "menertibkan arsip yang tercecer di ruang kerja dan memberkaskannya sesuai "
        "klasifikasi arsip;",
        "menunjuk paling sedikit satu orang petugas kearsipan pada setiap unit kerja;",
        "menggunakan aplikasi Srikandi untuk seluruh naskah dinas keluar dan masuk mulai "
        "1 Juni 2023;",
        "menyampaikan daftar arsip inaktif yang akan dipindahkan ke Record Center paling "
        "lambat akhir triwulan ketiga.",
    ]):
        p.hang([(p.x(12.5), f"{'abcd'[i]}.")], item, p.x(18), pt=pt, after_mm=0.5)
    p.space(2)
    p.paragraph(
        "Pelaksanaan surat edaran ini akan dipantau melalui pengawasan kearsipan internal "
        "dan hasilnya dilaporkan kepada Gubernur Jambi sebagai bahan evaluasi kinerja "
        "perangkat daerah.", pt=pt)
    p.paragraph("Demikian surat edaran ini disampaikan untuk dilaksanakan dengan penuh "
                "tanggung jawab.", pt=pt, after_mm=5)
    x0 = p.x(85)
    p.fields([("Ditetapkan di", "Jambi"), ("pada tanggal", tanggal(date))], pt=pt, x0=x0,
             label_mm=27, after_mm=3)
    signature_block(p, ["Kepala Dinas Kearsipan dan", "Perpustakaan Provinsi Jambi,"],
                    "Dr. H. AHMAD FAUZI RAHMAN, M.Si.", "Pembina Utama Muda", kadis,
                    pt=pt, x0=x0, rng=rng,
                    stamp=("DINAS KEARSIPAN DAN PERPUSTAKAAN * PROVINSI JAMBI * ", "JAMBI"))
    fields = {"nomor": nomor, "tanggal": date.isoformat(),
              "perihal": "Pelaksanaan Gerakan Nasional Sadar Tertib Arsip di Lingkungan "
                         "Pemerintah Provinsi Jambi",
              "nip": [kadis], "nik": []}
    return [p], fields


def build_surat_tugas(dpi: int) -> tuple[list[Page], dict]:
    date = dt.date(2023, 3, 6)
    nomor = "800/123/BKPSDM/2023"
    kepala = nip("1971-10-03", "1996-02", 1, 1)
    staff = [
        ("RIZKY PRATAMA HIDAYAT, S.E.", nip("1987-08-30", "2008-01", 1, 3),
         "Penata Tingkat I (III/d)", "Analis SDM Aparatur Ahli Muda"),
        ("DEWI ANGGRAINI, S.Kom.", nip("1991-02-14", "2015-03", 2, 6),
         "Penata (III/c)", "Pranata Komputer Ahli Pertama"),
    ]
    rng = np.random.default_rng([SEED, 107])
    pt = 12
    p = Page(dpi)
    kop(p, [("PEMERINTAH KOTA JAMBI", 14), ("BADAN KEPEGAWAIAN DAN PENGEMBANGAN", 13),
            ("SUMBER DAYA MANUSIA", 13)],
        ["Jl. H. M. Yusuf Singadikane No. 5, Kota Baru, Jambi 36128",
         "Telepon (0741) 583210, Pos-el: bkpsdm@jambikota.go.id"])
    p.text("SURAT TUGAS", "serif-bold", 13, align="center", underline=True)
    p.text(f"Nomor: {nomor}", pt=pt, align="center")
    p.space(5)
    p.hang([(p.left, "Dasar"), (p.x(22), ":"), (p.x(25), "1.")],
           "Peraturan Wali Kota Jambi Nomor 45 Tahun 2021 tentang Kedudukan, Susunan "
           "Organisasi, Tugas dan Fungsi serta Tata Kerja Badan Kepegawaian dan "
           "Pengembangan Sumber Daya Manusia;", p.x(30), pt=pt)
    p.hang([(p.x(25), "2.")],
           "Surat Kepala Kantor Regional VII Badan Kepegawaian Negara Nomor "
           "2105/KR.VII/II/2023 perihal Undangan Rapat Koordinasi.", p.x(30), pt=pt,
           after_mm=4)
    p.text("MEMERINTAHKAN:", "serif-bold", pt, align="center")
    p.space(3)
    for i, (name, nip_value, rank, job) in enumerate(staff, 1):
        parts = [(p.left, "Kepada"), (p.x(22), ":")] if i == 1 else []
        rows = [("Nama", name), ("NIP", nip_value), ("Pangkat/Gol.", rank), ("Jabatan", job)]
        for j, (label, value) in enumerate(rows):
            lead = (parts + [(p.x(25), f"{i}.")]) if j == 0 else []
            p.hang(lead + [(p.x(30), label), (p.x(60), ":")], value, p.x(63), pt=pt,
                   justify=False)
        p.space(2)
    p.space(1)
    for i, item in enumerate([
        "Mengikuti Rapat Koordinasi Verifikasi dan Validasi Data Kepegawaian yang "
        "diselenggarakan oleh Kantor Regional VII Badan Kepegawaian Negara di Palembang "
        "pada tanggal 8 s.d. 10 Maret 2023;",
        "Membawa dokumen usulan pemutakhiran data pegawai negeri sipil di lingkungan "
        "Pemerintah Kota Jambi;",
        "Melaporkan hasil pelaksanaan tugas kepada Kepala Badan paling lambat tiga hari "
        "kerja setelah kembali;",
        "Melaksanakan tugas ini dengan penuh tanggung jawab.",
    ], 1):
        parts = [(p.left, "Untuk"), (p.x(22), ":")] if i == 1 else []
        p.hang(parts + [(p.x(25), f"{i}.")], item, p.x(30), pt=pt, after_mm=0.5)
    p.space(6)
    x0 = p.x(85)
    p.fields([("Dikeluarkan di", "Jambi"), ("pada tanggal", tanggal(date))], pt=pt,
             x0=x0, label_mm=29, after_mm=3)
    signature_block(p, ["Kepala Badan,"], "Drs. SYAHRIAL EFENDI, M.M.",
                    "Pembina Utama Muda", kepala, pt=pt, x0=x0, rng=rng,
                    stamp=("BADAN KEPEGAWAIAN DAN PENGEMBANGAN SDM * KOTA JAMBI * ", "JAMBI"))
    fields = {"nomor": nomor, "tanggal": date.isoformat(), "perihal": None,
              "nip": [s[1] for s in staff] + [kepala], "nik": []}
    return [p], fields


def build_berita_acara(dpi: int) -> tuple[list[Page], dict]:
    date = dt.date(2023, 10, 30)
    nomor = "045/77/BA-DKP/X/2023"
    pihak1 = ("Ir. SEBASTIANUS K. MOIWEND", nip("1974-05-21", "2002-04", 1, 8),
              "Sekretaris Dinas Pertanian dan Ketahanan Pangan Kabupaten Merauke")
    pihak2 = ("FRANSINA L. TETHOOL, S.Sos.", nip("1981-12-09", "2006-01", 2, 14),
              "Kepala Bidang Pengelolaan Arsip pada Dinas Kearsipan dan Perpustakaan "
              "Kabupaten Merauke")
    kadis = nip("1969-07-26", "1994-03", 1, 5)
    rng = np.random.default_rng([SEED, 108])
    pt = 11
    p = Page(dpi)
    kop(p, [("PEMERINTAH KABUPATEN MERAUKE", 14), ("DINAS KEARSIPAN DAN PERPUSTAKAAN", 15)],
        ["Jl. Raya Mandala No. 22, Merauke, Provinsi Papua Selatan 99611",
         "Telepon (0971) 321456, Pos-el: dkp@meraukekab.go.id"])
    p.text("BERITA ACARA SERAH TERIMA ARSIP INAKTIF", "serif-bold", 12.5, align="center",
           underline=True)
    p.text(f"Nomor: {nomor}", pt=pt, align="center")
    p.space(4)
    p.paragraph(
        f"Pada hari ini {hari(date)} tanggal {terbilang(date.day)} bulan "
        f"{BULAN[date.month - 1]} tahun {terbilang(date.year)}, bertempat di Depo Arsip "
        "Dinas Kearsipan dan Perpustakaan Kabupaten Merauke, kami yang bertanda tangan di "
        "bawah ini:", pt=pt, after_mm=1)
    for i, (name, nip_value, job) in enumerate([pihak1, pihak2], 1):
        rows = [("Nama", name), ("NIP", nip_value), ("Jabatan", job)]
        for j, (label, value) in enumerate(rows):
            lead = [(p.left, f"{i}.")] if j == 0 else []
            p.hang(lead + [(p.x(6), label), (p.x(25), ":")], value, p.x(28), pt=pt,
                   justify=False)
        who = "PERTAMA" if i == 1 else "KEDUA"
        p.text(f"selanjutnya disebut PIHAK {who}.", pt=pt, x0=p.x(6))
        p.space(1.5)
    p.paragraph(
        "PIHAK PERTAMA menyerahkan kepada PIHAK KEDUA arsip inaktif Dinas Pertanian dan "
        "Ketahanan Pangan tahun 2012 sampai dengan 2017 sebanyak 86 (delapan puluh enam) "
        "boks yang berisi 1.124 (seribu seratus dua puluh empat) berkas, sebagaimana "
        "tercantum dalam daftar arsip yang diserahkan terlampir.", pt=pt)
    p.paragraph(
        "Dengan ditandatanganinya berita acara ini, tanggung jawab pengelolaan fisik arsip "
        "berpindah kepada PIHAK KEDUA, sedangkan tanggung jawab atas isi informasi arsip "
        "tetap berada pada PIHAK PERTAMA.", pt=pt)
    p.paragraph(
        "Demikian berita acara ini dibuat dalam rangkap dua untuk dipergunakan sebagaimana "
        "mestinya.", pt=pt, after_mm=4)
    top = p.y
    signature_block(p, ["PIHAK KEDUA,"], pihak2[0], nip_value=pihak2[1], pt=pt,
                    x0=p.left, rng=rng)
    bottom = p.y
    p.y = top
    signature_block(p, ["PIHAK PERTAMA,"], pihak1[0], nip_value=pihak1[1], pt=pt,
                    x0=p.x(90), rng=rng)
    p.y = max(p.y, bottom) + p.mm(4)
    signature_block(p, ["Mengetahui,", "Kepala Dinas Kearsipan dan Perpustakaan",
                        "Kabupaten Merauke,"], "Drs. YOSEPH A. GEBZE, M.Si.",
                    "Pembina Utama Muda", kadis, pt=pt, x0=p.x(45), rng=rng,
                    stamp=("DINAS KEARSIPAN DAN PERPUSTAKAAN * KABUPATEN MERAUKE * ",
                           "MERAUKE"))
    fields = {"nomor": nomor, "tanggal": date.isoformat(),
              "perihal": "Berita Acara Serah Terima Arsip Inaktif",
              "nip": [pihak1[1], pihak2[1], kadis], "nik": []}
    return [p], fields


def all_samples() -> list[Sample]:
    """The corpus: what to render, how to 'scan' it and what a reader should find."""
    specs = [
        ("undangan-skew-3deg.jpg", "surat_undangan", build_undangan,
         ScanProfile(dpi=200, fmt="jpeg", color=True, skew_deg=3.0, paper=(250, 247, 238),
                     illumination=0.10, noise=2.0, quality=80),
         [("menindaklanjuti hasil pengawasan kearsipan", 1),
          ("urusan persuratan dan kearsipan", 1),
          ("membawa contoh tata naskah dinas", 1)], [],
         "Colour JPEG, 200 dpi recorded, page skewed +3 deg, uneven illumination."),
        ("keputusan-2-pages.pdf", "surat_keputusan", build_keputusan,
         ScanProfile(dpi=300, fmt="pdf", dust=25, noise=1.2, quality=70),
         [("menjamin ketersediaan arsip yang autentik", 1),
          ("menyaksikan pelaksanaan pemusnahan arsip", 2),
          ("layanan arsip inaktif di depo", 2)], [],
         "Image-only PDF (no text layer), 2 pages of 300 dpi greyscale JPEG."),
        ("laporan-multipage.tif", "laporan", build_laporan,
         ScanProfile(dpi=300, fmt="tiff-g4", dust=30, noise=3.0, edge_shadow=True),
         [("objek audit karena volume arsip", 1),
          ("kerusakan akibat rayap dan kelembapan", 2),
          ("pemberkasan masih dilakukan per jenis", 2)], [3],
         "3-page bilevel CCITT G4 TIFF, 300 dpi; page 3 is a blank sheet (noise only); "
         "one phrase exists only on page 2."),
        ("nota-dinas-clean.png", "nota_dinas", build_nota_dinas,
         ScanProfile(dpi=300, fmt="png", dust=0, noise=0.0, blur=0.5, ink=0,
                     paper=(255, 255, 255)),
         [("diletakkan di lorong lantai dasar", 1),
          ("lemari arsip bergerak beserta", 1),
          ("penanggung jawab ruang simpan arsip", 1)], [],
         "Clean greyscale PNG, 300 dpi, no skew: the easy baseline and header fields."),
        ("izin-upside-down.jpg", "surat_izin", build_izin,
         ScanProfile(dpi=200, fmt="jpeg", color=True, rotation=180, paper=(252, 250, 245),
                     noise=1.5, quality=80),
         [("efektivitas penerapan aplikasi srikandi", 1),
          ("tidak boleh menyimpang dari judul", 1),
          ("menghormati adat istiadat setempat", 1)], [],
         "Colour JPEG, 200 dpi, page scanned upside down (needs 180 deg rotation)."),
        ("edaran-speckle.jpg", "surat_edaran", build_edaran,
         ScanProfile(dpi=200, fmt="jpeg", skew_deg=-2.0, paper=(208, 208, 208), ink=70,
                     dust=200, pepper=0.03, pepper_range=(0.4, 0.85), salt=0.015,
                     illumination=0.12, noise=4.0,
                     quality=75),
         [("menertibkan arsip yang tercecer", 1),
          ("sistem pemerintahan berbasis elektronik", 1),
          ("bahan evaluasi kinerja perangkat daerah", 1)], [],
         "Greyscale JPEG, 200 dpi, low contrast grey paper, heavy speckle, skew -2 deg."),
        ("surat-tugas-150dpi.jpg", "surat_tugas", build_surat_tugas,
         ScanProfile(dpi=150, fmt="jpeg", embed_dpi=False, blur=0.5, noise=1.5, quality=85),
         [("rapat koordinasi verifikasi dan validasi", 1),
          ("membawa dokumen usulan", 1),
          ("tiga hari kerja setelah kembali", 1)], [],
         "Greyscale JPEG scanned at 150 dpi but with no DPI in the file (JFIF 1:1 aspect)."),
        ("berita-acara-skew-5deg.png", "berita_acara", build_berita_acara,
         ScanProfile(dpi=200, fmt="png", skew_deg=-5.0, dust=30, noise=0.0),
         [("tanggung jawab pengelolaan fisik arsip", 1),
          ("dibuat dalam rangkap dua", 1),
          ("isi informasi arsip tetap berada", 1)], [],
         "Greyscale PNG, 200 dpi, skew -5 deg (beyond what plain Tesseract tolerates)."),
    ]
    samples = []
    for file, doc_type, builder, profile, phrases, blanks, desc in specs:
        pages, fields = builder(profile.dpi)
        samples.append(Sample(file, doc_type, profile, pages, fields, phrases, blanks, desc))
    return samples


# --------------------------------------------------------------------------
# Scan simulation
# --------------------------------------------------------------------------

def add_dust(img: Image.Image, rng, count: int) -> None:
    """Dark specks, small blobs and short hairs on the paper (before scanning)."""
    d = ImageDraw.Draw(img)
    w, h = img.size
    unit = max(1, round(w / 1650))  # ~1 px at 200 dpi
    shade = (lambda v: v) if img.mode == "L" else (lambda v: (v, v, v))
    for _ in range(count):
        x, y = rng.uniform(0, w), rng.uniform(0, h)
        kind = rng.random()
        value = int(rng.integers(10, 120))
        if kind < 0.7:
            r = rng.uniform(0.6, 2.0) * unit
            d.ellipse([x - r, y - r, x + r, y + r], fill=shade(value))
        elif kind < 0.93:
            rx, ry = rng.uniform(1.5, 5) * unit, rng.uniform(1, 3.5) * unit
            d.ellipse([x - rx, y - ry, x + rx, y + ry], fill=shade(value))
        else:
            length, a = rng.uniform(8, 30) * unit, rng.uniform(0, math.pi)
            pts = [(x + t * length * math.cos(a) + 2 * unit * math.sin(t * 6),
                    y + t * length * math.sin(a)) for t in np.linspace(0, 1, 12)]
            d.line(pts, fill=shade(value), width=unit)


def rotate_keeping_content(img: Image.Image, deg: float) -> Image.Image:
    """Rotate about the centre (counter-clockwise for deg > 0) with white fill,
    refusing if any content would leave the page."""
    white = 255 if img.mode == "L" else (255, 255, 255)
    diff = ImageChops.difference(img, Image.new(img.mode, img.size, white))
    box = diff.convert("L").point(lambda v: 255 if v > 8 else 0).getbbox()
    w, h = img.size
    cx, cy = w / 2, h / 2
    a = math.radians(deg)
    margin = w * 0.01
    for x, y in [(box[0], box[1]), (box[2], box[1]), (box[0], box[3]), (box[2], box[3])]:
        rx = cx + (x - cx) * math.cos(a) + (y - cy) * math.sin(a)
        ry = cy - (x - cx) * math.sin(a) + (y - cy) * math.cos(a)
        if not (margin <= rx <= w - margin and margin <= ry <= h - margin):
            raise LayoutError(f"skew {deg} deg would push content off the page")
    return img.rotate(deg, resample=Image.BICUBIC, expand=False, fillcolor=white)


def illumination_field(h: int, w: int, strength: float, rng) -> np.ndarray:
    """Smooth brightness factor, 1.0 at the bright corner, 1-strength at the dim one."""
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    ax, ay = rng.uniform(0.4, 1.0), rng.uniform(0.2, 0.8)
    ramp = (ax * xx / w + ay * yy / h) / (ax + ay)
    return 1.0 - strength * ramp ** 1.5


def simulate_scan(page: Page, prof: ScanProfile, rng) -> Image.Image:
    img = page.img.copy() if prof.color else page.img.convert("L")
    if prof.skew_deg:
        img = rotate_keeping_content(img, prof.skew_deg)
    if prof.rotation:
        img = img.rotate(prof.rotation)
    add_dust(img, rng, prof.dust)
    if prof.blur:
        img = img.filter(ImageFilter.GaussianBlur(prof.blur))
    arr = np.asarray(img, dtype=np.float32) / 255.0
    paper = np.asarray(prof.paper if prof.color else [np.mean(prof.paper)], np.float32)
    arr = prof.ink + arr * (paper - prof.ink) if prof.color else \
        prof.ink + arr * (paper[0] - prof.ink)
    h, w = arr.shape[:2]
    if prof.illumination:
        f = illumination_field(h, w, prof.illumination, rng)
        arr = arr * (f[..., None] if prof.color else f)
    if prof.edge_shadow:
        depth = np.clip(rng.normal(6, 2, size=w // 50 + 1), 1, 12)
        depth = np.interp(np.arange(w), np.linspace(0, w, depth.size), depth)
        dark = np.exp(-np.arange(40)[:, None] / depth[None, :] * 1.5)
        arr[:40] = arr[:40] * (1 - 0.85 * (dark if not prof.color else dark[..., None]))
    if prof.pepper:
        mask = rng.random((h, w)) < prof.pepper
        lo, hi = prof.pepper_range
        level = rng.uniform(lo, hi, size=int(mask.sum())) * (float(np.min(paper)) - prof.ink)
        arr[mask] = prof.ink + level[(...,) if not prof.color else (..., None)]
    if prof.salt:
        mask = rng.random((h, w)) < prof.salt
        arr[mask] = np.max(paper) + 20
    if prof.noise:
        shape = (h, w) if not prof.color else (h, w, 1)
        arr = arr + rng.normal(0, prof.noise, size=shape).astype(np.float32)
    return Image.fromarray(arr.clip(0, 255).round().astype(np.uint8))


# --------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------

def jpeg_bytes(img: Image.Image, quality: int, dpi: int | None) -> bytes:
    buf = io.BytesIO()
    kwargs = {"dpi": (dpi, dpi)} if dpi else {}
    img.save(buf, "JPEG", quality=quality, optimize=True, **kwargs)
    return buf.getvalue()


def binarize(img: Image.Image, threshold: int = 150) -> Image.Image:
    return img.convert("L").point(lambda v: 255 if v >= threshold else 0).convert("1")


def write_sample(sample: Sample, out: Path, rng) -> Path:
    prof = sample.profile
    scans = [simulate_scan(page, prof, rng) for page in sample.pages]
    path = out / sample.file
    if prof.fmt == "jpeg":
        assert len(scans) == 1
        path.write_bytes(jpeg_bytes(scans[0], prof.quality,
                                    prof.dpi if prof.embed_dpi else None))
    elif prof.fmt == "png":
        assert len(scans) == 1
        scans[0].save(path, "PNG", dpi=(prof.dpi, prof.dpi), optimize=True)
    elif prof.fmt == "tiff-g4":
        bilevel = [binarize(s) for s in scans]
        bilevel[0].save(path, "TIFF", save_all=True, append_images=bilevel[1:],
                        compression="group4", dpi=(prof.dpi, prof.dpi))
    elif prof.fmt == "pdf":
        jpegs = [jpeg_bytes(s, prof.quality, prof.dpi) for s in scans]
        # internal engine: no random /ID, so the file is byte-for-byte reproducible
        path.write_bytes(img2pdf.convert(jpegs, nodate=True,
                                         engine=img2pdf.Engine.internal))
    else:
        raise ValueError(prof.fmt)
    return path


# --------------------------------------------------------------------------
# Expected results
# --------------------------------------------------------------------------

PLAIN_PHRASE = re.compile(r"^[a-z]+( [a-z]+){2,4}$")


def check_phrases(samples: list[Sample]) -> None:
    """Each phrase: 3-5 plain words, on its page, and in no other document or page."""
    for s in samples:
        for text, page_no in s.phrases:
            assert PLAIN_PHRASE.match(text), f"not a plain 3-5 word phrase: {text!r}"
            for other in samples:
                for i, page in enumerate(other.pages, 1):
                    found = text in page.text_for_search()
                    should = other is s and i == page_no
                    assert found == should, (
                        f"phrase {text!r} of {s.file}: found={found} on "
                        f"{other.file} page {i}")


def expected_entry(s: Sample) -> dict:
    return {
        "file": s.file,
        "type": s.type,
        "pages": len(s.pages),
        "blank_pages": s.blank_pages,
        "rotation": s.profile.rotation,
        "skew_deg": float(s.profile.skew_deg),
        "dpi": s.profile.dpi,
        "dpi_in_file": s.profile.embed_dpi,
        "fields": s.fields,
        "phrases": [{"text": t, "page": p} for t, p in s.phrases],
        "description": s.description,
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent,
                        help="output directory (default: the samples/ folder)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    samples = all_samples()
    check_phrases(samples)
    for index, sample in enumerate(samples):
        rng = np.random.default_rng([SEED, index])
        path = write_sample(sample, args.out, rng)
        print(f"{path}  {path.stat().st_size / 1024:.0f} KiB")
    expected = [expected_entry(s) for s in samples]
    (args.out / "expected.json").write_text(
        json.dumps(expected, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{args.out / 'expected.json'}")


if __name__ == "__main__":
    main()
