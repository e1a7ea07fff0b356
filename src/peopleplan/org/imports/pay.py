"""The pay columns of the people import: a person's pay at a gender pay gap snapshot date.

A row may give the pay payroll works out for the gender pay gap (`org.PayRecord`): the hourly
rate of ordinary pay in the pay period that includes the snapshot date, the bonus paid in the
12 months to it, and whether the person was on full pay. A pay record is known by its person
and snapshot date, so the same file twice changes nothing, a later snapshot adds a record
beside the earlier ones, and a file never deletes pay. A file without the columns, or a row
with them all empty, leaves pay alone; a column the file leaves out keeps what is held for that
snapshot. Pay is personal: the preview and the audit summary say only that it changed (the
audit entry keeps the values before and after, as for every change to a person's record).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass
from decimal import Decimal

from peopleplan.core.dates import today
from peopleplan.core.imports import Column, Row
from peopleplan.core.imports.values import (
    ValueProblem,
    format_bool,
    format_date,
    parse_bool,
    parse_date,
    parse_decimal,
)
from peopleplan.org.models import PayRecord

SNAPSHOT = "pay_snapshot_on"
VALUES = ("hourly_pay", "bonus_pay", "full_pay")
PAY_COLUMNS = (SNAPSHOT, *VALUES)
NO_BONUS = Decimal("0.00")

COLUMNS = (
    Column(
        SNAPSHOT,
        False,
        ("pay snapshot date", "snapshot date", "gpg snapshot date", "gender pay gap snapshot"),
        "The gender pay gap snapshot date the pay is for: a 31 March, not in the future. "
        "Needed when the row gives pay.",
        "2025-03-31",
    ),
    Column(
        "hourly_pay",
        False,
        ("hourly rate", "hourly rate of pay", "ordinary hourly pay", "hourly rate ordinary pay"),
        "The hourly rate of ordinary pay in the pay period that includes the snapshot date, in "
        "pounds, to at most 4 decimal places. Needed with pay_snapshot_on.",
        "18.4512",
    ),
    Column(
        "bonus_pay",
        False,
        ("bonus", "bonus paid", "bonus pay in year", "bonus in year"),
        "Bonus paid in the 12 months to the snapshot date, in pounds and pence; blank is none.",
        "0.00",
    ),
    Column(
        "full_pay",
        False,
        ("on full pay", "full pay relevant", "full pay relevant employee", "full pay employee"),
        "yes, or no when paid less than usual in that pay period because of leave (sick, "
        "maternity, unpaid). Needed with pay_snapshot_on.",
        "yes",
    ),
)


@dataclass(frozen=True)
class Pay:
    snapshot_on: dt.date
    hourly_pay: Decimal
    bonus_pay: Decimal
    full_pay: bool

    def fields(self) -> dict:
        return {k: v for k, v in asdict(self).items() if k != "snapshot_on"}

    def as_dict(self) -> dict:
        return asdict(self)

    def cells(self) -> list[str]:
        return [
            format_date(self.snapshot_on),
            str(self.hourly_pay),
            str(self.bonus_pay),
            format_bool(self.full_pay),
        ]


HeldPay = dict[tuple[int, dt.date], tuple[int, Pay]]  # (person, snapshot) -> (record id, pay)


def held_pay() -> HeldPay:
    """Every pay record held, read once for a run."""
    return {
        (person_id, on): (pk, Pay(on, hourly, bonus, full))
        for pk, person_id, on, hourly, bonus, full in PayRecord.objects.order_by().values_list(
            "pk", "person_id", "snapshot_on", "hourly_pay", "bonus_pay", "full_pay"
        )
    }


def latest_pay() -> dict[int, Pay]:
    """Each person's pay at their latest snapshot: what the people export writes."""
    latest: dict[int, Pay] = {}
    for person_id, on, hourly, bonus, full in PayRecord.objects.order_by(
        "person_id", "snapshot_on"
    ).values_list("person_id", "snapshot_on", "hourly_pay", "bonus_pay", "full_pay"):
        latest[person_id] = Pay(on, hourly, bonus, full)
    return latest


def _hourly(text: str) -> Decimal:
    return parse_decimal(text, minimum=Decimal("0"), maximum=Decimal("9999.9999"), places=4)


def _bonus(text: str) -> Decimal:
    return parse_decimal(text, minimum=Decimal("0"), maximum=Decimal("99999999.99"), places=2)


def _day(on: dt.date) -> str:
    return f"{on.day} {on:%B %Y}"


def parse_pay(row: Row, held_for: Callable[[dt.date], Pay | None]) -> Pay | None:
    """The row's pay, or None when it gives none or has a problem (recorded on the row).
    `held_for(snapshot)` is the pay held for the row's person at that snapshot, if any."""
    if not any(row.has(c) for c in PAY_COLUMNS):
        return None
    if not row.get(SNAPSHOT):
        given = [c for c in VALUES if row.get(c)]
        if given:
            row.error(SNAPSHOT, f"is required when the row gives pay ({', '.join(given)})")
        return None
    problems = len(row.problems)
    snapshot = row.take(SNAPSHOT, _snapshot)
    hourly = row.take("hourly_pay", _hourly)
    bonus = row.take("bonus_pay", _bonus)
    full = row.take("full_pay", parse_bool)
    if snapshot is None or len(row.problems) > problems:
        return None
    held = held_for(snapshot)
    if hourly is None:
        if row.has("hourly_pay") or held is None:
            row.error("hourly_pay", f"is required with pay_snapshot_on ({_day(snapshot)})")
        else:
            hourly = held.hourly_pay
    if full is None:
        if row.has("full_pay") or held is None:
            row.error(
                "full_pay",
                f"is required with pay_snapshot_on ({_day(snapshot)}): yes, or no when paid "
                "less than usual because of leave",
            )
        else:
            full = held.full_pay
    if bonus is None:
        bonus = held.bonus_pay if held is not None and not row.has("bonus_pay") else NO_BONUS
    if hourly is None or full is None:
        return None
    return Pay(snapshot, hourly, bonus, full)


def _snapshot(text: str) -> dt.date:
    on = parse_date(text)
    if (on.month, on.day) != (3, 31):
        raise ValueProblem(
            f"{_day(on)} is not a 31 March: a public authority's gender pay gap snapshot date "
            "is 31 March"
        )
    if on > today():
        raise ValueProblem(f"{_day(on)} is in the future")
    return on


def pay_detail(pay: Pay, held: Pay | None) -> str | None:
    """What the preview says of a change of pay (never the amounts), or None for no change."""
    if held is None:
        return f"pay on {_day(pay.snapshot_on)} added"
    if held != pay:
        return f"pay on {_day(pay.snapshot_on)} changed"
    return None


def apply_pay(new: list[tuple[int, Pay]], changed: list[tuple[int, Pay]], batch: int) -> None:
    """Write the pay of a run: `new` as (person id, pay), `changed` as (record id, pay)."""
    PayRecord.objects.bulk_create(
        [PayRecord(person_id=pid, snapshot_on=p.snapshot_on, **p.fields()) for pid, p in new],
        batch_size=batch,
    )
    PayRecord.objects.bulk_update(
        [PayRecord(pk=pk, **p.fields()) for pk, p in changed],
        ["hourly_pay", "bonus_pay", "full_pay"],
        batch_size=batch,
    )
