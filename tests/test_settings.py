import dataclasses
import json
from pathlib import Path

import pytest

import digitize
from digitize import kka
from digitize.errors import ConfigError, UsageError
from digitize.settings import Settings, load_settings
from digitize.stages.classify import default_rules_path, load_rules


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_any_config(tmp_path):
    settings = load_settings(env={"HOME": str(tmp_path / "home")}, cwd=tmp_path)
    assert settings.ocr.lang == "ind+eng"
    # never the current folder: the user's data folder
    assert settings.archive.path == tmp_path / "home" / ".local" / "share" / "digitize" / "archive"
    assert settings.sources["archive.path"].startswith("default")
    assert settings.config_file is None


def test_precedence_default_file_env_flag(tmp_path):
    config = write(tmp_path / "c" / "digitize.toml", '[ocr]\nlang = "ind"\n[ingest]\njobs = 3\n')
    assert load_settings(config, env={}, cwd=tmp_path).ocr.lang == "ind"
    env = {"DIGITIZE_OCR__LANG": "eng"}
    assert load_settings(config, env=env, cwd=tmp_path).ocr.lang == "eng"
    flags = {"ocr.lang": "ind+eng+osd", "ingest.jobs": None}
    settings = load_settings(config, env=env, overrides=flags, cwd=tmp_path)
    assert settings.ocr.lang == "ind+eng+osd"
    assert settings.ingest.jobs == 3  # a flag that was not given leaves the file's value


def test_the_current_folder_is_never_searched_for_a_config_but_the_users_folder_is(tmp_path):
    write(tmp_path / "config" / "digitize.toml", '[ocr]\nlang = "eng"\n')  # where a job happens to start
    home = tmp_path / "home"
    assert load_settings(env={"HOME": str(home)}, cwd=tmp_path).ocr.lang == "ind+eng"
    user = write(home / ".config" / "digitize" / "digitize.toml", '[archive]\npath = "../arsip"\n')
    settings = load_settings(env={"HOME": str(home)}, cwd=tmp_path)
    assert settings.config_file == user
    assert settings.archive.path == user.parent / ".." / "arsip"  # relative to the file
    assert settings.sources["archive.path"] == f"config file {user}"
    assert load_settings(env={"XDG_CONFIG_HOME": str(tmp_path / "none"), "HOME": str(home)}).config_file is None


def test_digitize_archive_and_config_environment(tmp_path):
    config = write(tmp_path / "x.toml", "[ocr]\ntimeout = 5\n")
    settings = load_settings(env={"DIGITIZE_CONFIG": str(config), "DIGITIZE_ARCHIVE": "/srv/arsip"}, cwd=tmp_path)
    assert settings.ocr.timeout == 5.0
    assert settings.archive.path == Path("/srv/arsip")


@pytest.mark.parametrize(
    "text, needle",
    [
        ("[ocr]\nlanguage = 'ind'\n", "ocr.language"),
        ("[orc]\nlang = 'ind'\n", "orc"),
        ("[ingest]\njobs = 'many'\n", "ingest.jobs"),
        ("[ocr\n", "not valid TOML"),
    ],
)
def test_bad_config_file_names_the_problem(tmp_path, text, needle):
    config = write(tmp_path / "bad.toml", text)
    with pytest.raises(ConfigError, match=needle.replace(".", r"\.")) as info:
        load_settings(config, env={}, cwd=tmp_path)
    assert str(config) in str(info.value)


def test_unknown_environment_key_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="DIGITIZE_OCR__LANGUAGE"):
        load_settings(env={"DIGITIZE_OCR__LANGUAGE": "ind"}, cwd=tmp_path)


def test_boolean_and_list_from_environment(tmp_path):
    env = {"DIGITIZE_INGEST__FOLLOW_SYMLINKS": "yes", "DIGITIZE_INGEST__EXTENSIONS": ".png, .jpg"}
    settings = load_settings(env=env, cwd=tmp_path)
    assert settings.ingest.follow_symlinks is True
    assert settings.ingest.extensions == [".png", ".jpg"]


def test_missing_config_file_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "nope.toml", env={}, cwd=tmp_path)


def test_shipped_config_is_valid():
    repo = Path(__file__).resolve().parents[1]
    settings = load_settings(repo / "config" / "digitize.toml", env={}, cwd=repo)
    assert isinstance(settings, Settings)
    # the shipped config uses the rules and KKA scheme built into the package
    assert settings.classify.rules is None and settings.classify.kka is None
    assert load_rules(settings.classify.rules).types
    assert kka.load_scheme(settings.classify.kka, settings.classify.kka_scheme).defaults


def test_built_in_rules_and_kka_are_package_data():
    package = Path(digitize.__file__).resolve().parent
    assert default_rules_path() == package / "defaults" / "classes.toml"
    assert kka.default_config_path() == package / "defaults" / "kka.toml"
    assert default_rules_path().is_file() and kka.default_config_path().is_file()


def test_own_rules_and_kka_files_relative_to_the_config_file(tmp_path):
    config = write(tmp_path / "c" / "digitize.toml", '[classify]\nrules = "classes.toml"\nkka = "my/kka.toml"\n')
    write(tmp_path / "c" / "classes.toml", default_rules_path().read_text(encoding="utf-8").replace(
        'label = "Nota Dinas"', 'label = "Nota Dinas (ours)"'))
    write(tmp_path / "c" / "my" / "kka.toml", '[defaults]\nnota_dinas = "045.1"\n')
    settings = load_settings(config, env={}, cwd=tmp_path)
    assert settings.classify.rules == tmp_path / "c" / "classes.toml"
    assert load_rules(settings.classify.rules).labels()["nota_dinas"] == "Nota Dinas (ours)"
    assert kka.load_scheme(settings.classify.kka).infer("nota_dinas") == "045.1"


@pytest.mark.parametrize(
    "overrides, needle",
    [
        ({"ingest.jobs": -1}, "ingest.jobs must be 0 (one per CPU) or more, not -1."),
        ({"ingest.page_pattern": "(unclosed"}, "is not a valid regular expression"),
        ({"ingest.page_pattern": r"(\d+)"}, "needs the named groups (?P<stem>...) and (?P<page>...)."),
        ({"index.backend": "elastic"}, "Unknown index backend 'elastic' in index.backend; available: tantivy, whoosh."),
        ({"ingest.group": "pages"}, "Setting 'ingest.group' is 'pages'"),
        ({"ocr.lang": "id"}, "ocr.lang has 'id', not a Tesseract language code; use 'ind': ind."),
        ({"ocr.lang": "ind,eng"}, "ocr.lang is 'ind,eng'; join Tesseract's languages with '+', not ',': ind+eng."),
        ({"ocr.lang": "id+en"}, "use 'ind': ind+eng."),
        ({"ocr.lang": ""}, "ocr.lang is empty; give Tesseract's language codes joined by '+', such as ind+eng."),
        ({"ocr.lang": "ind++eng"}, "with a '+' too many: ind+eng."),
        ({"ocr.lang": "deu-frak"}, "'deu-frak', not a Tesseract language code"),
    ],
)
def test_bad_values_are_config_errors_in_a_file_and_usage_errors_from_a_flag(tmp_path, overrides, needle):
    with pytest.raises(UsageError) as info:  # the flag's value: exit 2, before anything is written
        load_settings(env={}, overrides=overrides, cwd=tmp_path)
    assert needle in str(info.value) and info.value.exit_code == 2
    ((dotted, value),) = overrides.items()
    section, _, key = dotted.partition(".")
    config = tmp_path / "digitize.toml"
    config.write_text(f"[{section}]\n{key} = {json.dumps(value)}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(config, env={}, cwd=tmp_path)
    assert needle in str(info.value) and info.value.exit_code == 3 and info.value.key == dotted


@pytest.mark.parametrize("lang", ["ind+eng", "ind", "eng+ind+osd", "chi_sim+eng", "script/Latin"])
def test_good_language_lists_pass(tmp_path, lang):
    assert load_settings(env={}, overrides={"ocr.lang": lang}, cwd=tmp_path).ocr.lang == lang


def test_settings_are_frozen_and_copied_with_replace(tmp_path):
    settings = load_settings(env={}, overrides={"ocr.lang": "ind"}, cwd=tmp_path)
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.ocr.lang = "eng"
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.config_file = tmp_path / "x.toml"
    copy = dataclasses.replace(settings, ocr=dataclasses.replace(settings.ocr, lang="eng"))
    assert (copy.ocr.lang, settings.ocr.lang) == ("eng", "ind")
