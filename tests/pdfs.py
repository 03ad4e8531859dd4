"""Born-digital PDFs for tests: text in an embedded font on every page, and signed copies of them.

The font is the Noto Sans OCRmyPDF ships, embedded, so the PDF can become PDF/A
without Ghostscript embedding fonts. Signing uses a self-signed certificate made here (pyHanko's
``SimpleSigner``): no trust roots, no network.
"""

from __future__ import annotations

import datetime
import functools
from pathlib import Path

import pikepdf

_FIRST, _LAST = 32, 126


def _font(pdf: pikepdf.Pdf) -> pikepdf.Object:
    data, widths, bbox, ascent, descent = _font_program()
    descriptor = pikepdf.Dictionary(
        Type=pikepdf.Name.FontDescriptor, FontName=pikepdf.Name("/NotoSans-Regular"), Flags=32, FontBBox=bbox,
        ItalicAngle=0, Ascent=ascent, Descent=descent, CapHeight=714, StemV=80, FontFile2=pdf.make_stream(data))
    return pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.TrueType, BaseFont=pikepdf.Name("/NotoSans-Regular"),
        FirstChar=_FIRST, LastChar=_LAST, Widths=widths, Encoding=pikepdf.Name.WinAnsiEncoding,
        FontDescriptor=pdf.make_indirect(descriptor)))


@functools.cache
def _font_program() -> tuple[bytes, list[int], list[int], int, int]:
    """Noto Sans (embedded whole: subsetting it costs seconds): (font program, widths of the printable
    ASCII characters, bbox, ascent, descent) in PDF units."""
    import ocrmypdf
    from fontTools.ttLib import TTFont

    path = Path(ocrmypdf.__file__).parent / "data" / "NotoSans-Regular.ttf"
    font = TTFont(path, lazy=True)
    scale = 1000 / font["head"].unitsPerEm
    cmap, metrics = font.getBestCmap(), font["hmtx"].metrics
    widths = [round(metrics[cmap[c]][0] * scale) if c in cmap else 0 for c in range(_FIRST, _LAST + 1)]
    head, hhea = font["head"], font["hhea"]
    bbox = [round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)]
    return path.read_bytes(), widths, bbox, round(hhea.ascent * scale), round(hhea.descent * scale)


def text_pdf(path: Path, pages: list[list[str]]) -> Path:
    """An A4 PDF with these lines of text on its pages, in an embedded font (a born-digital document)."""
    pdf = pikepdf.new()
    font = _font(pdf)
    for lines in pages:
        pdf.add_blank_page(page_size=(595, 842))
        page = pdf.pages[-1]
        page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        body = b"".join(b"(" + line.encode("ascii").replace(b"(", b"\\(").replace(b")", b"\\)") + b") Tj T* "
                        for line in lines)
        page.Contents = pdf.make_stream(b"BT /F1 12 Tf 16 TL 72 770 Td " + body + b"ET")
    pdf.save(path, compress_streams=False)  # the text stays readable in the file: tests change it
    return path


@functools.cache
def certificate(name: str = "Budi Santoso"):
    """A self-signed signing certificate for ``name`` and its key, as pyHanko's ``SimpleSigner``."""
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Pemerintah Provinsi Contoh"),
        x509.NameAttribute(NameOID.COMMON_NAME, name),
    ])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=365))
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
            .sign(key, hashes.SHA256()))
    signing_cert = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    signing_key = asn1_keys.PrivateKeyInfo.load(key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return signers.SimpleSigner(signing_cert=signing_cert, signing_key=signing_key,
                                cert_registry=SimpleCertificateStore.from_certs([signing_cert]))


def sign(unsigned: Path, signed: Path, name: str = "Budi Santoso", visible: bool = False) -> Path:
    """``unsigned`` signed by a self-signed certificate for ``name`` (a TTE-like signature), written to
    ``signed``; ``visible``: with pyHanko's stamp at the bottom right of page 1."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    spec = fields.SigFieldSpec("Signature1", box=(300, 100, 550, 180)) if visible else None
    with unsigned.open("rb") as handle:
        writer = IncrementalPdfFileWriter(handle)
        out = signers.sign_pdf(writer, signers.PdfSignatureMetadata(field_name="Signature1", reason="TTE"),
                               signer=certificate(name), new_field_spec=spec)
    signed.write_bytes(out.getvalue())
    return signed


def tamper(signed: Path, tampered: Path, old: bytes = b"Nomor", new: bytes = b"Nomer") -> Path:
    """``signed`` with a few bytes of its page text changed inside the signed range (same length)."""
    data = signed.read_bytes()
    assert len(old) == len(new) and data.count(old) >= 1
    tampered.write_bytes(data.replace(old, new, 1))
    return tampered
