"""Compliance reminders (`peopleplan send_compliance_reminders`, daily).

Who is told what, for each person and requirement in force:

- `window`: due soon, the first time (the renewal window has opened, or a new starter's
  grace period has begun): the learner;
- `month`: due soon and due within `MONTH_DAYS`: the learner again;
- `overdue`: overdue or expired: the learner and their line manager;
- `escalated`: still overdue the requirement's `escalate_after_days` after the due date: the
  manager's manager;
- and a weekly digest to every HR officer of everyone overdue or expired in their grant's scope.

A stage is told once per due date: each line told is marked with its own `core.SentMessage`
key (`compliance:{stage}:{person}:{requirement}:{due}:{recipient}`), so running twice sends
nothing twice and the next day sends only new stages; a renewal makes a new due date, and the
stages start again. Each recipient gets ONE message a run listing all their new lines. The
people to look at are found in the database (one query per requirement), then read in chunks
of `CHUNK` people in a fixed number of queries each. Exempt and not-required people, leavers,
and people without an email are never told (the last are counted).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse

from peopleplan.access.models import RoleGrant
from peopleplan.core.dates import today
from peopleplan.core.messages import message_send
from peopleplan.core.models import SentMessage
from peopleplan.org.models import Assignment, Person

from . import status
from .models import Requirement
from .rules import Status, StatusCode

logger = logging.getLogger(__name__)

CHUNK = 500  # people read at a time
MARKS_BATCH = 1000  # marks written in one INSERT
MONTH_DAYS = 30
STAGES = ("window", "month", "overdue", "escalated")
TOLD = (StatusCode.DUE_SOON, StatusCode.OVERDUE, StatusCode.EXPIRED)
LATE = (StatusCode.OVERDUE, StatusCode.EXPIRED)

# What a recipient is to the person a line is about.
LEARNER, MANAGER, ABOVE = "learner", "manager", "above"


@dataclass(frozen=True)
class Notice:
    """One line told to one recipient at one stage."""

    stage: str
    role: str  # learner, manager, above
    person_id: int
    requirement: Requirement
    status: Status
    recipient_id: int

    @property
    def key(self) -> str:
        due = self.status.due_on.isoformat() if self.status.due_on else "none"
        return (
            f"compliance:{self.stage}:{self.person_id}:{self.requirement.pk}:{due}"
            f":{self.recipient_id}"
        )


@dataclass
class Late:
    """A person overdue or expired on a requirement, for the HR digest."""

    person_id: int
    requirement: Requirement
    status: Status
    paths: set[str] = field(default_factory=set)


def _batches(ids: Iterable[int], size: int) -> Iterator[list[int]]:
    it = iter(ids)
    while batch := list(islice(it, size)):
        yield batch


def _day(on: dt.date | None) -> str:
    return f"{on.day} {on:%B %Y}" if on else ""


def _site() -> str:
    return str(settings.PEOPLEPLAN.get("SITE_URL", "") or "").rstrip("/")


def _council() -> str:
    return str(settings.PEOPLEPLAN.get("COUNCIL_NAME", "peopleplan"))


def candidates(requirements: list[Requirement], on: dt.date) -> dict[int, dict[int, set[str]]]:
    """Everyone with something to say today: person id -> requirement id -> the unit paths of
    the jobs that put them in its audience. One query per requirement, council-wide."""
    found: dict[int, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    left = Q(person__leaving_date__isnull=False, person__leaving_date__lt=on)
    for req in requirements:
        rows = (
            status.requirement_rows(req, on)
            .filter(code__in=[c.value for c in TOLD])
            .exclude(left)
            .values_list("person_id", "unit__path")
            .order_by()
        )
        for person_id, path in rows:
            found[person_id][req.pk].add(path)
    return found


def line_managers(person_ids: list[int], on: dt.date) -> dict[int, int]:
    """Each person's line manager: that of their main current job, the primary one, else the
    latest, as `org.selectors.current_jobs` chooses it (one query, no model objects)."""
    found: dict[int, int | None] = {}
    for person_id, manager_id in (
        Assignment.objects.current_on(on)
        .filter(person_id__in=person_ids)
        .order_by("person_id", "-is_primary", "-start_date", "-pk")
        .values_list("person_id", "line_manager_id")
    ):
        found.setdefault(person_id, manager_id)
    return {pk: m for pk, m in found.items() if m is not None and m != pk}


def _stages(st: Status, req: Requirement, on: dt.date) -> list[tuple[str, str]]:
    """(stage, role) pairs a status calls for today."""
    if st.code == StatusCode.DUE_SOON:
        out = [("window", LEARNER)]
        if st.due_on is not None and (st.due_on - on).days <= MONTH_DAYS:
            out.append(("month", LEARNER))
        return out
    out = [("overdue", LEARNER), ("overdue", MANAGER)]
    if st.due_on is not None and on >= st.due_on + dt.timedelta(days=req.escalate_after_days):
        out.append(("escalated", ABOVE))
    return out


def _late_text(st: Status, on: dt.date) -> str:
    if st.due_on is None:
        return "overdue"
    days = (on - st.due_on).days
    since = "expired on" if st.code == StatusCode.EXPIRED else "overdue since"
    return f"{since} {_day(st.due_on)} ({days} day{'s' if days != 1 else ''})"


def _how_to_meet(req: Requirement, site: str) -> list[str]:
    out = []
    for item in req.items.all():
        if not item.is_active:
            continue
        path = reverse("learning:item", args=[item.pk])
        out.append(f"  Book or start {item.title}: {site}{path}" if site else f"  {item.title}")
    if out and not site:
        out.insert(0, "  Find it in peopleplan (Find learning):")
    if req.credential_type_id:
        give = f"HR your {req.credential_type.name} to record."
        out.append(f"  Or give {give}" if out else f"  Give {give}")
    return out


def _body(
    person: Person,
    notices: list[Notice],
    people: dict[int, Person],
    on: dt.date,
    how: dict[int, list[str]],
) -> str:
    """One message for a recipient: their own lines, then their team's, then those escalated
    to them, each line once."""
    seen: set[tuple[str, int, int]] = set()
    by_role: dict[str, list[Notice]] = defaultdict(list)
    for n in notices:
        if (n.role, n.person_id, n.requirement.pk) in seen:
            continue  # window and month on the same day: one line
        seen.add((n.role, n.person_id, n.requirement.pk))
        by_role[n.role].append(n)
    parts = [f"Dear {person.first_name},"]
    own = sorted(by_role[LEARNER], key=lambda n: (n.status.due_on or on, n.requirement.name))
    if own:
        parts.append("Your mandatory training and checks:")
        for n in own:
            parts.append(
                "\n".join([f"- {n.requirement.name}: {n.status.reason}", *how[n.requirement.pk]])
            )
    for role, heading in (
        (MANAGER, "Overdue in your team:"),
        (ABOVE, "Still overdue, and escalated to you as their manager's manager:"),
    ):
        if not by_role[role]:
            continue
        grouped: dict[int, list[Notice]] = defaultdict(list)
        for n in by_role[role]:
            grouped[n.person_id].append(n)
        lines = [heading]
        for person_id in sorted(grouped, key=lambda pk: people[pk].full_name):
            for n in sorted(grouped[person_id], key=lambda n: n.requirement.name):
                lines.append(
                    f"- {people[person_id].full_name}: {n.requirement.name}, "
                    f"{_late_text(n.status, on)}"
                )
        parts.append("\n".join(lines))
    if by_role[MANAGER] or by_role[ABOVE]:
        parts.append("You can see their compliance in peopleplan (My team).")
    parts.append(_council())
    return "\n\n".join(parts)


def _subject(notices: list[Notice]) -> str:
    roles = {n.role for n in notices}
    if roles == {LEARNER}:
        late = any(n.status.code in LATE for n in notices)
        return "Mandatory training overdue" if late else "Mandatory training due soon"
    if LEARNER in roles:
        return "Mandatory training: yours and your team's"
    return "Mandatory training overdue in your team"


def compliance_reminders_send(*, on: dt.date | None = None) -> dict[str, int]:
    """Tell everyone what is newly due today (see the module's docstring). Returns the lines
    told at each stage (one per person, requirement and recipient), the messages sent, the HR
    digests sent, and the people who were not told for want of an email."""
    on = on or today()
    counts = dict.fromkeys(STAGES, 0) | {"messages": 0, "hr_digests": 0, "no_email": 0}
    requirements = status.requirements_in_force()
    by_id = {req.pk: req for req in requirements}
    site = _site()
    how = {req.pk: _how_to_meet(req, site) for req in requirements}
    found = candidates(requirements, on)
    new: list[Notice] = []
    late: list[Late] = []
    people: dict[int, Person] = {}
    for chunk in _batches(sorted(found), CHUNK):
        needed = sorted({rid for pk in chunk for rid in found[pk]})
        got = status.statuses(
            person_ids=chunk, requirements=[by_id[rid] for rid in needed], as_of=on
        )
        managers = line_managers(chunk, on)
        above = line_managers(sorted(set(managers.values())), on)
        wanted: list[Notice] = []
        chunk_late: list[Late] = []
        for pk in chunk:
            for rid, paths in found[pk].items():
                st = got.get((pk, rid))
                if st is None or st.code not in TOLD:
                    continue
                req = by_id[rid]
                if st.code in LATE:
                    chunk_late.append(Late(pk, req, st, paths))
                to = {LEARNER: pk, MANAGER: managers.get(pk), ABOVE: above.get(managers.get(pk))}
                for stage, role in _stages(st, req, on):
                    recipient = to[role]
                    if recipient is None or (role != LEARNER and recipient == pk):
                        continue
                    wanted.append(Notice(stage, role, pk, req, st, recipient))
        keys = [n.key for n in wanted]
        marked = set(SentMessage.objects.filter(key__in=keys).values_list("key", flat=True))
        wanted = [n for n in wanted if n.key not in marked]
        new.extend(wanted)
        late.extend(chunk_late)
        ids = {n.recipient_id for n in wanted} | {n.person_id for n in wanted}
        ids |= {x.person_id for x in chunk_late}
        for person in Person.objects.filter(pk__in=ids - set(people)).only(
            "first_name", "last_name", "email", "leaving_date"
        ):
            people[person.pk] = person

    by_recipient: dict[int, list[Notice]] = defaultdict(list)
    for n in new:
        by_recipient[n.recipient_id].append(n)
    marks: list[SentMessage] = []
    messages: list[tuple[str, str, str]] = []
    for recipient_id, notices in sorted(by_recipient.items()):
        person = people[recipient_id]
        if person.leaving_date is not None and person.leaving_date < on:
            continue  # a manager who has left is not told
        if not person.email:
            counts["no_email"] += 1
            continue
        subject = _subject(notices)
        messages.append((person.email, subject, _body(person, notices, people, on, how)))
        for n in notices:
            counts[n.stage] += 1
            marks.append(SentMessage(key=n.key, to=person.email, subject=subject))
    digests, digest_marks = _hr_digests(late, people, on)
    try:
        with transaction.atomic():
            SentMessage.objects.bulk_create(marks + digest_marks, batch_size=MARKS_BATCH)
            for to, subject, body in messages + digests:
                message_send(to=to, subject=subject, body=body)
    except IntegrityError:
        # Another run marked some of these lines first, and sends them: send nothing here.
        logger.warning("Compliance reminders were being sent by another run; none sent")
        return dict.fromkeys(counts, 0)
    counts["messages"] = len(messages)
    counts["hr_digests"] = len(digests)
    return counts


def _hr_digests(
    late: list[Late], people: dict[int, Person], on: dt.date
) -> tuple[list[tuple[str, str, str]], list[SentMessage]]:
    """A digest for each HR officer, once an ISO week, of everyone overdue or expired in the
    scope of their grants (a unit's subtree, or the whole council)."""
    if not late:
        return [], []
    year, week, _ = on.isocalendar()
    scopes: dict[tuple[int, str], list[str] | None] = {}
    for user_id, email, path in (
        RoleGrant.objects.filter(
            role=RoleGrant.Role.HR_OFFICER, revoked_at__isnull=True, user__is_active=True
        )
        .exclude(user__email="")
        .values_list("user_id", "user__email", "unit__path")
        .order_by("user_id")
    ):
        key = (user_id, email)
        if path is None or (key in scopes and scopes[key] is None):
            scopes[key] = None
        else:
            scopes.setdefault(key, []).append(path)  # type: ignore[union-attr]
    keys = {user_id: f"compliance:hr-digest:{user_id}:{year}-W{week:02d}" for user_id, _ in scopes}
    sent = set(SentMessage.objects.filter(key__in=keys.values()).values_list("key", flat=True))
    digests, marks = [], []
    subject = f"Overdue mandatory training and checks: week {week} of {year}"
    for (user_id, email), paths in scopes.items():
        if keys[user_id] in sent:
            continue
        mine = [
            x for x in late if paths is None or any(p.startswith(g) for p in x.paths for g in paths)
        ]
        if not mine:
            continue
        mine.sort(key=lambda x: (x.status.due_on or on, people[x.person_id].full_name))
        lines = [
            f"- {people[x.person_id].full_name}: {x.requirement.name}, {_late_text(x.status, on)}"
            for x in mine
        ]
        who = len({x.person_id for x in mine})
        body = (
            f"{who} {'person is' if who == 1 else 'people are'} overdue or expired on "
            f"mandatory training or checks in your area, longest first:\n\n"
            + "\n".join(lines)
            + f"\n\nThe compliance summary in peopleplan has the detail.\n\n{_council()}"
        )
        digests.append((email, subject, body))
        marks.append(SentMessage(key=keys[user_id], to=email, subject=subject))
    return digests, marks
