import pytest

from digitize.stages.extract import extract_fields, find_date, make_title


@pytest.mark.parametrize(
    "text, iso",
    [
        ("Sentani, 25 Oktober 2023", "2023-10-25"),
        ("Jambi, 2 Pebruari 2021", "2021-02-02"),
        ("ditetapkan di Merauke pada tanggal 7 Nopember 2019", "2019-11-07"),
        ("Sentani, 25 Okt 2023", "2023-10-25"),
        ("Nomor : 12/BKD/2023\n\n25 Oktober 2023\nLampiran : -", "2023-10-25"),  # a date alone on its line
    ],
)
def test_indonesian_dates(text, iso):
    assert find_date([text])[0] == iso


def test_no_date_of_its_own_is_none_not_another_date():
    # an event's date, a cited letter's date or an impossible date is not the letter's (issue 11: never invent)
    assert find_date(["Rapat tanggal 25 Okt 2023"]) is None
    assert find_date(["Menunjuk surat Nomor 1/2023 tanggal 3 Maret 2023 perihal rapat"]) is None
    assert find_date(["Sentani, 31 Februari 2023"]) is None
    invitation = "Hari/Tanggal : Selasa, 18 April 2023\nTanggal : 18 April 2023\nPukul : 09.00 WIT\nTempat : Aula"
    assert find_date([invitation]) is None


def test_place_and_date_line_wins_over_an_earlier_date():
    pages = ["Menurut surat tanggal 1 Januari 2020 ...\nSentani, 25 Oktober 2023\n"]
    assert find_date(pages) == ("2023-10-25", 1)


def test_fields_with_pages():
    pages = ["kop", "Nomor : 800/123/BKPSDM/2023\nPerihal : Undangan Rapat Koordinasi\nSentani, 5 Mei 2023"]
    fields = extract_fields(pages)
    assert (fields["nomor"]["value"], fields["nomor"]["page"]) == ("800/123/BKPSDM/2023", 2)
    assert (fields["perihal"]["value"], fields["perihal"]["page"]) == ("Undangan Rapat Koordinasi", 2)
    assert (fields["tanggal"]["value"], fields["tanggal"]["page"]) == ("2023-05-05", 2)
    assert all(0 < fields[name]["confidence"] <= 1 for name in ("nomor", "perihal", "tanggal"))
    assert make_title(pages, fields, "Surat Undangan") == "Undangan Rapat Koordinasi"


def test_nomor_tahun_form():
    fields = extract_fields(["KEPUTUSAN BUPATI\nNOMOR 23 TAHUN 2023\nTENTANG"])
    assert fields["nomor"]["value"] == "23 TAHUN 2023"
    assert make_title(["x"], fields, "Surat Keputusan") == "Surat Keputusan 23 TAHUN 2023"


def test_no_date():
    assert find_date(["tanpa tanggal"]) is None
