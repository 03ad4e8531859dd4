"""Settings: one nested, typed object built in one place.

Precedence, lowest to highest: built-in defaults < config file < ``DIGITIZE_*``
environment < command-line flags. ``load_settings`` is the only function that
merges them; nothing reads the environment at import time.

Environment variables: ``DIGITIZE_SECTION__KEY`` (double underscore), for
example ``DIGITIZE_OCR__LANG=ind``. ``DIGITIZE_ARCHIVE`` is a shorthand for
``DIGITIZE_ARCHIVE__PATH`` and ``DIGITIZE_CONFIG`` names the config file.

Relative paths in a config file are relative to that file's folder; relative
paths from the environment or flags are relative to the working directory.

The settings objects are frozen: ``load_settings`` builds them, checks every
value (``validate``, the one place that judges settings) and hands them out;
code that needs a variant asks ``load_settings`` with overrides, or makes a
copy with ``dataclasses.replace``.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
import typing
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from digitize.errors import ConfigError, UsageError
from digitize.formats import SCAN_EXTENSIONS
from digitize.i18n import _

ENV_PREFIX = "DIGITIZE_"
_ORIGINS: ContextVar[dict[str, str]] = ContextVar("digitize_setting_origins")  # filled while loading
ENV_ALIASES = {"DIGITIZE_ARCHIVE": ("archive", "path")}
ENV_CONFIG = "DIGITIZE_CONFIG"


@dataclass(frozen=True)
class ArchiveSettings:
    path: Path = Path("archive")
    keep_originals: str = "none"  # "none", "copy" (beside the PDF/A) or "embed" (PDF/A-3 attachment)
    file_mode: str = "0640"  # archive files, whatever the inputs' modes or the umask (octal)
    dir_mode: str = "0750"  # archive folders; the ledger is 0600 for the owner alone
    lock_wait: float = 0.0  # seconds a writer waits for another one to finish (0: exit at once, code 8)


@dataclass(frozen=True)
class IngestSettings:
    jobs: int = 0  # 0 = one worker per CPU
    extensions: list[str] = field(default_factory=lambda: list(SCAN_EXTENSIONS))
    follow_symlinks: bool = False  # links leading out of the inbox are refused even then
    settle_seconds: float = 3.0  # a file modified this recently is watched; one still changing waits
    move_processed: bool = False  # move originals to <inbox>/<processed_dir>/<date>/ once archived
    processed_dir: str = "processed"
    keep_failed_scratch: bool = False  # keep a failed job's scratch folder (copies of its scans) to inspect
    group: str = "file"  # file | folder | pattern | time-gap: which files make one document
    page_pattern: str = r"^(?P<stem>.*?)[ _.-]*(?P<page>\d+)$"  # for group = "pattern"
    time_gap: float = 60.0  # seconds between scans that start a new document (group = "time-gap")
    separators: bool = False  # a page with a separator barcode/QR code starts a new document
    separator_values: list[str] = field(default_factory=lambda: ["PATCHT", "DIGITIZE-SEPARATOR"])
    blank_separators: bool = False  # a blank page starts a new document (and is not archived)
    confidential: bool = False  # every document of the run goes to the restricted part
    patterns: list[str] = field(default_factory=lambda: ["*"])  # shell patterns of the files to take
    min_free_mb: int = 100  # free disk under the archive: a run does not start below it, and stops cleanly


@dataclass(frozen=True)
class PagesSettings:
    rasterize_dpi: int = 300  # PDF pages without text are rasterized at this resolution
    min_dpi: int = 100  # DPI metadata below this (72 and 96 are software defaults) or above max_dpi is not believed
    max_dpi: int = 1200
    max_megapixels: float = 250.0  # per page; larger images are refused (decompression bombs)
    max_pages: int = 2000  # per file
    # page preparation
    deskew: bool = True
    max_skew: float = 15.0  # degrees searched either way
    min_skew: float = 0.05  # smaller skews are left alone
    auto_rotate: bool = True  # turn pages upright (0/90/180/270)
    osd_min_confidence: float = 2.0  # below this, OCR confidence decides the orientation
    scale_by_text: bool = False  # size the OCR image by the height of its letters instead of by resolution
    min_text_px: float = 15.0  # letters shorter than this (median, in pixels) are scaled up to target_text_px
    target_text_px: float = 22.0  # about 11-point type at 300 dpi
    max_text_px: float = 44.0  # letters taller than this are scaled down (faster, same words)
    upscale_below_dpi: int = 250  # by resolution (scale_by_text off, or no letters found): pages under
    upscale_to_dpi: int = 300  # this resolution are OCR'd at upscale_to_dpi
    remove_borders: bool = False
    normalize_background: bool = True  # lowered error on photos, changed nothing elsewhere (make bench-ocr --variants)
    stretch_contrast: bool = False
    despeckle: bool = False
    binarize: bool = False
    visible: str = "original"  # what the PDF/A shows: "original" (deskewed, upright) or "cleaned"
    blank_max_ink: float = 0.002  # share of the page; below it (and few components) a page is blank
    drop_blank: bool = False  # blank pages are kept and flagged unless this is true
    low_confidence: float = 60.0  # pages whose mean word confidence is lower are listed for checking


@dataclass(frozen=True)
class OcrSettings:
    lang: str = "ind+eng"
    engine: str = "tesseract"  # or "ocrmypdf": every document through ocrmypdf.ocr (slower, same output)
    force: bool = False  # OCR PDF pages that already have text too (their text is replaced)
    pdfa_part: int = 2  # PDF/A-2b; 3 (PDF/A-3b) is used when originals are embedded
    # OCRmyPDF's PDF/A backend (PDFs with text, engine "ocrmypdf"): auto, internal, ghostscript
    pdfa_backend: str = "auto"
    timeout: float = 600.0  # seconds Tesseract may spend on one page
    in_process: bool = True  # Tesseract's library in each worker (models loaded once); false: the program per page
    tessdata: str = ""  # folder of the language models; "" = the tesseract program's own


@dataclass(frozen=True)
class ClassifySettings:
    rules: Path | None = None  # None = the built-in digitize/defaults/classes.toml
    kka: Path | None = None  # KKA defaults and names; None = the built-in digitize/defaults/kka.toml
    kka_scheme: Path | None = None  # the archive's full classification scheme (CSV: kode,nama,...)
    model_threshold: float = 0.6  # the archive's trained model decides when at least this sure
    min_confidence: float = 0.3  # below this a document is "unclassified" and listed for review


@dataclass(frozen=True)
class RestrictedSettings:
    """Confidential documents go to the archive's restricted part (its own index; the owner and ``group``)."""

    sifat: list[str] = field(default_factory=lambda: ["rahasia", "sangat rahasia", "terbatas"])  # any case
    group: str = ""  # the group that may read the restricted part besides the owner; "" = the owner alone


@dataclass(frozen=True)
class IndexSettings:
    backend: str = "tantivy"


@dataclass(frozen=True)
class UISettings:
    language: str = "auto"  # messages, help and reports: "auto" (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), "en" or "id"


@dataclass(frozen=True)
class Settings:
    archive: ArchiveSettings = field(default_factory=ArchiveSettings)
    ingest: IngestSettings = field(default_factory=IngestSettings)
    pages: PagesSettings = field(default_factory=PagesSettings)
    ocr: OcrSettings = field(default_factory=OcrSettings)
    classify: ClassifySettings = field(default_factory=ClassifySettings)
    index: IndexSettings = field(default_factory=IndexSettings)
    restricted: RestrictedSettings = field(default_factory=RestrictedSettings)
    ui: UISettings = field(default_factory=UISettings)
    config_file: Path | None = None  # which file was read, for messages
    sources: dict[str, str] = field(default_factory=dict, compare=False, repr=False)  # "ocr.lang" -> its origin


SYSTEM_CONFIG = Path("/etc/digitize/digitize.toml")


def default_config_candidates(env: Mapping[str, str]) -> list[Path]:
    """Where a config file is looked for when neither --config nor DIGITIZE_CONFIG names one: the
    user's config folder, then the system's. Never the current folder: a command behaves the same
    wherever it is started (cron, systemd, a clerk's terminal)."""
    xdg = Path(env.get("XDG_CONFIG_HOME") or Path(env.get("HOME", "~")).expanduser() / ".config")
    return [xdg / "digitize" / "digitize.toml", SYSTEM_CONFIG]


def default_archive(env: Mapping[str, str]) -> Path:
    """The archive when none is configured: the user's data folder, never the current folder."""
    data = Path(env.get("XDG_DATA_HOME") or Path(env.get("HOME", "~")).expanduser() / ".local" / "share")
    return data / "digitize" / "archive"


def _is_file(path: Path) -> bool:
    """A default config file this user can see (a folder closed to the user hides it: not an error)."""
    try:
        return path.is_file()
    except PermissionError:
        return False


INDEX_BACKENDS = ("tantivy", "whoosh")  # digitize.fulltext.open_index builds these

CHOICES: dict[tuple[str, str], set[str] | set[int]] = {
    ("archive", "keep_originals"): {"none", "copy", "embed"},
    ("pages", "visible"): {"original", "cleaned"},
    ("ingest", "group"): {"file", "folder", "pattern", "time-gap"},
    ("ocr", "pdfa_backend"): {"auto", "internal", "ghostscript"},
    ("ocr", "pdfa_part"): {2, 3},
    ("ui", "language"): {"auto", "en", "id"},
}


def load_settings(
    config_file: Path | None = None,
    env: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
    cwd: Path | None = None,
    job_file: Path | None = None,
) -> Settings:
    """Merge defaults, config file, environment and flags into one ``Settings``.

    ``overrides`` maps dotted keys (``"ocr.lang"``) to flag values; ``None``
    values mean "flag not given" and are skipped.
    """
    env = dict(os.environ if env is None else env)
    cwd = cwd or Path.cwd()
    _ORIGINS.set({})
    values: dict[str, dict[str, Any]] = {section: {} for section in _sections()}

    path = config_file or (Path(env[ENV_CONFIG]) if env.get(ENV_CONFIG) else None)
    if path is not None and not path.is_file():
        raise ConfigError(_("Config file {path} does not exist: fix --config or DIGITIZE_CONFIG.").format(path=path))
    if path is None:
        path = next((p for p in default_config_candidates(env) if _is_file(p)), None)
    if path is not None:
        _apply_file(values, path)
    if job_file is not None:  # a job's sections, over the config file's; its [job] table is the job's own
        _apply_file(values, job_file, skip=("job",))

    for name, value in sorted(env.items()):
        if not name.startswith(ENV_PREFIX) or name == ENV_CONFIG:
            continue
        if name in ENV_ALIASES:
            section, key = ENV_ALIASES[name]
        elif "__" in name:
            section, _sep, key = name[len(ENV_PREFIX) :].lower().partition("__")
        else:
            continue  # DIGITIZE_SOMETHING without a section is not ours to judge
        _set(values, section, key, value, origin=_("environment variable {name}").format(name=name), base=cwd)

    flagged: set[str] = set()  # the keys a flag gave: their bad values are usage errors
    for dotted, value in (overrides or {}).items():
        if value is None:
            continue
        section, _sep, key = dotted.partition(".")
        _set(values, section, key, value, origin=_("option for {key}").format(key=dotted), base=cwd)
        flagged.add(dotted)
    if "path" not in values["archive"]:
        values["archive"]["path"] = default_archive(env)
        _ORIGINS.set({**_ORIGINS.get(), "archive.path": _("default: the user's data folder")})
    types = _section_types()
    settings = Settings(**{section: types[section](**given) for section, given in values.items()},
                        config_file=path, sources=dict(_ORIGINS.get()))
    try:
        validate(settings)
    except ConfigError as exc:
        if exc.key in flagged:  # a flag's value: a usage error (exit 2)
            raise UsageError(str(exc)) from None
        raise
    return settings


# ISO 639-1 codes people type for Tesseract's ISO 639-2 ones (the languages of the archives and their neighbours)
_TESSERACT_CODES = {"id": "ind", "en": "eng", "ms": "msa", "jv": "jav", "su": "sun", "nl": "nld", "ar": "ara",
                    "zh": "chi_sim", "ja": "jpn", "ko": "kor", "de": "deu", "fr": "fra", "es": "spa",
                    "pt": "por", "tl": "tgl", "hi": "hin", "th": "tha", "vi": "vie"}


def lang_problem(lang: str) -> str | None:
    """What is wrong with a Tesseract language list such as ``ind+eng``, with the fix; None when nothing."""
    if not lang.strip():
        return _("ocr.lang is empty; give Tesseract's language codes joined by '+', such as ind+eng.")
    for sep in (",", " ", ";"):
        if sep in lang.strip():
            fixed = "+".join(part for part in re.split(r"[,; +]+", lang) if part)
            return _("ocr.lang is {lang!r}; join Tesseract's languages with '+', not {sep!r}: {fixed}.").format(
                lang=lang, sep=sep, fixed=fixed)
    codes = lang.split("+")
    if "" in codes:
        return _("ocr.lang is {lang!r}, with a '+' too many: {fixed}.").format(
            lang=lang, fixed="+".join(c for c in codes if c))
    for code in codes:
        if code in _TESSERACT_CODES:
            fixed = "+".join(_TESSERACT_CODES.get(c, c) for c in codes)
            return _("ocr.lang has {code!r}, not a Tesseract language code; use {suggested!r}: {fixed}.").format(
                code=code, suggested=_TESSERACT_CODES[code], fixed=fixed)
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*(/[A-Za-z][A-Za-z0-9_]*)?", code):
            return _("ocr.lang has {code!r}, not a Tesseract language code; use codes such as ind, eng or "
                     "chi_sim.").format(code=code)
    return None


def validate(settings: Settings) -> None:
    """Every check of a setting's value, in one place; raise ``ConfigError`` naming the key (a value
    given by a flag becomes a ``UsageError`` in ``load_settings``)."""
    problem = lang_problem(settings.ocr.lang)
    if problem:
        raise ConfigError(problem, key="ocr.lang")
    for (section, key), allowed in CHOICES.items():
        value = getattr(getattr(settings, section), key)
        if value not in allowed:
            raise ConfigError(
                _("Setting '{key}' is {value!r}; use one of {choices}.").format(
                    key=f"{section}.{key}", value=value, choices=", ".join(map(str, sorted(allowed)))),
                key=f"{section}.{key}")
    for key in ("file_mode", "dir_mode"):
        mode = getattr(settings.archive, key)
        if not re.fullmatch(r"0?[0-7]{3}", str(mode)):
            raise ConfigError(_("archive.{key} is {mode!r}; give octal permissions such as \"0640\" or "
                                "\"0750\".").format(key=key, mode=mode), key=f"archive.{key}")
    group = settings.restricted.group
    if group:
        import grp

        try:
            grp.getgrnam(group)
        except KeyError:
            raise ConfigError(_("restricted.group is {group!r}, a group this machine does not have; create it "
                                "(groupadd) or give an existing one, or \"\" for the owner alone.").format(group=group),
                              key="restricted.group") from None
    if settings.ingest.min_free_mb < 0:
        raise ConfigError(_("ingest.min_free_mb must be 0 or more, not {value}.").format(
            value=settings.ingest.min_free_mb), key="ingest.min_free_mb")
    if settings.archive.lock_wait < 0:
        raise ConfigError(_("archive.lock_wait (--wait) must be 0 seconds or more, not {value:g}.").format(
            value=settings.archive.lock_wait), key="archive.lock_wait")
    jobs = settings.ingest.jobs
    if jobs < 0:
        raise ConfigError(_("ingest.jobs must be 0 (one per CPU) or more, not {jobs}.").format(jobs=jobs),
                          key="ingest.jobs")
    pattern = settings.ingest.page_pattern
    try:
        regex = re.compile(pattern)
    except re.error as exc:
        raise ConfigError(_("ingest.page_pattern {pattern!r} is not a valid regular expression: {error}.").format(
            pattern=pattern, error=exc), key="ingest.page_pattern") from exc
    if not {"stem", "page"} <= set(regex.groupindex):
        raise ConfigError(_("ingest.page_pattern needs the named groups (?P<stem>...) and (?P<page>...)."),
                          key="ingest.page_pattern")
    if settings.index.backend not in INDEX_BACKENDS:
        raise ConfigError(_("Unknown index backend '{backend}' in index.backend; available: {available}.").format(
            backend=settings.index.backend, available=", ".join(INDEX_BACKENDS)), key="index.backend")


def _apply_file(values: dict[str, dict[str, Any]], path: Path, skip: tuple[str, ...] = ()) -> None:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(_("Cannot read config file {path}: {error}").format(path=path, error=exc)) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(_("Config file {path} is not valid TOML: {error}").format(path=path, error=exc)) from exc
    origin = (_("job file {path}") if "job" in skip else _("config file {path}")).format(path=path)
    for section, items in data.items():
        if section in skip:
            continue
        if not isinstance(items, dict):
            raise ConfigError(
                _("Config file {path}: '{section}' must be a [section] table; known sections: {sections}.").format(
                    path=path, section=section, sections=", ".join(_sections()))
            )
        for key, value in items.items():
            _set(values, section, key, value, origin=origin, base=path.parent)


def _sections() -> list[str]:
    return [f.name for f in dataclasses.fields(Settings) if f.name not in ("config_file", "sources")]


def effective(settings: Settings) -> list[tuple[str, Any, str]]:
    """Every setting as (``section.key``, value, where it came from), for ``digitize config show``."""
    rows = []
    for section in _sections():
        for item in dataclasses.fields(getattr(settings, section)):
            name = f"{section}.{item.name}"
            value = getattr(getattr(settings, section), item.name)
            rows.append((name, value, settings.sources.get(name, _("default"))))
    return rows


def _section_types() -> dict[str, type]:
    hints = typing.get_type_hints(Settings)
    return {section: hints[section] for section in _sections()}


def _set(values: dict[str, dict[str, Any]], section: str, key: str, value: Any, *, origin: str,
         base: Path) -> None:
    if section not in values:
        raise ConfigError(
            _("Unknown settings section '{section}' in {origin}; known: {sections}.").format(
                section=section, origin=origin, sections=", ".join(_sections()))
        )
    hints = typing.get_type_hints(_section_types()[section])
    if key not in hints:
        raise ConfigError(
            _("Unknown setting '{section}.{key}' in {origin}; known in [{section}]: {known}.").format(
                section=section, key=key, origin=origin, known=", ".join(hints))
        )
    values[section][key] = _coerce(value, hints[key], f"{section}.{key}", origin, base)
    _ORIGINS.set({**_ORIGINS.get(), f"{section}.{key}": origin})


def _coerce(value: Any, hint: Any, name: str, origin: str, base: Path) -> Any:
    args = typing.get_args(hint)
    if type(None) in args:  # Optional[X]
        if value is None or value == "":
            return None
        hint = next(a for a in args if a is not type(None))
    try:
        if hint is bool:
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in {"1", "true", "yes", "on"}:
                return True
            if text in {"0", "false", "no", "off"}:
                return False
            raise ValueError(_("expected true or false"))
        if hint is int:
            if isinstance(value, bool):
                raise ValueError(_("expected a whole number"))
            return int(value)
        if hint is float:
            return float(value)
        if hint is Path:
            path = Path(str(value)).expanduser()
            return path if path.is_absolute() else base / path
        if typing.get_origin(hint) is list:
            items = value.split(",") if isinstance(value, str) else list(value)
            return [str(item).strip() for item in items if str(item).strip()]
        if hint is str:
            if not isinstance(value, str):
                raise ValueError(_("expected text"))
            return value
    except (TypeError, ValueError) as exc:
        raise ConfigError(_("Bad value {value!r} for '{name}' in {origin}: {error}.").format(
            value=value, name=name, origin=origin, error=exc)) from exc
    raise ConfigError(_("Setting '{name}' has an unsupported type {hint!r}.").format(name=name, hint=hint))  # a bug
