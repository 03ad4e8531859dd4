"""digitize eval --fields: reading the CSV and scoring type and fields (fast; fake documents, fake OCR)."""

import csv
import json
from pathlib import Path

import pytest

from digitize.errors import ConfigError
from digitize.evaluate_fields import (
    FIELD_NAMES,
    ExpectedDocument,
    FieldsEvaluation,
    read_expected,
    score_document,
    type_status,
    word_recall,
)
from digitize.models import Classification, DocumentResult
from tests.conftest import make_page
from tests.fakes import FakeEngine

COLUMNS = ["file", "pages", "capture", "doc_type", "nomor_as_printed", "nomor_normalized", "tanggal",
           "tanggal_as_printed", "perihal", "sifat", "lampiran", "issuer", "signer_title", "nip_signer", "notes"]
EXPECTED = {
    "nomor": "800/123/DINKES/2023",
    "tanggal": "2023-10-25",
    "perihal": "Undangan Rapat Koordinasi Program Imunisasi",
    "sifat": "Segera",
    "lampiran": "1 (satu) berkas",
    "issuer": "PEMERINTAH KABUPATEN JEPARA / DINAS KESEHATAN",
    "signer_title": "KEPALA DINAS KESEHATAN KABUPATEN JEPARA,",
    "nip_signer": "196909151997032005",
}
LETTER = """PEMERINTAH KABUPATEN JEPARA
DINAS KESEHATAN
Jalan Kartini 1 Jepara

Jepara, 25 Oktober 2023
Nomor : 800/123/DINKES/2023
Sifat : Segera
Lampiran : 1 (satu) berkas
Perihal : Undangan Rapat Koordinasi Program Imunisasi

Dengan hormat, kami mengundang Saudara untuk hadir.

KEPALA DINAS KESEHATAN
KABUPATEN JEPARA,

dr. MUDRIKATUN, M.M.Kes
NIP. 19690915 199703 2 005
"""


def expected(doc_type="surat_undangan", **values) -> ExpectedDocument:
    return ExpectedDocument(Path("x.pdf"), "x.pdf", doc_type, {**dict.fromkeys(FIELD_NAMES, ""), **values})


def found_doc(kind="surat_undangan", **fields) -> DocumentResult:
    return DocumentResult(
        doc_id="d", sources=(), pdf=b"", pages=[], classification=Classification(kind, 0.9),
        fields=fields, title="", date=None, ocr_info={}, stage_seconds={},
    )


def value(text, **extra):
    return {"value": text, "page": 1, "confidence": 0.9, **extra}


# --- scoring rules -----------------------------------------------------------------------


def test_a_wrong_value_counts_as_wrong_not_missing():
    score = score_document(expected(nomor="800/123/DINKES/2023", tanggal="2023-10-25"),
                           found_doc(nomor=value("800/124/DINKES/2023")))
    assert score.fields["nomor"].status == "wrong"
    assert score.fields["nomor"].found == "800/124/DINKES/2023"
    assert score.fields["nomor"].expected == "800/123/DINKES/2023"
    assert score.fields["tanggal"].status == "missing"
    evaluation = FieldsEvaluation([score])
    assert (evaluation.tally("nomor").wrong, evaluation.tally("nomor").missing) == (1, 0)
    assert (evaluation.tally("tanggal").wrong, evaluation.tally("tanggal").missing) == (0, 1)
    assert [(file, r.name) for file, r in evaluation.wrong_values()] == [("x.pdf", "nomor")]


def test_every_field_right_with_its_rule():
    doc = found_doc(
        nomor=value("800 / 123 / dinkes / 2023"),  # spaces and case do not matter
        tanggal=value("2023-10-25"),
        perihal=value("Undangan Rapat Koordinasi Program"),  # 4 of 5 words: 80 %
        sifat=value("SEGERA"),
        lampiran=value("1  (Satu) Berkas"),
        instansi=value("Pemerintah Kabupaten Jepara / Dinas Kesehatan", unit="Dinas Kesehatan"),
        jabatan=value("Kepala Dinas Kesehatan Kabupaten Jepara"),
        penandatangan=value("dr. X", nip="196909151997032005"),
    )
    score = score_document(expected(**EXPECTED), doc)
    assert {name: r.status for name, r in score.fields.items()} == dict.fromkeys(FIELD_NAMES, "right")
    assert score.fields["perihal"].recall == 0.8
    assert FieldsEvaluation([score]).overall.rate == 1.0


def test_word_rule_below_80_percent_is_wrong_and_shows_the_recall():
    score = score_document(expected(perihal="Undangan Rapat Koordinasi Program Imunisasi"),
                           found_doc(perihal=value("Undangan Rapat")))
    assert score.fields["perihal"].status == "wrong" and score.fields["perihal"].recall == 0.4
    assert word_recall("Bantuan/Asistensi Sosial", "bantuan asistensi, SOSIAL") == 1.0


def test_nip_is_the_signers_only():
    doc = found_doc(nip=[value("196909151997032005")], penandatangan=value("X"))
    score = score_document(expected(nip_signer="196909151997032005"), doc)
    assert score.fields["nip_signer"].status == "missing"
    doc = found_doc(penandatangan=value("X", nip="196909151997032006"))
    assert score_document(expected(nip_signer="196909151997032005"), doc).fields["nip_signer"].status == "wrong"


def test_empty_expectation_is_not_scored_except_an_invented_date():
    score = score_document(expected(), found_doc(tanggal=value("2017-04-01"), sifat=value("Biasa")))
    assert score.fields["tanggal"].status == "invented"
    assert score.fields["sifat"].status == "unscored"
    evaluation = FieldsEvaluation([score])
    assert evaluation.overall.scored == 0 and evaluation.overall.invented == 1
    assert evaluation.tally("tanggal").invented == 1


def test_type_rules():
    assert type_status("surat_dinas", "surat_dinas") == "right"
    assert type_status("surat_dinas", "unclassified") == "unclassified"
    assert type_status("surat_dinas", "surat_undangan") == "wrong"
    assert type_status("other:surat_pengantar", "lainnya") == "right"
    assert type_status("other:surat_pengantar", "surat_pengantar") == "right"
    assert type_status("other:surat_pengantar", "unclassified") == "unclassified"
    assert type_status("other:surat_pengantar", "surat_dinas") == "wrong"


def test_a_failed_document_is_refused_with_all_fields_missing():
    score = score_document(expected(tanggal="2023-10-25", nomor="1/2"), None, error="x.pdf: broken")
    assert score.type_status == "refused" and score.found_type is None
    assert score.fields["nomor"].status == score.fields["tanggal"].status == "missing"
    assert score.fields["perihal"].status == "unscored"
    evaluation = FieldsEvaluation([score, score_document(expected(), found_doc("surat_dinas"))])
    assert evaluation.refused == 1 and evaluation.types["wrong"] == 1
    assert evaluation.confusion == [("surat_undangan", "refused", 1), ("surat_undangan", "surat_dinas", 1)]
    data = evaluation.as_json()
    assert data["type"]["refused"] == 1 and data["overall"]["missing"] == 2 and data["overall"]["exit_code"] == 0


# --- the CSV -------------------------------------------------------------------------------


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
    return path


def test_read_expected_resolves_paths_and_checks_values(tmp_path):
    make_page(tmp_path / "a.png")
    rows = read_expected(write_csv(tmp_path / "docs.csv", [
        {"file": "a.png", "doc_type": "surat_dinas", "nomor_as_printed": "1 / 2", "nomor_normalized": "1/2",
         "tanggal": "2023-10-25"},
    ]))
    (row,) = rows
    assert row.path == tmp_path / "a.png" and row.values["nomor"] == "1/2" and row.values["perihal"] == ""
    with pytest.raises(ConfigError, match="line 2.*not an ISO date"):
        read_expected(write_csv(tmp_path / "bad.csv", [{"file": "a.png", "doc_type": "x", "tanggal": "25-10-2023"}]))
    with pytest.raises(ConfigError, match="line 2.*missing.png not found"):
        read_expected(write_csv(tmp_path / "gone.csv", [{"file": "missing.png", "doc_type": "x"}]))
    (tmp_path / "nohead.csv").write_text("path,type\na.png,x\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="no column file, doc_type"):
        read_expected(tmp_path / "nohead.csv")


# --- the command ---------------------------------------------------------------------------


def test_eval_fields_command(tmp_path, capsys, monkeypatch):
    from digitize.cli import main
    from digitize.stages import ocr

    make_page(tmp_path / "letter.png")
    make_page(tmp_path / "blank.png")
    monkeypatch.setattr(ocr, "_ENGINES", {"tesseract": lambda: FakeEngine({"letter.png": [LETTER]},
                                                                          fail={"blank.png": "ocr-failed"})})
    monkeypatch.chdir(tmp_path)
    right = {"file": "letter.png", "doc_type": "surat_undangan", "nomor_normalized": EXPECTED["nomor"],
             "tanggal": EXPECTED["tanggal"], "perihal": EXPECTED["perihal"],
             "sifat": "Biasa"}  # printed: Segera, so found but wrong
    failed = {"file": "blank.png", "doc_type": "surat_dinas", "nomor_normalized": "9/9"}
    table = write_csv(tmp_path / "docs.csv", [right, failed])

    def run(*args):
        with pytest.raises(SystemExit) as info:
            main(["eval", *args])
        return info.value.code, *capsys.readouterr()

    code, out, _ = run("--fields", str(table), "--jobs", "1", "--json")
    assert code == 0  # failures are measured, not errors
    data = json.loads(out)
    letter, blank = data["documents"]
    assert letter["fields"]["nomor"]["status"] == "right"
    assert letter["fields"]["tanggal"]["status"] == "right"
    assert letter["fields"]["sifat"] == {"status": "wrong", "expected": "Biasa", "found": "Segera"}
    assert blank["type"]["status"] == "refused" and blank["fields"]["nomor"]["status"] == "missing"
    assert data["fields"]["sifat"]["wrong"] == 1 and data["overall"]["refused"] == 1

    code, out, _ = run("--fields", str(table), "--jobs", "1")
    assert code == 0 and "letter" in out and "per field" in out and "'Segera' | 'Biasa'" in out

    code, _, err = run("--fields", str(write_csv(tmp_path / "gone.csv", [{"file": "no.png", "doc_type": "x"}])))
    assert code == 3 and "no.png" in err
    code, _, _ = run("--fields", str(table), str(tmp_path / "letter.png"))
    assert code == 2  # FILES with --fields
