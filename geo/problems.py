"""A problem found in a data file: which file, which row, which field, and what is wrong."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One finding of the validator.

    ``row`` is the spreadsheet row (header = row 1, first data row = row 2), or ``None`` for a file-level
    problem; ``field`` is the column name or ``None``. ``severity`` is ``"error"`` (the row is rejected) or
    ``"warning"`` (the row is kept).
    """

    file: str
    row: int | None
    field: str | None
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f":row {self.row}"
        if self.field:
            where += f":{self.field}"
        return f"{where}: {self.severity}: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"
