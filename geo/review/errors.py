"""Refusals of the review store: a code the UI translates, the values its text needs, and nothing changed."""

from __future__ import annotations

from collections.abc import Sequence

from geo.problems import Problem


class Refused(Exception):
    """An action the store refused; nothing was written.

    ``code`` names the reason; the interface shows it in its language as i18n key ``review.refused.<code>``
    formatted with ``params`` (strings). ``problems`` lists the row problems when a change failed validation
    (each renders as ``validate.<code>``). ``str(refusal)`` is the English message (CLI, logs) — it never
    contains a password or a password hash.
    """

    def __init__(self, code: str, message: str, /, problems: Sequence[Problem] = (), **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.params: dict[str, str] = {k: str(v) for k, v in params.items()}
        self.problems: tuple[Problem, ...] = tuple(problems)

    def __repr__(self) -> str:
        return f"Refused({self.code!r}, {self.message!r})"


class StoreUnavailable(Exception):
    """The store cannot be opened (bad ``PLANMAP_DB`` URL, server down, schema newer than this code)."""
