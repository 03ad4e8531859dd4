"""Digitally signed PDFs (TTE, BSrE): find their signatures, report them, and make a copy OCR may rewrite.

A signed PDF is never rewritten: its bytes are what the signature covers. The pipeline keeps it
byte for byte beside the document and embeds it in the archived PDF/A-3, which is a rendition of
it: made from ``unsigned_copy``, a copy whose signature fields are gone (their visible appearance
drawn into the page), so OCRmyPDF neither refuses it (``DigitalSignatureError``) nor leaves a
signature in the rendition that no longer matches its bytes.

``read`` reports each signature with pyHanko: who signed (the certificate's common name), when,
the certificate's subject and issuer, and whether the bytes it signed are unchanged (``intact``).
No trust roots are configured, so ``trusted`` is left undecided (None); ``valid`` is the
cryptographic check of the signature over those bytes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pikepdf
from pikepdf import Name

_SIGNATURE_PERMISSIONS = ("/DocMDP", "/UR3", "/UR")


def is_signed(pdf: pikepdf.Pdf) -> bool:
    """Whether the PDF holds a filled signature field (or says it does: AcroForm ``/SigFlags`` bit 1)."""
    form = pdf.Root.get("/AcroForm")
    if form is None:
        return False
    if int(form.get("/SigFlags", 0)) & 1:
        return True
    return any(_is_signature(field) and "/V" in field for field in _fields(form.get("/Fields", [])))


def is_signed_file(path: Path) -> bool:
    try:
        with pikepdf.open(path) as pdf:
            return is_signed(pdf)
    except pikepdf.PdfError:
        return False  # an unreadable PDF: page preparation says what is wrong with it


def _fields(fields: Any) -> Iterator[pikepdf.Object]:
    for field in fields:
        yield field
        yield from _fields(field.get("/Kids", []))


def _is_signature(field: pikepdf.Object) -> bool:
    node: pikepdf.Object | None = field
    for _ in range(32):  # a field's /Parent chain (bounded: a damaged file may loop)
        if node is None:
            break
        if "/FT" in node:
            return bool(node.FT == Name.Sig)
        node = node.get("/Parent")
    return False


def unsigned_copy(source: Path, target: Path) -> Path:
    """Write ``source`` without its signatures to ``target``: each signature widget's appearance is
    drawn into its page, then the widgets, the signature fields and the signature permissions go."""
    with pikepdf.open(source) as pdf:
        for page in pdf.pages:
            annots = page.obj.get("/Annots")
            if annots is None:
                continue
            keep = pikepdf.Array()
            for annot in annots:
                if annot.get("/Subtype") == Name.Widget and _is_signature(annot):
                    _draw_appearance(page, annot)
                else:
                    keep.append(annot)
            page.obj[Name.Annots] = keep
        form = pdf.Root.get("/AcroForm")
        if form is not None:
            fields = pikepdf.Array([f for f in form.get("/Fields", []) if not _is_signature(f)])
            if len(fields):
                form.Fields = fields
                if "/SigFlags" in form:
                    del form["/SigFlags"]
            else:  # only signatures: no form left (PDF/A validation would not check one)
                del pdf.Root["/AcroForm"]
        perms = pdf.Root.get("/Perms")
        if perms is not None:
            for key in _SIGNATURE_PERMISSIONS:
                if key in perms:
                    del perms[key]
        pdf.save(target)
    return target


def _draw_appearance(page: pikepdf.Page, annot: pikepdf.Object) -> None:
    """The widget's normal appearance, drawn where it shows (nothing for a hidden or invisible one)."""
    hidden = int(annot.get("/F", 0)) & 2
    rect = [float(v) for v in annot.get("/Rect", [0, 0, 0, 0])]
    appearance = annot.AP.get("/N") if "/AP" in annot else None
    if hidden or not isinstance(appearance, pikepdf.Stream):
        return
    box = pikepdf.Rectangle(min(rect[0], rect[2]), min(rect[1], rect[3]), max(rect[0], rect[2]),
                            max(rect[1], rect[3]))
    if box.width <= 0 or box.height <= 0:
        return
    page.add_overlay(appearance, box)


def read(path: Path) -> list[dict[str, Any]]:
    """Every signature of the PDF, in signing order, as the metadata records it."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    found = []
    with path.open("rb") as handle, _quiet_pyhanko():
        reader = PdfFileReader(handle, strict=False)
        for signature in reader.embedded_signatures:
            found.append(_report(signature))
    return found


def _report(signature: Any) -> dict[str, Any]:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    entry: dict[str, Any] = {"field": str(signature.field_name)}  # a plain str: pyHanko's holds its reader
    try:
        status = validate_pdf_signature(signature, ValidationContext(trust_roots=[], allow_fetching=False))
    except Exception as exc:  # noqa: BLE001 - a malformed signature is reported, the document still archived
        return entry | _certificate(_safely(lambda: signature.signer_cert)) | {
            "signing_time": _iso(_safely(lambda: signature.self_reported_timestamp)), "intact": False,
            "valid": False, "error": f"{type(exc).__name__}: {exc}"}
    cert = status.signing_cert
    signed_at = status.signer_reported_dt or signature.self_reported_timestamp
    return entry | _certificate(cert) | {
        "signing_time": _iso(signed_at),
        "intact": bool(status.intact),  # the digest of the bytes it signed matches
        "valid": bool(status.valid),  # the signature over that digest checks with the certificate's key
        "trusted": None,  # no trust roots configured: not decided here
        "coverage": _name(status.coverage),  # ENTIRE_FILE, ENTIRE_REVISION (later updates), ...
        "modification_level": _name(getattr(status, "modification_level", None)),
        "timestamped": status.timestamp_validity is not None,
    }


def _safely(read: Any) -> Any:
    """What ``read()`` returns, or None when a damaged signature cannot say."""
    try:
        return read()
    except Exception:  # noqa: BLE001 - unreadable: reported as unknown
        return None


def _certificate(cert: Any) -> dict[str, Any]:
    """Signer (the subject's common name), subject and issuer (RFC 4514, e.g. ``CN=...,O=...,C=ID``), serial."""
    if cert is None:
        return {"signer": None, "certificate_subject": None, "certificate_issuer": None}
    from cryptography import x509

    parsed = x509.load_der_x509_certificate(cert.dump())
    common_names = parsed.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    return {
        "signer": str(common_names[0].value) if common_names else None,
        "certificate_subject": parsed.subject.rfc4514_string(),
        "certificate_issuer": parsed.issuer.rfc4514_string(),
        "certificate_serial": format(parsed.serial_number, "x"),
    }


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _name(value: Any) -> str | None:
    return value.name if value is not None else None


@contextmanager
def _quiet_pyhanko() -> Iterator[None]:
    """pyHanko logs a self-signed or untrusted signer at length (a traceback); the report says it instead."""
    loggers = [logging.getLogger(name) for name in ("pyhanko", "pyhanko_certvalidator")]
    propagate = [logger.propagate for logger in loggers]
    handler = logging.NullHandler()  # so that logging's last-resort handler does not print them either
    for logger in loggers:
        logger.addHandler(handler)
        logger.propagate = False
    try:
        yield
    finally:
        for logger, before in zip(loggers, propagate, strict=True):
            logger.removeHandler(handler)
            logger.propagate = before
