"""Turning a spreadsheet's text into values, with messages a person can act on.

Each parser takes the cell's text and returns the value, or raises `ValueProblem` with the
reason. Dates are read the British way (day first) or as ISO dates; never month first.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation


class ValueProblem(ValueError):
    pass


_UK_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]00:00(?::00)?)?$")
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_WORDS_DATE = re.compile(r"^(\d{1,2})[ \-]([A-Za-z]+)[ \-](\d{4})$")


def parse_date(text: str) -> dt.date:
    text = text.strip()
    for pattern, order in ((_ISO_DATE, "ymd"), (_UK_DATE, "dmy")):
        match = pattern.match(text)
        if match:
            parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
            try:
                return dt.date(parts["y"], parts["m"], parts["d"])
            except ValueError:
                raise ValueProblem(f"{text!r} is not a real date") from None
    match = _WORDS_DATE.match(text)
    if match and match.group(2).lower() in _MONTHS:
        try:
            return dt.date(
                int(match.group(3)), _MONTHS[match.group(2).lower()], int(match.group(1))
            )
        except ValueError:
            raise ValueProblem(f"{text!r} is not a real date") from None
    raise ValueProblem(f"{text!r} is not a date: use 2024-04-01 or 01/04/2024")


def format_date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


_TRUE = {"y", "yes", "true", "t", "1"}
_FALSE = {"n", "no", "false", "f", "0", ""}


def parse_bool(text: str) -> bool:
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueProblem(f"{text!r} is not yes or no")


def format_bool(value: bool) -> str:
    return "yes" if value else "no"


def parse_decimal(text: str, *, minimum: Decimal, maximum: Decimal, places: int = 2) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise ValueProblem(f"{text!r} is not a number") from None
    if not value.is_finite():
        raise ValueProblem(f"{text!r} is not a number")
    if value < minimum or value > maximum:
        raise ValueProblem(f"{text} is outside {minimum} to {maximum}")
    quantum = Decimal(1).scaleb(-places)
    if value != value.quantize(quantum):
        raise ValueProblem(f"{text} has more than {places} decimal places")
    return value.quantize(quantum)


def parse_int(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise ValueProblem(f"{text!r} is not a whole number") from None


def normalise_word(text: str) -> str:
    """Lower case, letters and digits only: 'Fixed-term' and 'fixed term' match."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def choice_parser(choices, aliases: dict[str, str] | None = None):
    """A parser for a TextChoices: the value, its label, or an alias, in any case or spacing."""
    lookup: dict[str, str] = {}
    for value, label in choices.choices:
        lookup[normalise_word(value)] = value
        lookup[normalise_word(str(label))] = value
    for alias, value in (aliases or {}).items():
        lookup[normalise_word(alias)] = value
    allowed = ", ".join(str(label).lower() for _, label in choices.choices)

    def parse(text: str) -> str:
        value = lookup.get(normalise_word(text))
        if value is None:
            raise ValueProblem(f"{text!r} is not one of: {allowed}")
        return value

    return parse
