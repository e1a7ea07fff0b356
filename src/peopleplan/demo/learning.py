"""The demo council's learning: the catalogue, a year of past and six months of future
sessions, bookings, waiting lists, registers and the record of learning.

Planned in memory and written with bulk inserts, like the organisation (`generator.py` calls
`learning_write` inside its one transaction). The booking services are never called (they lock
rows and queue emails one booking at a time): instead each session's bookings are simulated in
time order by the same rules the services keep, so the rows are the ones the services would
have written:

- a request for an item with no approval takes a free place at once, or joins the waiting
  list; with approval it waits for the line manager (then L&D), and the last yes allocates;
- places reserved for a directorate go first to its people until their release time;
- a cancelled place is offered to the first on the waiting list for the session's hold (never
  more than half the time left before the start); an offer not taken in time passes on;
- a cancellation after the cut-off is late; leaving a waiting list never is;
- once a session has run, its register is marked part by part, the booking takes its outcome
  (attended, partly attended, no-show) and attendance makes a completion; anyone still on the
  waiting list is taken off it;
- a cancelled session cancels every live booking with its reason.

Every change of status is a `BookingEvent` row, so each booking's history ends in its status.
The build's moment is 18:00 the day before the as-of date: every event is at or before it,
every session is wholly before it or wholly after the as-of date, so nothing is half run.
The same seed and as-of date give the same rows (one `random.Random`, fixed orders).
"""

from __future__ import annotations

import datetime as dt
import heapq
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from peopleplan.demo import learning_catalogue as lc
from peopleplan.demo.records import AGENCY, CouncilPlan
from peopleplan.learning.models import (
    AttendanceMark,
    Booking,
    BookingEvent,
    Completion,
    LearningItem,
    PlaceReservation,
    Programme,
    ProgrammeItem,
    ProgrammeMember,
    Provider,
    Session,
    SessionPart,
    Topic,
    Venue,
)

S = Booking.Status
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
PAST_DAYS = 365
FUTURE_DAYS = 182
BOOKING_OPENS = dt.timedelta(days=84)
BOOKING_CLOSES = dt.timedelta(days=2)
OFFER_HOLD_HOURS = 48
NO_SHOW_RATE = 0.10
PARTLY_RATE = 0.05
CANCEL_RATE = 0.08
LEAVE_WAITLIST_RATE = 0.10
DECLINE_RATE = 0.06
SESSION_CANCEL_RATE = 0.03

# The items the demo learner (a children's social worker) books: ahead (two booked, one
# waiting list, one place offered) and done.
LEARNER_AHEAD = ("CM-PLAIN", "WB-RES", "CM-AI", "SG-EXP", "SW-TRAUMA", "SW-SOS")
# What the demo manager's team asks for, waiting for the manager (and one for L&D).
TEAM_ASKS = (
    ("manager", ("HS-EFAW", "MG-ASPIRE", "HS-MH-FA")),
    ("manager_then_ld", ("MG-PROJ", "SW-COURT")),
)
LEARNER_PAST = ("SG-C2", "SW-GROUP", "SW-LAW", "SW-AUTISM", "SW-TRAUMA", "SW-SOS", "CM-PLAIN")

# --- the people learning is for ---------------------------------------------------------------


@dataclass
class Learner:
    person: int  # index in the plan
    family: str
    manages: bool
    role_title: str
    grade: int
    directorate: int  # unit index
    unit_code: str
    manager: int | None
    joined: int  # day ordinal of their first day at the council


def learners_in_post(plan: CouncilPlan) -> dict[int, Learner]:
    """Everyone in a primary, non-agency job on the as-of date, by person index."""
    today = plan.as_of.toordinal()
    joined: dict[int, int] = {}
    for a in plan.assignments:
        if a.start < joined.get(a.person, 1 << 40):
            joined[a.person] = a.start
    found: dict[int, Learner] = {}
    for a in plan.assignments:
        if not a.primary or a.contract == AGENCY or a.start > today:
            continue
        if a.end is not None and a.end < today:
            continue
        post = plan.posts[a.post]
        unit = plan.units[post.unit]
        found[a.person] = Learner(
            person=a.person,
            family=post.family,
            manages=post.manages,
            role_title=plan.roles[post.role].title,
            grade=post.grade,
            directorate=unit.top,
            unit_code=unit.code,
            manager=a.manager,
            joined=joined[a.person],
        )
    return dict(sorted(found.items()))


def audience_pool(key: str, learners: dict[int, Learner]) -> list[int]:
    families = lc.AUDIENCES.get(key, ((), ""))[0]
    if key == "managers":
        test: Callable[[Learner], bool] = lambda p: p.manages  # noqa: E731
    elif key == "asye":
        test = lambda p: "(ASYE)" in p.role_title  # noqa: E731
    elif key == "practice":
        test = lambda p: p.role_title.startswith(("Senior Social Worker", "Advanced Pract"))  # noqa: E731
    elif key == "aspiring":
        test = lambda p: not p.manages and p.grade >= 8  # noqa: E731
    elif families:
        wanted = set(families)
        test = lambda p: p.family in wanted  # noqa: E731
    else:
        test = lambda p: True  # noqa: E731
    return [i for i, p in learners.items() if test(p) and p.family != "PART"]


# --- the plan of each session ----------------------------------------------------------------


@dataclass(slots=True)
class BookingPlan:
    person: int
    created: dt.datetime
    status: str = ""
    events: list = field(default_factory=list)  # (from, to, at, reason)
    waitlisted_at: dt.datetime | None = None
    offer_expires_at: dt.datetime | None = None
    reservation: int | None = None  # index in the session's reservations
    cancelled_by: str = ""
    late: bool = False
    marks: list = field(default_factory=list)  # (part index, mark, at)
    completion: tuple | None = None  # (completed_on, result, at)
    # scripted behaviour for the demo logins' bookings
    keep: bool = False  # never cancelled, always attends, always approved
    undecided: str = ""  # the status it stops in: awaiting_approval, approved, offered
    requested_by_login: bool = False


@dataclass(slots=True)
class ReservationPlan:
    directorate: int
    places: int
    release_at: dt.datetime


@dataclass(slots=True)
class SessionPlan:
    item: int  # index in lc.ITEMS
    parts: list  # [(starts_at, ends_at)] in UTC
    capacity: int
    minimum: int
    venue: str  # VenueSpec key or ""
    online_url: str
    trainers: list
    status: str = Session.Status.OPEN
    cancelled_reason: str = ""
    cancelled_at: dt.datetime | None = None
    reservations: list = field(default_factory=list)
    bookings: list = field(default_factory=list)
    demand: int = 0
    latest_request: dt.datetime | None = None
    no_cancel: bool = False
    scripted_cancel: dt.datetime | None = None

    @property
    def starts(self) -> dt.datetime:
        return self.parts[0][0]

    @property
    def ends(self) -> dt.datetime:
        return self.parts[-1][1]

    @property
    def opens(self) -> dt.datetime:
        return self.starts - BOOKING_OPENS

    @property
    def closes(self) -> dt.datetime:
        return self.starts - BOOKING_CLOSES

    @property
    def cutoff(self) -> dt.datetime:
        return self.starts - dt.timedelta(days=7)


@dataclass
class LearningPlan:
    sessions: list[SessionPlan]
    programme_members: list[tuple[int, int, int]]  # (programme, person, joined day)
    completions: list[tuple]  # records not made by a register
    learners: dict[int, Learner]


class _Planner:
    def __init__(self, plan: CouncilPlan) -> None:
        self.plan = plan
        self.rng = random.Random(f"learning-{plan.seed}")
        self.tz = timezone.get_default_timezone()
        self.as_of = plan.as_of
        self.now = self.at(plan.as_of - DAY, 18, 0)
        self.learners = learners_in_post(plan)
        self.logins = set(plan.logins.values())
        self.pools = {key: audience_pool(key, self.learners) for key in lc.AUDIENCES}
        self.pools["aspiring"] = audience_pool("aspiring", self.learners)
        self.item_people: dict[int, set[int]] = {}
        self.trainer_pools = self.find_trainers()
        self.sessions: list[SessionPlan] = []

    def at(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        local = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=self.tz)
        return local.astimezone(dt.UTC)

    def local_day(self, moment: dt.datetime) -> dt.date:
        return moment.astimezone(self.tz).date()

    def find_trainers(self) -> dict[str, list[int]]:
        found: dict[str, list[int]] = {"ld": [], "hsw": [], "practice": [], "partner": []}
        for index, person in self.learners.items():
            if index in self.logins:
                continue
            if person.unit_code.startswith("COR-POD-LND"):
                found["ld"].append(index)
            elif person.unit_code.startswith("COR-POD-HSW"):
                found["hsw"].append(index)
            elif person.role_title.startswith("Advanced Pract"):
                found["practice"].append(index)
            elif person.family == "PART":
                found["partner"].append(index)
        return found

    # --- sessions ----------------------------------------------------------------------------

    def run(self) -> LearningPlan:
        self.plan_sessions()
        self.script_logins()
        for session in self.sessions:
            self.fill(session)
            _Simulation(self, session).run()
        return LearningPlan(
            sessions=self.sessions,
            programme_members=self.programme_members(),
            completions=self.other_completions(),
            learners=self.learners,
        )

    def plan_sessions(self) -> None:
        scheduled = [
            (i, spec)
            for i, spec in enumerate(lc.ITEMS)
            if spec.kind in lc.SESSION_KINDS and spec.active and spec.weight > 0
        ]
        wanted = max(60, round(len(self.learners) / 9))
        total = sum(spec.weight for _, spec in scheduled)
        taken: set[tuple[int, int]] = set()
        today = self.as_of.toordinal()
        first = today - PAST_DAYS
        span = PAST_DAYS + FUTURE_DAYS
        for index, spec in scheduled:
            count = max(2, round(wanted * spec.weight / total))
            for _ in range(count):
                day = first + self.rng.randrange(span)
                days = self.part_days(day, spec.parts)
                while (index, days[0]) in taken or days[0] <= today <= days[-1]:
                    days = self.part_days(days[0] + 1, spec.parts)
                taken.add((index, days[0]))
                self.sessions.append(self.new_session(index, spec, days))
        # Sessions open for booking of the items the demo learner books, whatever the size.
        for code in (*LEARNER_AHEAD, *TEAM_ASKS[0][1], *TEAM_ASKS[1][1]):
            index = next(i for i, spec in scheduled if spec.code == code)
            soon = [
                s
                for s in self.sessions
                if s.item == index
                and today + 14 <= self.local_day(s.starts).toordinal() <= today + 70
            ]
            if not soon:
                days = self.part_days(today + 14 + self.rng.randrange(50), lc.ITEMS[index].parts)
                self.sessions.append(self.new_session(index, lc.ITEMS[index], days))
        self.sessions.sort(key=lambda s: (s.starts, s.item))
        self.plan_reservations()

    def part_days(self, day: int, parts: int) -> list[int]:
        """Weekdays from `day` on: consecutive for two parts, weekly for more."""
        days = []
        step = 1 if parts <= 2 else 7
        while len(days) < parts:
            while dt.date.fromordinal(day).weekday() >= 5:
                day += 1
            days.append(day)
            day += step
        return days

    def new_session(self, index: int, spec: lc.ItemSpec, days: list[int]) -> SessionPlan:
        rng = self.rng
        per_part = float(spec.hours_decimal) / len(days)
        if spec.kind == lc.CONFERENCE:
            start, length = (9, 0), 7.5
        elif per_part <= 2:
            start, length = rng.choice(((10, 0), (14, 0), (12, 30))), max(per_part, 1.0)
        elif per_part <= 3.5:
            start, length = rng.choice(((9, 30), (13, 30))), 3.0
        else:
            start, length = (9, 30), 7.0
        parts = []
        for day in days:
            begins = self.at(dt.date.fromordinal(day), *start)
            parts.append((begins, begins + dt.timedelta(hours=length)))
        online = spec.kind == lc.WEBINAR or (
            spec.kind in (lc.WORKSHOP, lc.REFLECTIVE) and rng.random() < 0.15
        )
        venue = "" if online else self.venue_for(spec)
        room = {v.key: v.room_size for v in lc.VENUES}.get(venue, 500)
        if spec.kind == lc.WEBINAR:
            capacity = rng.choice((30, 40, 50, 60))
        elif spec.kind == lc.CONFERENCE:
            capacity = min(room, 120)
        elif spec.kind == lc.REFLECTIVE:
            capacity = rng.choice((8, 10))
        elif spec.kind == lc.WORKSHOP:
            capacity = rng.choice((10, 12, 14, 16))
        else:
            capacity = rng.choice((12, 14, 16, 18, 20))
        capacity = min(capacity, room)
        minimum = 0 if spec.kind == lc.WEBINAR else capacity // 3
        url = f"{lc.ONLINE_HOST}/j/{spec.code.lower()}-{days[0]}" if online else ""
        session = SessionPlan(
            item=index,
            parts=parts,
            capacity=capacity,
            minimum=minimum,
            venue=venue,
            online_url=url,
            trainers=self.trainers_for(spec),
        )
        if parts[0][0] > self.now:
            session.status = (
                Session.Status.OPEN if session.opens <= self.now else Session.Status.PLANNED
            )
        else:
            session.status = Session.Status.COMPLETED
        if rng.random() < SESSION_CANCEL_RATE:
            cancelled_at = session.starts - dt.timedelta(days=rng.randint(3, 21), hours=5)
            if cancelled_at <= self.now and cancelled_at > session.opens:
                session.status = Session.Status.CANCELLED
                session.cancelled_at = cancelled_at
                session.cancelled_reason = rng.choice(lc.CANCEL_REASONS)
        return session

    def venue_for(self, spec: lc.ItemSpec) -> str:
        if spec.kind == lc.CONFERENCE:
            return "town-hall" if spec.code != "PH-CONF" else "library"
        if spec.audience in ("outdoor",) or spec.code.startswith("PL-CHAPT"):
            return "depot"
        if spec.audience in ("adults", "asw", "care"):
            return self.rng.choice(("eastgate", "riverside"))
        if spec.audience in ("children", "csw", "asye"):
            return self.rng.choice(("oakfield", "riverside", "civic-suite"))
        return self.rng.choice(("civic-suite", "civic-committee", "riverside", "library"))

    def trainers_for(self, spec: lc.ItemSpec) -> list[int]:
        pools = {
            lc.LND: ("ld",),
            lc.HSW: ("hsw", "ld"),
            lc.WFD: ("practice", "ld"),
            lc.NSCP: ("partner", "practice"),
        }.get(spec.provider)
        if not pools:
            return []
        for key in pools:
            if self.trainer_pools[key]:
                count = 2 if spec.kind in (lc.CLASSROOM, lc.CONFERENCE) else 1
                pool = self.trainer_pools[key]
                return sorted(self.rng.sample(pool, min(count, len(pool))))
        return []

    def plan_reservations(self) -> None:
        """A few places kept for each directorate on some sessions, released two weeks before."""
        directorates = sorted(self.plan.scopes.values())
        candidates = [
            s
            for s in self.sessions
            if s.status != Session.Status.CANCELLED
            and s.capacity >= 12
            and lc.ITEMS[s.item].audience in ("all", "managers", "social_care", "customer")
        ]
        if not candidates:
            return
        for directorate in directorates:
            for session in self.rng.sample(candidates, min(3, len(candidates))):
                if len(session.reservations) >= 2:
                    continue
                places = min(self.rng.randint(2, 4), session.capacity // 4)
                if places > 0:
                    session.reservations.append(
                        ReservationPlan(directorate, places, session.starts - dt.timedelta(days=14))
                    )

    # --- who books ---------------------------------------------------------------------------

    def fill(self, session: SessionPlan) -> None:
        """Draw the session's requests: how many, who and when."""
        if session.status == Session.Status.PLANNED:
            return
        spec = lc.ITEMS[session.item]
        rng = self.rng
        if session.demand:
            demand = session.demand
        else:
            fill = rng.uniform(1.05, 1.6) if spec.popular else rng.uniform(0.5, 1.05)
            if session.starts > self.now:  # booking still open: fuller the nearer it is
                window = (session.closes - session.opens).total_seconds()
                done = (min(self.now, session.closes) - session.opens).total_seconds() / window
                fill *= min(1.0, 0.45 + done) if spec.popular else 0.3 + 0.7 * done
            demand = round(session.capacity * fill)
            if session.status == Session.Status.CANCELLED and rng.random() < 0.5:
                demand = min(demand, session.minimum)
        earliest = session.opens
        latest = min(session.latest_request or self.now, session.closes - HOUR)
        if spec.approval != lc.NONE:
            latest = min(latest, session.closes - dt.timedelta(days=3))
        if session.cancelled_at:
            latest = min(latest, session.cancelled_at - HOUR)
        if latest <= earliest or demand <= 0:
            return
        pool = self.pools[spec.audience]
        booked = self.item_people.setdefault(session.item, set())
        trainers = set(session.trainers)
        ok_joined = self.local_day(earliest).toordinal()
        chosen: list[int] = []
        if pool:
            draw = rng.sample(pool, min(len(pool), demand * 2 + 4))
            for person in draw:
                if (
                    person in booked
                    or person in trainers
                    or person in self.logins
                    or self.learners[person].joined > ok_joined
                ):
                    continue
                chosen.append(person)
                if len(chosen) == demand:
                    break
        span = (latest - earliest).total_seconds()
        for person in chosen:
            booked.add(person)
            moment = earliest + dt.timedelta(seconds=int(rng.random() * span))
            session.bookings.append(BookingPlan(person=person, created=moment))
        session.bookings.sort(key=lambda b: (b.created, b.person))

    # --- the demo logins' learning -----------------------------------------------------------

    def script_logins(self) -> None:
        """The learner: past completions, bookings to come, a waiting list, a place offered.
        The manager: requests from their team waiting for approval (and one for L&D)."""
        logins = self.plan.logins
        learner = logins.get("learner")
        manager = logins.get("manager")

        def sessions_of(codes: tuple[str, ...], future: bool, approval: str = lc.NONE):
            found = []
            for session in self.sessions:
                spec = lc.ITEMS[session.item]
                if spec.code not in codes or spec.approval != approval:
                    continue
                if _scripted(session):
                    continue
                if (future and session.status == Session.Status.OPEN) or (
                    not future and session.status == Session.Status.COMPLETED
                ):
                    found.append(session)
            return found

        def book(session: SessionPlan, person: int, moment: dt.datetime, **flags) -> None:
            self.item_people.setdefault(session.item, set()).add(person)
            session.bookings.append(BookingPlan(person=person, created=moment, **flags))

        if learner is not None:
            used: set[int] = set()
            ahead = [
                s
                for s in sessions_of(LEARNER_AHEAD, True)
                if s.starts > self.now + dt.timedelta(days=10)
            ]
            roles = ["booked", "booked", "waitlisted", "offered"]
            for session in ahead:
                if not roles or session.item in used:
                    continue
                role = roles.pop(0)
                used.add(session.item)
                if role == "booked":
                    book(session, learner, session.opens + HOUR, keep=True, requested_by_login=True)
                    continue
                # A full session, no cancellations but the one scripted here.
                session.no_cancel = True
                session.reservations = []
                session.latest_request = self.now - dt.timedelta(days=3)
                if role == "waitlisted":
                    session.demand = session.capacity + 5
                    book(session, learner, self.now - DAY, keep=True, requested_by_login=True)
                else:
                    session.demand = session.capacity
                    book(
                        session,
                        learner,
                        self.now - dt.timedelta(days=2),
                        keep=True,
                        undecided=S.OFFERED,
                        requested_by_login=True,
                    )
                    session.scripted_cancel = self.now - 4 * HOUR
            past = [s for s in sessions_of(LEARNER_PAST, False) if s.item not in used]
            for session in past[:: max(1, len(past) // 4)]:
                if session.item in used or len(used) >= 7:
                    continue
                used.add(session.item)
                book(session, learner, session.opens + HOUR, keep=True, requested_by_login=True)
        if manager is not None:
            today = self.as_of.toordinal()
            team = [
                i
                for i, p in self.learners.items()
                if p.manager == manager and i != learner and p.joined < today - 30
            ]
            for n, person in enumerate(team[:4]):
                approval, codes = TEAM_ASKS[1] if n == 3 else TEAM_ASKS[0]
                for session in sessions_of(codes, True, approval):
                    if person in self.item_people.get(session.item, set()):
                        continue
                    # One waits long enough to be escalated to the manager's manager.
                    moment = self.now - dt.timedelta(days=(1, 2, 6, 3)[n], hours=3)
                    if session.starts < self.now + dt.timedelta(days=10) or moment < session.opens:
                        continue
                    undecided = S.APPROVED if approval == lc.MANAGER_LD else S.AWAITING_APPROVAL
                    book(session, person, moment, keep=True, undecided=undecided)
                    break

    # --- records not made by registers ------------------------------------------------------

    def programme_members(self) -> list[tuple[int, int, int]]:
        members = []
        today = self.as_of.toordinal()
        for p_index, spec in enumerate(lc.PROGRAMMES):
            pool = self.pools[spec.cohort]
            count = len(pool) if spec.share >= 1 else max(2, round(len(pool) * spec.share))
            chosen = sorted(self.rng.sample(pool, min(count, len(pool))))
            for person in chosen:
                joined = max(self.learners[person].joined, today - 720)
                joined += self.rng.randrange(max(1, today - joined - 1))
                members.append((p_index, person, joined))
        return members

    def other_completions(self) -> list[tuple]:
        """E-learning done, imported completions, and learning people logged themselves:
        (person, item index or None, title, day, hours, days, result, source, status, notes)."""
        rng = self.rng
        today = self.as_of.toordinal()
        start = today - PAST_DAYS
        elearning = [
            (i, spec, set(self.pools[spec.audience]))
            for i, spec in enumerate(lc.ITEMS)
            if spec.kind == lc.ELEARNING and spec.active
        ]
        arranged = [
            (i, spec, self.pools[spec.audience])
            for i, spec in enumerate(lc.ITEMS)
            if spec.kind not in lc.SESSION_KINDS and spec.kind != lc.ELEARNING and spec.active
        ]
        retired = [i for i, spec in enumerate(lc.ITEMS) if not spec.active]
        found: list[tuple] = []
        seen: set[tuple[int, int, int]] = set()

        def add(person, item, title, day, hours, days, result, source, status, notes=""):
            if item is not None:
                if (person, item, day) in seen:
                    return
                seen.add((person, item, day))
            found.append((person, item, title, day, hours, days, result, source, status, notes))

        learner = self.plan.logins.get("learner")
        for person, who in self.learners.items():
            begin = max(start, who.joined)
            if begin >= today - 1:
                continue
            for index, spec, pool in elearning:
                if person not in pool:
                    continue
                chance = 0.3 if spec.weight >= 3 else 0.08 * spec.weight
                if person == learner and spec.code in ("EL-DPA", "EL-SGC", "EL-RECORD"):
                    chance = 1
                if rng.random() >= chance:
                    continue
                day = begin + rng.randrange(today - begin - 1)
                imported = day < start + 120 and rng.random() < 0.4
                result = rng.choice(("84%", "90%", "100%", "96%")) if spec.assessed else ""
                add(
                    person,
                    index,
                    "",
                    day,
                    spec.hours_decimal,
                    spec.days_decimal,
                    result,
                    Completion.Source.IMPORT if imported else Completion.Source.ELEARNING,
                    Completion.Status.VERIFIED,
                )
            if rng.random() < 0.01 and retired:  # the old records the retired items keep
                index = rng.choice(retired)
                spec = lc.ITEMS[index]
                day = max(begin, start) + rng.randrange(60)
                add(person, index, "", day, spec.hours_decimal, spec.days_decimal, "",
                    Completion.Source.IMPORT, Completion.Status.VERIFIED)  # fmt: skip
            roll = rng.random()
            if roll < 0.025 or person == learner:
                title, hours, days, notes = rng.choice(lc.SELF_LOGGED)
                status = Completion.Status.PENDING
                if person != learner and roll < 0.008:
                    status = Completion.Status.VERIFIED
                elif person != learner and roll < 0.010:
                    status = Completion.Status.REJECTED
                day = max(begin, today - 60) + rng.randrange(max(1, min(59, today - begin - 1)))
                add(person, None, title, day, Decimal(hours), Decimal(days), "",
                    Completion.Source.SELF_LOGGED, status, notes)  # fmt: skip
        for index, spec, pool in arranged:
            share = 0.02 * spec.weight
            for person in rng.sample(pool, round(len(pool) * share)):
                begin = max(start, self.learners[person].joined)
                if begin >= today - 1:
                    continue
                day = begin + rng.randrange(today - begin - 1)
                result = rng.choice(lc.RESULTS) if spec.assessed else ""
                add(person, index, "", day, spec.hours_decimal, spec.days_decimal, result,
                    Completion.Source.IMPORT, Completion.Status.VERIFIED)  # fmt: skip
        found.sort(key=lambda c: (c[0], c[3], c[1] if c[1] is not None else -1, c[2]))
        return found


def _scripted(session: SessionPlan) -> bool:
    return session.no_cancel or any(b.keep for b in session.bookings)


# --- the booking rules, run in time order for one session ------------------------------------

REQUEST, DECIDE, LD_DECIDE, CANCEL, RESPOND, EXPIRE, RELEASE = range(7)


class _Simulation:
    def __init__(self, planner: _Planner, session: SessionPlan) -> None:
        self.p = planner
        self.rng = planner.rng
        self.s = session
        self.spec = lc.ITEMS[session.item]
        self.queue: list[tuple] = []
        self.sequence = 0
        self.holding: list[BookingPlan] = []
        self.waiting = 0

    def push(self, moment: dt.datetime, kind: int, subject) -> None:
        self.sequence += 1
        heapq.heappush(self.queue, (moment, self.sequence, kind, subject))

    def move(self, booking: BookingPlan, to: str, moment: dt.datetime, reason: str = "") -> None:
        booking.events.append((booking.status, to, moment, reason))
        if booking.status in Booking.HOLDING and to not in Booking.HOLDING:
            self.holding.remove(booking)
        elif to in Booking.HOLDING and booking.status not in Booking.HOLDING:
            self.holding.append(booking)
        self.waiting += (to == S.WAITLISTED) - (booking.status == S.WAITLISTED)
        booking.status = to

    def run(self) -> None:
        s = self.s
        if not s.bookings:
            return
        if s.status == Session.Status.CANCELLED:
            horizon = s.cancelled_at
        elif s.status == Session.Status.COMPLETED:
            horizon = s.starts
        else:
            horizon = self.p.now
        for booking in s.bookings:
            self.push(booking.created, REQUEST, booking)
        for r in s.reservations:
            self.push(r.release_at, RELEASE, r)
        if s.scripted_cancel is not None:
            self.push(s.scripted_cancel, CANCEL, None)
        while self.queue and self.queue[0][0] < horizon:
            moment, _, kind, subject = heapq.heappop(self.queue)
            self.handle(kind, subject, moment)
        if s.status == Session.Status.CANCELLED:
            for booking in s.bookings:
                if booking.status in Booking.ACTIVE:
                    booking.cancelled_by = Booking.CancelledBy.SESSION
                    self.move(booking, S.CANCELLED, s.cancelled_at, s.cancelled_reason)
        elif s.status == Session.Status.COMPLETED:
            self.register()

    def handle(self, kind: int, booking, moment: dt.datetime) -> None:
        rng = self.rng
        if kind == REQUEST:
            if self.spec.approval == lc.NONE:
                self.allocate(booking, moment)
            else:
                self.move(booking, S.AWAITING_APPROVAL, moment)
                if booking.undecided != S.AWAITING_APPROVAL:
                    wait = 2 if booking.keep else rng.uniform(3, 96)
                    decide = min(moment + dt.timedelta(hours=wait), self.last_call())
                    self.push(decide, DECIDE, booking)
        elif kind == DECIDE:
            if not booking.keep and rng.random() < DECLINE_RATE:
                self.move(booking, S.DECLINED, moment, rng.choice(lc.DECLINE_REASONS))
            elif self.spec.approval == lc.MANAGER_LD:
                self.move(booking, S.APPROVED, moment, "Approved by manager")
                if booking.undecided != S.APPROVED:
                    later = moment + dt.timedelta(hours=rng.uniform(2, 72))
                    self.push(max(min(later, self.last_call()), moment + HOUR), LD_DECIDE, booking)
            else:
                self.allocate(booking, moment, "Approved")
        elif kind == LD_DECIDE:
            self.allocate(booking, moment, "Approved")
        elif kind == CANCEL:
            if booking is None:  # the scripted cancellation: the first booked place
                booking = next((b for b in self.s.bookings if b.status == S.BOOKED), None)
                if booking is None or booking.keep:
                    return
            elif booking.status not in (S.BOOKED, S.WAITLISTED):
                return
            late = booking.status in Booking.HOLDING and moment > self.s.cutoff
            booking.cancelled_by = rng.choice(("learner",) * 6 + ("manager", "manager", "admin"))
            booking.late = late
            reason = rng.choice(
                (
                    "Work commitments",
                    "Unwell",
                    "Booked in error",
                    "Clash with a court hearing",
                    "Annual leave",
                    "",
                )
            )
            self.move(booking, S.CANCELLED, moment, reason)
            self.offer_free(moment)
        elif kind == RESPOND:
            accept, booking = booking
            if booking.status != S.OFFERED:
                return
            if accept:
                self.move(booking, S.BOOKED, moment, "Offer accepted")
                self.maybe_cancel(booking, moment)
            else:
                self.move(booking, S.DECLINED, moment, "Offer declined")
                self.offer_free(moment)
        elif kind == EXPIRE:
            if booking.status == S.OFFERED and booking.offer_expires_at <= moment:
                self.move(booking, S.DECLINED, moment, "The offer was not taken in time")
                self.offer_free(moment)
        elif kind == RELEASE:
            self.offer_free(moment)

    def last_call(self) -> dt.datetime:
        return self.s.starts - dt.timedelta(hours=20)

    # places, as `services.Pools` counts them
    def take(self, booking: BookingPlan, moment: dt.datetime) -> tuple[bool, int | None]:
        s = self.s
        if not s.reservations:
            return len(self.holding) < s.capacity, None
        held = [i for i, r in enumerate(s.reservations) if moment < r.release_at]
        taken: dict[int | None, int] = {}
        for b in self.holding:
            key = b.reservation if b.reservation in held else None
            taken[key] = taken.get(key, 0) + 1
        directorate = self.p.learners[booking.person].directorate
        for i in held:
            r = s.reservations[i]
            if r.places - taken.get(i, 0) > 0 and r.directorate == directorate:
                return True, i
        reserved = sum(s.reservations[i].places for i in held)
        if s.capacity - reserved - taken.get(None, 0) > 0:
            return True, None
        return False, None

    def waitlist(self) -> list[BookingPlan]:
        waiting = [b for b in self.s.bookings if b.status == S.WAITLISTED]
        return sorted(waiting, key=lambda b: b.waitlisted_at)

    def allocate(self, booking: BookingPlan, moment: dt.datetime, reason: str = "") -> None:
        if self.waiting:
            self.offer_free(moment)
        placed, reservation = self.take(booking, moment)
        if placed:
            booking.reservation = reservation
            self.move(booking, S.BOOKED, moment, reason)
            self.maybe_cancel(booking, moment)
        else:
            booking.waitlisted_at = moment
            self.move(booking, S.WAITLISTED, moment, reason or "The session is full")
            if (
                not booking.keep
                and not self.s.no_cancel
                and self.rng.random() < LEAVE_WAITLIST_RATE
            ):
                leave = moment + (self.s.starts - moment) * self.rng.random()
                self.push(leave, CANCEL, booking)

    def maybe_cancel(self, booking: BookingPlan, moment: dt.datetime) -> None:
        if booking.keep or self.s.no_cancel or self.rng.random() >= CANCEL_RATE:
            return
        # Nearer the start more often: the share after the cut-off are late.
        left = (self.s.starts - HOUR - moment).total_seconds()
        when = moment + dt.timedelta(seconds=left * (1 - self.rng.random() ** 2))
        self.push(when, CANCEL, booking)

    def offer_free(self, moment: dt.datetime) -> None:
        s = self.s
        if moment >= s.starts or not self.waiting:
            return
        for booking in self.waitlist():
            placed, reservation = self.take(booking, moment)
            if not placed:
                continue
            booking.reservation = reservation
            expires = min(
                moment + dt.timedelta(hours=OFFER_HOLD_HOURS), moment + (s.starts - moment) / 2
            )
            booking.offer_expires_at = expires
            self.move(booking, S.OFFERED, moment, "A place became free")
            if booking.undecided == S.OFFERED:
                continue
            respond = moment + dt.timedelta(hours=self.rng.uniform(1, 60))
            if respond < expires:
                self.push(respond, RESPOND, (booking.keep or self.rng.random() < 0.85, booking))
            else:
                self.push(expires, EXPIRE, booking)

    # --- the register ------------------------------------------------------------------------

    def register(self) -> None:
        s, rng = self.s, self.rng
        last = len(s.parts) - 1
        for booking in s.bookings:
            if booking.status in (S.WAITLISTED, S.AWAITING_APPROVAL, S.APPROVED, S.OFFERED):
                # The session has run: the waiting list and undecided requests are closed.
                at = s.ends + HOUR
                if booking.status == S.WAITLISTED:
                    booking.cancelled_by = Booking.CancelledBy.ADMIN
                    self.move(booking, S.CANCELLED, at, "The session has taken place")
                else:
                    self.move(booking, S.DECLINED, at, "The session has taken place")
                continue
            if booking.status != S.BOOKED:
                continue
            roll = 1.0 if booking.keep else rng.random()
            if roll < NO_SHOW_RATE:
                marks = [AttendanceMark.Mark.NO_SHOW] * len(s.parts)
            elif roll < NO_SHOW_RATE + PARTLY_RATE:
                if len(s.parts) == 1:
                    marks = [AttendanceMark.Mark.PARTLY_ATTENDED]
                else:
                    marks = [AttendanceMark.Mark.ATTENDED] * len(s.parts)
                    marks[rng.randrange(len(s.parts))] = AttendanceMark.Mark.NO_SHOW
            else:
                marks = [AttendanceMark.Mark.ATTENDED] * len(s.parts)
            booking.marks = [
                (i, mark, s.parts[i][1] + dt.timedelta(minutes=15)) for i, mark in enumerate(marks)
            ]
            marked_at = booking.marks[last][2]
            if all(m == AttendanceMark.Mark.ATTENDED for m in marks):
                outcome = S.ATTENDED
            elif all(m == AttendanceMark.Mark.NO_SHOW for m in marks):
                outcome = S.NO_SHOW
            else:
                outcome = S.PARTLY_ATTENDED
            self.move(booking, outcome, marked_at, "Marked on the register")
            if outcome == S.ATTENDED:
                result = rng.choice(lc.RESULTS) if self.spec.assessed else ""
                on = self.p.local_day(s.parts[last][0])
                booking.completion = (on, result, marked_at)


def learning_plan(plan: CouncilPlan) -> LearningPlan:
    return _Planner(plan).run()


# --- writing it ------------------------------------------------------------------------------


def learning_write(
    plan: CouncilPlan,
    learning: LearningPlan,
    *,
    person_ids: list[int],
    unit_ids: list[int],
    user_ids: dict[str, int],
    create: Callable,
    insert: Callable,
) -> dict[str, int]:
    """Write the learning plan: `create(model, objects)` inserts model instances in batches and
    returns their ids; `insert(model, fields, rows)` inserts plain rows (the largest tables)."""
    marker = user_ids.get("ld.admin")
    learner_user = user_ids.get("learner")
    learner = plan.logins.get("learner")

    provider_ids = dict(
        zip(
            (name for name, _, _ in lc.PROVIDERS),
            create(
                Provider,
                (
                    Provider(name=name, is_internal=internal, contact_email=email)
                    for name, internal, email in lc.PROVIDERS
                ),
            ),
            strict=True,
        )
    )
    topic_ids = dict(
        zip(
            (slug for slug, _ in lc.TOPICS),
            create(Topic, (Topic(name=name, slug=slug) for slug, name in lc.TOPICS)),
            strict=True,
        )
    )
    venue_ids = dict(
        zip(
            (v.key for v in lc.VENUES),
            create(
                Venue,
                (
                    Venue(
                        name=v.name,
                        address=v.address,
                        access_notes=v.access_notes,
                        room_size=v.room_size,
                        is_active=v.is_active,
                    )
                    for v in lc.VENUES
                ),
            ),
            strict=True,
        )
    )
    item_ids = create(
        LearningItem,
        (
            LearningItem(
                code=spec.code,
                title=spec.title,
                kind=spec.kind,
                summary=spec.summary[:300],
                description=spec.description,
                outcomes=spec.outcomes_text,
                duration_hours=spec.hours_decimal,
                development_days=spec.days_decimal,
                provider_id=provider_ids[spec.provider],
                cost_per_delegate=spec.cost_decimal,
                audience=spec.audience_text,
                hosted_url=spec.hosted_url,
                approval=spec.approval,
                is_assessed=spec.assessed,
                is_active=spec.active,
            )
            for spec in lc.ITEMS
        ),
    )
    by_code = {spec.code: item_ids[i] for i, spec in enumerate(lc.ITEMS)}
    item_topics = create(
        LearningItem.topics.through,
        (
            LearningItem.topics.through(learningitem_id=item_ids[i], topic_id=topic_ids[t])
            for i, spec in enumerate(lc.ITEMS)
            for t in spec.topics
        ),
    )
    create(
        LearningItem.prerequisites.through,
        (
            LearningItem.prerequisites.through(
                from_learningitem_id=item_ids[i], to_learningitem_id=by_code[code]
            )
            for i, spec in enumerate(lc.ITEMS)
            for code in spec.prerequisites
        ),
    )
    programme_ids = create(
        Programme,
        (
            Programme(
                code=p.code, title=p.title, description=p.description, required_count=p.required
            )
            for p in lc.PROGRAMMES
        ),
    )
    create(
        ProgrammeItem,
        (
            ProgrammeItem(programme_id=programme_ids[i], item_id=by_code[code], position=n)
            for i, p in enumerate(lc.PROGRAMMES)
            for n, code in enumerate(p.items, start=1)
        ),
    )
    members = create(
        ProgrammeMember,
        (
            ProgrammeMember(
                programme_id=programme_ids[p],
                person_id=person_ids[person],
                joined_on=dt.date.fromordinal(day),
            )
            for p, person, day in learning.programme_members
        ),
    )

    sessions = learning.sessions
    session_ids = create(
        Session,
        (
            Session(
                item_id=item_ids[s.item],
                venue_id=venue_ids.get(s.venue),
                online_url=s.online_url,
                capacity=s.capacity,
                minimum=s.minimum,
                booking_opens_at=s.opens,
                booking_closes_at=s.closes,
                cancellation_cutoff_at=s.cutoff,
                status=s.status,
                offer_hold_hours=OFFER_HOLD_HOURS,
                cancelled_reason=s.cancelled_reason,
            )
            for s in sessions
        ),
    )
    create(
        Session.trainers.through,
        (
            Session.trainers.through(session_id=session_ids[n], person_id=person_ids[t])
            for n, s in enumerate(sessions)
            for t in s.trainers
        ),
    )
    part_ids = create(
        SessionPart,
        (
            SessionPart(session_id=session_ids[n], starts_at=a, ends_at=b)
            for n, s in enumerate(sessions)
            for a, b in s.parts
        ),
    )
    reservation_ids = create(
        PlaceReservation,
        (
            PlaceReservation(
                session_id=session_ids[n],
                unit_id=unit_ids[r.directorate],
                places=r.places,
                release_at=r.release_at,
            )
            for n, s in enumerate(sessions)
            for r in s.reservations
        ),
    )
    # Index the parts and reservations of each session.
    first_part, first_reservation = [], []
    count_parts = count_reservations = 0
    for s in sessions:
        first_part.append(count_parts)
        first_reservation.append(count_reservations)
        count_parts += len(s.parts)
        count_reservations += len(s.reservations)

    flat = [(n, b) for n, s in enumerate(sessions) for b in s.bookings]
    # Bookings are plain rows too; their ids are read back by (session, person), which is one
    # booking each (nobody books the same item twice).
    insert(
        Booking,
        (
            "session",
            "person",
            "status",
            "requested_by",
            "created_at",
            "priority",
            "waitlisted_at",
            "offer_expires_at",
            "reservation",
            "cancelled_by",
            "is_late_cancellation",
        ),
        (
            (
                session_ids[n],
                person_ids[b.person],
                b.status,
                learner_user if b.requested_by_login else None,
                b.created,
                0,
                b.waitlisted_at,
                b.offer_expires_at,
                reservation_ids[first_reservation[n] + b.reservation]
                if b.reservation is not None
                else None,
                b.cancelled_by,
                b.late,
            )
            for n, b in flat
        ),
    )
    found = {
        (session, person): pk
        for session, person, pk in Booking.objects.values_list("session_id", "person_id", "pk")
    }
    booking_ids = [found[session_ids[n], person_ids[b.person]] for n, b in flat]
    events = insert(
        BookingEvent,
        ("booking", "from_status", "to_status", "at", "actor", "reason"),
        (
            (
                booking_ids[k],
                before,
                to,
                at,
                marker
                if reason == "Marked on the register"
                else learner_user
                if b.requested_by_login and before == ""
                else None,
                reason,
            )
            for k, (_, b) in enumerate(flat)
            for before, to, at, reason in b.events
        ),
    )
    marks = insert(
        AttendanceMark,
        ("booking", "part", "mark", "marked_by", "marked_at"),
        (
            (booking_ids[k], part_ids[first_part[n] + part], mark, marker, at)
            for k, (n, b) in enumerate(flat)
            for part, mark, at in b.marks
        ),
    )
    fields = (
        "person",
        "item",
        "title",
        "completed_on",
        "hours",
        "development_days",
        "result",
        "learning_notes",
        "source",
        "booking",
        "evidence",
        "status",
        "rejected_reason",
        "verified_by",
        "verified_at",
        "created_by",
        "created_at",
    )
    attended = insert(
        Completion,
        fields,
        (
            (
                person_ids[b.person],
                item_ids[sessions[n].item],
                "",
                b.completion[0],
                lc.ITEMS[sessions[n].item].hours_decimal,
                lc.ITEMS[sessions[n].item].days_decimal,
                b.completion[1],
                "",
                Completion.Source.ATTENDANCE.value,
                booking_ids[k],
                "",
                Completion.Status.VERIFIED.value,
                "",
                None,
                None,
                marker,
                b.completion[2],
            )
            for k, (n, b) in enumerate(flat)
            if b.completion is not None
        ),
    )
    tz = timezone.get_default_timezone()
    last_day = plan.as_of.toordinal() - 1

    def moment(day: int, hour: int) -> dt.datetime:
        local = dt.datetime.combine(dt.date.fromordinal(day), dt.time(hour), tzinfo=tz)
        return local.astimezone(dt.UTC)

    def other(c: tuple) -> tuple:
        person, item, title, day, hours, days, result, source, status, notes = c
        logged = source == Completion.Source.SELF_LOGGED
        decided = status != Completion.Status.PENDING and logged
        rejected = status == Completion.Status.REJECTED
        return (
            person_ids[person],
            item_ids[item] if item is not None else None,
            title,
            dt.date.fromordinal(day),
            hours,
            days,
            result,
            notes,
            str(source),
            None,
            "",
            str(status),
            "Please add the certificate or notes that show what you did." if rejected else "",
            None,
            moment(min(day + 3, last_day), 10) if decided else None,
            learner_user if logged and person == learner else None,
            moment(day, 17),
        )

    others = insert(Completion, fields, (other(c) for c in learning.completions))
    return {
        "learning items": len(item_ids),
        "item topics": len(item_topics),
        "programme members": len(members),
        "sessions": len(session_ids),
        "session parts": len(part_ids),
        "place reservations": len(reservation_ids),
        "bookings": len(booking_ids),
        "booking events": events,
        "attendance marks": marks,
        "completions": attended + others,
    }
