"""The exit interviews import kind: what leavers said on leaving, one row per person and day.

Built on the capacity kinds' `PersonDayKind` (org/imports/capacity.py), so it keeps their
rules: a row is known by its person and the day the interview was held, the same file twice
changes nothing, a row that matches one held is unchanged or corrected in place with the
change in the audit log, and a file never deletes what it leaves out.

Who may have one. An exit interview belongs to someone who has left or is leaving, so the
person must have a leaving date (HR record it, in the people file, when notice is given). It
may be held up to 90 days before that date, which covers the longest notice councils ask for
(three months), and up to 90 days after it, since many councils send an exit questionnaire with
the last payslip and it comes back weeks later; anything further off is more likely a wrong
date or the wrong person, so it is refused. It may not be before the person's first job, nor in
the future.

The reasons are `ExitInterview.Reason` codes or labels, most important first, in any case,
separated by `;`, `,` or `|`; an unknown one is refused by name with the list of codes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from peopleplan.core.imports import Column, Row, register
from peopleplan.core.imports.values import format_date, normalise_word
from peopleplan.org.imports.capacity import BATCH, EMPLOYEE, PersonDayKind, day_text
from peopleplan.org.models import Person
from peopleplan.workforce.models import ExitInterview

# How far from the leaving date an interview may be held, either side.
WINDOW = dt.timedelta(days=90)
SEPARATORS = re.compile(r"[;,|]")
# A reason's code or label, as `normalise_word` has it, to its code.
REASONS = {
    normalise_word(str(word)): code
    for code, label in ExitInterview.Reason.choices
    for word in (code, label)
}
CODES = ", ".join(ExitInterview.Reason.values)


def format_reasons(codes: list[str]) -> str:
    """Reasons as the file holds them: codes, most important first."""
    return "; ".join(codes)


@register
class ExitInterviewsKind(PersonDayKind):
    order = 62
    name = "exit_interviews"
    label = "Exit interviews"
    description = (
        "One row per exit interview (or exit questionnaire) of a leaver: the day it was held, "
        "the reasons for leaving they gave, most important first, and their comments. A "
        "person and day already held is the same interview."
    )
    model = ExitInterview
    day_field = "held_on"
    value_fields = ("reasons", "comments")
    labels = {"reasons": "reasons", "comments": "comments"}
    columns = (
        EMPLOYEE,
        Column(
            "held_on",
            True,
            ("date", "interview date", "exit interview date", "date held", "held"),
            "The day the interview was held (or the questionnaire returned): within 90 days "
            "either side of the person's leaving date, not in the future.",
            "2025-03-14",
        ),
        Column(
            "reasons",
            False,
            ("reasons for leaving", "leaving reasons", "reason for leaving", "reason"),
            "The reasons they gave, most important first, separated by semicolons, commas or "
            f"vertical bars: codes ({CODES}) or their labels, in any case.",
            "workload; pay",
        ),
        Column(
            "comments",
            False,
            ("comment", "notes", "feedback", "what they said"),
            "What they said, in their words or the interviewer's.",
            "Caseloads too high since the restructure.",
        ),
    )

    def prepare(self) -> None:
        super().prepare()
        self.leaving = dict(
            Person.objects.filter(leaving_date__isnull=False).values_list("id", "leaving_date")
        )

    def day_problem(self, number: str, person_id: int, day: dt.date) -> str | None:
        leaving = self.leaving.get(person_id)
        if leaving is None:
            return (
                f"Employee {number} has no leaving date: an exit interview is for someone who "
                "has left or is leaving (give their leaving date in the people file first)"
            )
        if day < leaving - WINDOW:
            return (
                f"{day_text(day)} is more than 90 days before employee {number}'s leaving date, "
                f"{day_text(leaving)}"
            )
        if day > leaving + WINDOW:
            return (
                f"{day_text(day)} is more than 90 days after employee {number}'s leaving date, "
                f"{day_text(leaving)}"
            )
        jobs = self.jobs.get(person_id)
        if not jobs or day < jobs[0][0]:
            return f"Employee {number} had not started by {day_text(day)}"
        return None

    def parse_values(self, row: Row, day: dt.date | None) -> dict[str, Any]:
        # A column the file leaves out keeps what is held.
        values: dict[str, Any] = {}
        if row.has("reasons"):
            values["reasons"] = self.parse_reasons(row)
        if row.has("comments"):
            values["comments"] = row.get("comments").strip()
        return values

    def parse_reasons(self, row: Row) -> list[str]:
        codes: list[str] = []
        for word in SEPARATORS.split(row.get("reasons")):
            if not word.strip():
                continue
            code = REASONS.get(normalise_word(word))
            if code is None:
                row.error("reasons", f"{word.strip()!r} is not a reason: use one of {CODES}")
            elif code not in codes:  # said twice: the first place counts
                codes.append(code)
        return codes

    def describe(self, value: Any) -> str:
        if isinstance(value, list):
            return format_reasons(value)
        return super().describe(value)

    def export_rows(self) -> Iterable[list[str]]:
        for number, held_on, reasons, comments in (
            ExitInterview.objects.order_by("person__employee_number", "held_on")
            .values_list("person__employee_number", "held_on", "reasons", "comments")
            .iterator(chunk_size=BATCH)
        ):
            yield [number, format_date(held_on), format_reasons(reasons), comments]
