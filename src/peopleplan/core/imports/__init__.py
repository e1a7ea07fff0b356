"""The one import framework: each app registers its kinds here (see base.py), and the
`peopleplan import` and `peopleplan export` commands and the upload page serve them all."""

from peopleplan.core.imports.base import (
    Change,
    Column,
    ImportKind,
    Plan,
    Row,
    RowProblem,
    all_kinds,
    get_kind,
    register,
)
from peopleplan.core.imports.runner import ImportFailed, ImportResult, run_import

__all__ = [
    "Change",
    "Column",
    "ImportFailed",
    "ImportKind",
    "ImportResult",
    "Plan",
    "Row",
    "RowProblem",
    "all_kinds",
    "get_kind",
    "register",
    "run_import",
]
