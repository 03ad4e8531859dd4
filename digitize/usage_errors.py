"""click's usage errors in the user's language.

typer's copy of click writes its messages in English only (it has no gettext), so a usage error
is read back by its shape and told again from the catalog: "Missing argument 'INBOX'.", "No
such option: --jobz (Possible options: --jobs, --json)", "Invalid value for '--jobs' / '-j': 'x'
is not a valid int." and the rest below. A message of another shape is shown as click wrote it.
In English the result is click's text itself.
"""

from __future__ import annotations

import re

from digitize.i18n import N_, _

# (click's message, the template that tells it again): the names of the groups are the placeholders
_WHOLE = [
    (r"Missing argument '(?P<name>[^']+)'\.", N_("Missing argument '{name}'.")),
    (r"Missing option '(?P<name>[^']+)'\.", N_("Missing option '{name}'.")),
    (r"No such option: (?P<option>\S+) \(Possible options: (?P<options>[^)]*)\)",
     N_("No such option: {option} (Possible options: {options})")),
    (r"No such option: (?P<option>\S+)", N_("No such option: {option}")),
    (r"No such command '(?P<name>[^']+)'\. Did you mean (?P<suggestions>.+)\?",
     N_("No such command '{name}'. Did you mean {suggestions}?")),
    (r"No such command '(?P<name>[^']+)'\.", N_("No such command '{name}'.")),
    (r"Option '(?P<option>[^']+)' requires an argument\.", N_("Option '{option}' requires an argument.")),
    (r"Option '(?P<option>[^']+)' does not take a value\.", N_("Option '{option}' does not take a value.")),
    (r"Got unexpected extra arguments? \((?P<arguments>.*)\)", N_("Got unexpected extra argument(s) ({arguments})")),
    (r"Invalid value for (?P<name>.+?): (?P<detail>.+)", N_("Invalid value for {name}: {detail}")),
]
# what was wrong with a value (the detail of "Invalid value for ...")
_DETAIL = [
    (r"Directory '(?P<path>.*)' does not exist\.", N_("Directory '{path}' does not exist.")),
    (r"File '(?P<path>.*)' does not exist\.", N_("File '{path}' does not exist.")),
    (r"Path '(?P<path>.*)' does not exist\.", N_("Path '{path}' does not exist.")),
    (r"Directory '(?P<path>.*)' is a file\.", N_("Directory '{path}' is a file.")),
    (r"File '(?P<path>.*)' is a directory\.", N_("File '{path}' is a directory.")),
    (r"(?P<value>'.*') is not a valid int\.", N_("{value} is not a valid int.")),
    (r"(?P<value>'.*') is not a valid float\.", N_("{value} is not a valid float.")),
    (r"(?P<value>'.*') is not a valid boolean\..*", N_("{value} is not a valid boolean.")),
    (r"(?P<value>'.*') is not one of (?P<choices>.+)\.", N_("{value} is not one of {choices}.")),
]


def _told(message: str, table: list[tuple[str, str]]) -> str | None:
    for pattern, template in table:
        found = re.fullmatch(pattern, message, flags=re.S)
        if found is None:
            continue
        values = found.groupdict()
        if "detail" in values:
            values["detail"] = _told(values["detail"], _DETAIL) or values["detail"]
        return _(template).format(**values)
    return None


def translated(message: str) -> str:
    """click's usage-error ``message`` in the active language (as it is when its shape is unknown)."""
    return _told(message, _WHOLE) or message


def usage_line(path: str, message: str) -> str:
    """The one line of a usage error: the command, what is wrong, where the help is."""
    return _("{command}: error: {message} (see `{command} --help`)").format(command=path, message=translated(message))
