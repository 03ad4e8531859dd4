from pathlib import Path

import pytest

from digitize import kka
from digitize.errors import ConfigError

from .conftest import REPO

SCHEME_CSV = REPO.parent / "shared" / "reference" / "kka" / "kode-klasifikasi-arsip-permendagri-78-2012.csv"


@pytest.fixture
def permendagri78() -> Path:
    if not SCHEME_CSV.is_file():
        pytest.skip(f"KKA scheme not found at {SCHEME_CSV}: these tests read ../shared/reference/kka in place")
    return SCHEME_CSV


@pytest.mark.parametrize(
    "code, parent",
    [("001.31", "001.3"), ("001.3", "001"), ("045", "040"), ("040", "000"), ("005", "000"), ("821", "820"),
     ("820", "800"), ("800", None), ("000", None), ("188.342", "188.34"), ("KP.07.6", None)],
)  # fmt: skip
def test_parent_code_follows_the_shape_of_the_code(code, parent):
    assert kka.parent_code(code) == parent


def test_shipped_config_labels_main_codes_without_a_scheme_file():
    scheme = kka.load_scheme()
    assert scheme.label("000") == "UMUM"
    assert scheme.label("900") == "KEUANGAN"
    assert scheme.label("821") == "KEPEGAWAIAN"  # walks up to the listed main code
    assert scheme.label("045.2") == "Kearsipan"
    assert scheme.infer("surat_undangan") == "005"
    assert scheme.infer("nota_dinas") is None  # classified by subject: no default
    assert scheme.label("abc") is None


def test_code_from_the_nomor_wins_over_the_type_default():
    scheme = kka.load_scheme()
    fields = {"kka": {"value": "800", "page": 1, "confidence": 0.85, "source": "nomor"}}
    assert scheme.resolve(fields, "surat_undangan") == {
        "value": "800", "page": 1, "confidence": 0.85, "source": "nomor", "label": "KEPEGAWAIAN"
    }
    assert scheme.resolve({}, "surat_undangan") == {"value": "005", "source": "type", "confidence": 0.5,
                                                     "label": "Undangan"}  # fmt: skip
    assert scheme.resolve({}, "laporan") is None
    assert scheme.resolve({}, None) is None


def test_full_permendagri_78_scheme_read_in_place(permendagri78):
    scheme = kka.load_scheme(csv_path=permendagri78)
    assert len(scheme.entries) > 2000
    assert scheme.lookup("005").name == "Undangan"
    assert scheme.lookup("045.36").name == "Berita Acara Penyusutan Arsip"
    assert scheme.lookup("045.99").code == "045"  # unlisted: nearest listed parent
    assert scheme.lookup("813").name == "Pengangkatan Calon Pegawai"
    assert scheme.label("503") == "Perizinan"  # the toml's name overrides the transcription's typo
    assert scheme.lookup("800").description.startswith("Klasifikasi")
    for code in scheme.defaults.values():
        assert code in scheme.entries, f"default code {code} is not in the scheme"


def test_scheme_named_in_the_toml_is_read_relative_to_it(tmp_path):
    (tmp_path / "scheme.csv").write_text("kode,nama\n000,UMUM\n045,Kearsipan\n045.1,Sub\n045.1,Dup\n", encoding="utf-8")
    (tmp_path / "kka.toml").write_text('scheme = "scheme.csv"\n[defaults]\narsip = "045.1"\n', encoding="utf-8")
    scheme = kka.load_scheme(tmp_path / "kka.toml")
    assert scheme.label("045.1") == "Sub"  # the first row of a duplicated code wins
    assert scheme.resolve({}, "arsip")["label"] == "Sub"


@pytest.mark.parametrize(
    "toml, message",
    [('[defaults]\nx = "5"\n', "not a code"), ("unknown = 1\n", "unknown key"), ("[defaults\n", "Cannot read")],
)
def test_bad_settings_are_config_errors(tmp_path, toml, message):
    path = tmp_path / "kka.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        kka.load_scheme(path)


def test_scheme_csv_needs_kode_and_nama(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("code,name\n000,UMUM\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="kode,nama"):
        kka.read_csv(path)
