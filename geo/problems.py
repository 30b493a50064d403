"""A problem found in a data file: which file, which row, which field, and what is wrong."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One finding of the validator.

    ``row`` is the spreadsheet row (header = row 1, first data row = row 2), or ``None`` for a file-level
    problem; ``field`` is the column name or ``None``. ``severity`` is ``"error"`` (the row is rejected) or
    ``"warning"`` (the row is kept). ``code`` names the kind of problem and ``params`` holds the values its
    text needs (as strings), so the UI can show the message in the interface language (i18n key
    ``validate.<code>``, formatted with ``params``); ``message`` stays the English text (CLI, logs).
    """

    file: str
    row: int | None
    field: str | None
    message: str
    severity: str = "error"
    code: str = ""
    params: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f":row {self.row}"
        if self.field:
            where += f":{self.field}"
        return f"{where}: {self.severity}: {self.message}"

    @property
    def param_dict(self) -> dict[str, str]:
        return dict(self.params)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def make(file: str, row: int | None, fld: str | None, code: str, message: str, severity: str = "error",
         /, **params: object) -> Problem:
    """A :class:`Problem` with its ``code`` and ``params`` (values turned into strings, in keyword order)."""
    return Problem(file, row, fld, message, severity, code, tuple((k, str(v)) for k, v in params.items()))


def problem_message(p: Problem, lang: str) -> str:
    """The message of ``p`` in ``lang``: the text ``validate.<code>`` filled with its params (a ``what`` param,
    e.g. ``site``, translated too); ``p.message`` when the code has no text (or none fits)."""
    from i18n import catalog

    if not p.code:
        return p.message
    cat = catalog(lang)
    template = cat.get(f"validate.{p.code}")
    if template is None:
        return p.message
    params = p.param_dict
    if "what" in params:
        params["what"] = cat.get(f"validate.what.{params['what']}", params["what"])
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return p.message
