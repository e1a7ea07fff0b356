"""The date rules of compliance, as pure functions: every date a status shows is worked out
here, from a requirement's rule, the person's completions and credentials, when they joined the
requirement's audience and any exemption. Nothing here reads the database.

- A completion is valid for the rule's months (or for ever: "once only"). Completing again
  inside the renewal window (`window_days` before the expiry) runs the new period from the old
  expiry when `renew_from_expiry`; otherwise, or outside the window, from the completion date.
  A new completion never shortens what is already held.
- A credential is valid until its own expiry (`credential_until`): a registration's expiry, or
  a DBS check's re-check date by policy, which a clear Update Service status check restarts.
- New starters and movers have `grace_days` from the day they joined the audience (or from
  the day the requirement applies, when that is later).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models

from peopleplan.core.dates import add_months


class StatusCode(models.TextChoices):
    NOT_REQUIRED = "not_required", "Not required"
    COMPLIANT = "compliant", "Compliant"
    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"
    EXPIRED = "expired", "Expired"
    EXEMPT = "exempt", "Exempt"


# Worst first: the order a team matrix sorts by and a person's list shows.
SEVERITY = [
    StatusCode.EXPIRED,
    StatusCode.OVERDUE,
    StatusCode.DUE_SOON,
    StatusCode.EXEMPT,
    StatusCode.COMPLIANT,
    StatusCode.NOT_REQUIRED,
]


@dataclass(frozen=True)
class Rule:
    """How a requirement is kept."""

    validity_months: int | None  # None: once only
    window_days: int = 90
    renew_from_expiry: bool = True
    grace_days: int = 90
    applies_from: dt.date | None = None


@dataclass(frozen=True)
class Period:
    """A time in which a person met a requirement, from one completion or credential."""

    on: dt.date  # completed, or issued
    until: dt.date | None  # the last day it is valid; None: for ever
    label: str = ""  # what it was: "Safeguarding children level 2", "Enhanced DBS check"
    renewed_from: dt.date | None = None  # the old expiry it ran from (renewed in the window)
    credential: bool = False  # a credential, valid until its own expiry


@dataclass(frozen=True)
class Exemption:
    reason: str
    until: dt.date | None = None  # the last day; None: open-ended


@dataclass(frozen=True)
class Status:
    code: StatusCode
    reason: str  # plain English, for the learner
    due_on: dt.date | None = None  # when it must be done (due soon, overdue)
    expires_on: dt.date | None = None  # the last valid day of what is held
    basis: Period | None = None  # the completion or credential the status rests on


def periods(completions: Iterable[tuple[dt.date, str]], rule: Rule) -> list[Period]:
    """The periods a person's completions (date, what) give under the rule, in date order."""
    out: list[Period] = []
    held: dt.date | None = None  # the expiry of what is held so far
    for on, label in sorted(completions, key=lambda c: c[0]):
        if rule.validity_months is None:
            out.append(Period(on, None, label))
            continue
        in_window = held is not None and held - dt.timedelta(days=rule.window_days) <= on <= held
        if in_window and rule.renew_from_expiry:
            until, renewed_from = add_months(held, rule.validity_months), held
        else:
            until, renewed_from = add_months(on, rule.validity_months), None
        if held is not None and until < held:  # an early repeat: keep what is held
            until, renewed_from = held, None
        out.append(Period(on, until, label, renewed_from))
        held = until
    return out


def credential_until(
    *,
    issued_on: dt.date,
    expires_on: dt.date | None,
    recheck_months: int | None,
    clear_checks: Iterable[dt.date] = (),
    changed_on: dt.date | None = None,
) -> dt.date | None:
    """The last day a credential counts. An expiry date on it wins; otherwise the re-check
    period by policy runs from the issue date or from the latest clear status check (Update
    Service). A status check that found new information ends it that day."""
    if expires_on is not None:
        until = expires_on
    elif recheck_months is None:
        until = None
    else:
        since = max([issued_on, *(c for c in clear_checks if c >= issued_on)])
        until = add_months(since, recheck_months)
    if changed_on is not None and (until is None or changed_on < until):
        until = changed_on
    return until


def grace_end(rule: Rule, joined_on: dt.date | None) -> dt.date | None:
    """The day by which someone who joined the audience on `joined_on` must first meet it."""
    starts = [d for d in (joined_on, rule.applies_from) if d is not None]
    if not starts:
        return None
    return max(starts) + dt.timedelta(days=rule.grace_days)


def status(
    *,
    as_of: dt.date,
    rule: Rule,
    member: bool,
    joined_on: dt.date | None,
    held: Iterable[Period],
    exemption: Exemption | None = None,
) -> Status:
    """A person's status for a requirement on `as_of`: `member` whether they are in its
    audience that day; `joined_on` the day they first joined it; `held` every period they have
    (those that start after `as_of` are ignored); `exemption` one that covers `as_of`."""
    if not member:
        return Status(StatusCode.NOT_REQUIRED, "Not required for your job.")
    if exemption is not None:
        until = f" until {_day(exemption.until)}" if exemption.until else ""
        return Status(StatusCode.EXEMPT, f"Exempt{until}: {exemption.reason}")
    so_far = [p for p in held if p.on <= as_of]
    grace = grace_end(rule, joined_on)
    for_ever = next((p for p in so_far if p.until is None), None)
    if for_ever is not None:
        done = (
            _held_text(for_ever, rule)
            if for_ever.credential
            else f"you completed {for_ever.label} on {_day(for_ever.on)}"
        )
        return Status(
            StatusCode.COMPLIANT, f"Done: {done}, and it does not need renewing.", basis=for_ever
        )
    latest = max(so_far, key=lambda p: (p.until, p.on), default=None)
    if latest is not None and latest.until >= as_of:
        window_opens = latest.until - dt.timedelta(days=rule.window_days)
        if as_of < window_opens:
            return Status(
                StatusCode.COMPLIANT,
                f"Up to date until {_day(latest.until)}: {_held_text(latest, rule)}.",
                expires_on=latest.until,
                basis=latest,
            )
        due = max(latest.until, grace) if grace else latest.until
        return Status(
            StatusCode.DUE_SOON,
            f"Due by {_day(due)}: {_held_text(latest, rule)}.",
            due_on=due,
            expires_on=latest.until,
            basis=latest,
        )
    if grace is not None and as_of <= grace:
        return Status(
            StatusCode.DUE_SOON,
            f"Due by {_day(grace)}: {_grace_text(rule, joined_on)}.",
            due_on=grace,
            expires_on=latest.until if latest else None,
            basis=latest,
        )
    if latest is not None:
        return Status(
            StatusCode.EXPIRED,
            f"Expired on {_day(latest.until)}: {_held_text(latest, rule, past=True)}.",
            due_on=latest.until,
            expires_on=latest.until,
            basis=latest,
        )
    return Status(
        StatusCode.OVERDUE,
        f"Overdue since {_day(grace)}: {_grace_text(rule, joined_on)}, and there is no "
        "completion on record."
        if grace
        else "Overdue: there is no completion on record.",
        due_on=grace,
    )


def _held_text(period: Period, rule: Rule, *, past: bool = False) -> str:
    if period.credential:
        if period.until is None:
            return f"you hold {period.label} of {_day(period.on)}"
        return (
            f"your {period.label} of {_day(period.on)} {'was' if past else 'is'} valid until "
            f"{_day(period.until)}"
        )
    if period.renewed_from is not None:
        return (
            f"you renewed {period.label} on {_day(period.on)}, inside the renewal window, so "
            f"the new {months_text(rule.validity_months)} ran on from {_day(period.renewed_from)}"
        )
    return (
        f"you completed {period.label} on {_day(period.on)} and it "
        f"{'lasted' if past else 'lasts'} {months_text(rule.validity_months)}"
    )


def _grace_text(rule: Rule, joined_on: dt.date | None) -> str:
    if rule.applies_from and (joined_on is None or rule.applies_from > joined_on):
        return (
            f"this has applied since {_day(rule.applies_from)}, with {days_text(rule.grace_days)} "
            "to complete it"
        )
    return (
        f"you joined on {_day(joined_on)} and new starters and people moving in have "
        f"{days_text(rule.grace_days)}"
    )


_WORDS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
]


def months_text(months: int | None) -> str:
    if months is None:
        return "for ever"
    if months % 12 == 0:
        years = months // 12
        return f"{_WORDS[years] if years < len(_WORDS) else years} year{'s' * (years != 1)}"
    return f"{_WORDS[months] if months < len(_WORDS) else months} month{'s' * (months != 1)}"


def days_text(days: int) -> str:
    return f"{_WORDS[days] if days < len(_WORDS) else days} day{'s' * (days != 1)}"


def _day(on: dt.date | None) -> str:
    return f"{on.day} {on:%B %Y}" if on else ""
