"""Image files (JPEG, PNG, TIFF, HEIF): decode every frame, within the limits, and hand it to the builder."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from digitize.errors import DocumentError
from digitize.i18n import _
from digitize.models import SourceFile
from digitize.settings import PagesSettings
from digitize.stages.pages.limits import _credible_dpi, _too_large, _too_many_pages, _too_small

if TYPE_CHECKING:
    from digitize.stages.pages.builder import _Builder

_EXIF_ORIENTATION = 0x0112


def _add_image(builder: _Builder, source: SourceFile, settings: PagesSettings) -> None:
    with opened(source, settings) as img:
        _add_frames(builder, source, img, settings)


@contextmanager
def opened(source: SourceFile, settings: PagesSettings) -> Iterator[Image.Image]:
    """The image file open, within Pillow's size guard; what goes wrong decoding it inside the block
    becomes the one-line ``too-large`` or ``corrupt`` error that names the file."""
    if source.kind == "heif":
        import pillow_heif  # registered on first use only

        pillow_heif.register_heif_opener()
    Image.MAX_IMAGE_PIXELS = int(settings.max_megapixels * 1e6)  # Pillow's own guard, for formats it checks
    try:
        with Image.open(source.path) as img:
            yield img
    except Image.DecompressionBombError as exc:
        raise DocumentError("too-large", _("{file}: image is too large to process safely ({error}).")
                            .format(file=source.rel, error=exc)) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise DocumentError(
            "corrupt",
            _("{file}: image cannot be decoded ({error}); the file is damaged or truncated, scan it again.")
            .format(file=source.rel, error=_named(exc, source)),
        ) from exc


def _named(exc: BaseException, source: SourceFile) -> str:
    """The decoder's words, naming the inbox file rather than the worker's scratch copy of it."""
    return str(exc).replace(str(source.path), source.rel)


def _add_frames(builder: _Builder, source: SourceFile, img: Image.Image, settings: PagesSettings) -> None:
    """Every frame of the open image ``img`` as a page, after checking the file's page count and size."""
    frames = frame_count(source, img, settings)
    for number, frame in enumerate(ImageSequence.Iterator(img), start=1):
        _add_frame(builder, source, frame, number, frames == 1, settings)


def frame_count(source: SourceFile, img: Image.Image, settings: PagesSettings) -> int:
    """The open image's frames (pages), after checking the page count and size limits."""
    frames = getattr(img, "n_frames", 1)
    problem = _too_many_pages(source, frames, settings) or _too_large(source, img.size, settings, _("the image"))
    if problem:
        raise problem
    return frames


def _add_frame(builder: _Builder, source: SourceFile, frame: Image.Image, number: int, alone: bool,
               settings: PagesSettings) -> None:
    """Frame ``number`` as a page: the file's own data when it is the file's only frame and the PDF/A can hold it."""
    where = _("page {number}").format(number=number)
    problem = _too_large(source, frame.size, settings, where) or _too_small(source, frame.size, where)
    if problem:
        raise problem
    dpi = _credible_dpi(frame.info, settings)
    orientation_tag = frame.getexif().get(_EXIF_ORIENTATION, 1) if source.kind == "jpeg" else 1
    frame.load()  # decode now so truncated data fails here, inside the error handler
    passthrough = alone and _can_pass_through(source.kind, frame, orientation_tag)
    image = frame if passthrough else _normalise(ImageOps.exif_transpose(frame) if orientation_tag > 1 else frame)
    builder.add(image, dpi, "image", source, number, original=source.path if passthrough else None)


def _can_pass_through(kind: str, frame: Image.Image, orientation_tag: int) -> bool:
    """Whether the PDF/A can hold the file's own data for ``frame``, as it is."""
    if kind == "jpeg":
        return orientation_tag in (0, 1) and frame.mode in ("L", "RGB")
    return kind in ("png", "tiff") and frame.mode in ("1", "L", "RGB", "P") and "transparency" not in frame.info


def _normalise(image: Image.Image) -> Image.Image:
    """Modes OCRmyPDF and PDF/A accept: 1, L or RGB; alpha flattened onto white."""
    if image.mode in ("1", "L", "RGB"):
        return image
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        return image.point(lambda v: v / 256).convert("L")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")
