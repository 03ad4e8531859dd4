"""Built-in defaults shipped inside the package (read with importlib.resources).

``classes.toml``: the document types and rules of the rule-based classifier
(``digitize.stages.classify.default_rules_path``); ``kka.toml``: default archive
classification codes per type and the names of codes (``digitize.kka.default_config_path``).
An archive that wants its own copies points ``classify.rules`` / ``classify.kka`` at them.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def path(name: str) -> Path:
    """The file system path of the shipped default ``name`` (e.g. ``"classes.toml"``)."""
    return Path(str(resources.files(__name__).joinpath(name)))
