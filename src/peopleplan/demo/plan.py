"""Plan a demo council in memory: its structure, establishment and five years of people.

No database here: `plan_council` returns plain objects that `generator.py` writes in bulk. The
same seed and as-of date always give the same plan (one `random.Random(seed)`, events in a
fixed order).

How it works:

1. The structure. The council (chief executive) has directorates (directors), divisions
   (heads of service), services (service managers) and teams (team managers), sized so that
   about `people` people are in post today. Each team's posts follow its job family's ladder;
   some teams have an apprentice post, business support, and relief (casual) workers outside
   the establishment. A small partner agency is a second top-level organisation.
2. The history. Five years before the as-of date most posts are held. From then on each holder
   leaves after a while (a rate for their job family, retirement at their age, the end of a
   fixed-term contract or an apprenticeship); the post stays vacant while it is recruited to,
   sometimes covered by an agency worker, and is filled by a new starter or by an internal move,
   which leaves another post vacant in its turn. Events run in date order from a heap.
3. Reporting lines. The line manager of a post is the holder of the manager post of its unit,
   or when that is vacant of the unit above, and so on up to the chief executive: the lines
   always run up the unit tree, so they cannot loop. A holder's time in a post is cut into
   assignments where their manager changes, so that the lines are right on every date.
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
import random
from dataclasses import dataclass, field
from decimal import Decimal

from peopleplan.demo.catalogue import (
    CHIEF_EXECUTIVE_GRADE,
    COUNCIL_CODE,
    COUNCIL_NAME,
    DIRECTOR_GRADE,
    DIRECTORATES,
    EMAIL_DOMAIN,
    FAMILIES,
    HEAD_OF_SERVICE_GRADE,
    LEAVING_REASONS,
    MANAGEMENT,
    PARTNER_CODE,
    PARTNER_NAME,
    SERVICE_MANAGER_GRADE,
    Family,
    Rung,
    grade_rows,
)
from peopleplan.demo.people import EmailBook, draw_age, draw_identity

HISTORY_YEARS = 5
INF = dt.date.max.toordinal()  # an open end
MIN = 1

PERMANENT = "permanent"
FIXED_TERM = "fixed_term"
TEMPORARY = "temporary"
CASUAL = "casual"
APPRENTICE = "apprentice"
AGENCY = "agency"

# Event kinds, in the order they run on the same day.
END, FILL, AGENCY_START = 0, 1, 2
# What happens at the end of a spell in post.
LEAVE, RETIRE, CONTRACT_END, APPRENTICESHIP_END, AGENCY_END, SECONDARY_END = range(6)

FULL_TIME = Decimal("1.00")
PART_TIME = tuple(Decimal(v) for v in ("0.40", "0.50", "0.60", "0.60", "0.70", "0.80", "0.81"))
NO_HOURS = Decimal("0.00")


# --- the plan --------------------------------------------------------------------------------


@dataclass(slots=True)
class UnitPlan:
    code: str
    name: str
    unit_type: str
    parent: int | None
    depth: int
    cost_centre: str
    top: int  # the directorate (or top-level unit) it sits in
    manager_post: int | None = None


@dataclass(slots=True)
class RolePlan:
    code: str
    title: str
    job_family: str
    registration_body: str
    dbs_level: str
    works_with_children: bool
    works_with_adults: bool
    manages_people: bool


@dataclass(slots=True)
class PostPlan:
    number: str  # "" for a relief (casual) place, which is not in the establishment
    unit: int
    role: int
    grade: int  # the grade's rank
    fte: Decimal
    start: int  # day ordinal
    family: str
    manages: bool = False  # the manager post of its unit
    apprentice: bool = False
    casual: bool = False
    critical: bool = False
    end: int | None = None
    # state while the history runs
    holder: int | None = None  # the substantive holder's spell
    agency: int | None = None  # an agency worker's spell covering the vacancy
    token: int = 0  # bumped whenever a scheduled fill is no longer wanted
    fill_day: int = 0


@dataclass(slots=True)
class PersonPlan:
    number: str
    first_name: str
    last_name: str
    email: str
    sex: str
    ethnicity: str
    disability: str
    religion: str
    sexual_orientation: str
    born: int
    service_start: int
    retire_day: int
    agency: bool = False
    leaving: int | None = None
    reason: str = ""
    spell: int | None = None  # the primary spell in post now
    secondary: list[int] = field(default_factory=list)


@dataclass(slots=True)
class SpellPlan:
    """A person's time in one post on one contract; cut into assignments by line manager."""

    person: int
    post: int
    start: int
    contract: str
    fte: Decimal
    primary: bool = True
    end: int | None = None
    contract_end: int | None = None  # a fixed-term contract's planned end


@dataclass(slots=True)
class AssignmentPlan:
    person: int
    post: int
    start: int
    end: int | None
    contract: str
    fte: Decimal
    manager: int | None
    primary: bool


@dataclass
class CouncilPlan:
    people: int
    seed: int
    as_of: dt.date
    history_start: dt.date
    grades: list[tuple[str, str, int]]
    roles: list[RolePlan]
    units: list[UnitPlan]
    posts: list[PostPlan]
    persons: list[PersonPlan]
    spells: list[SpellPlan]
    assignments: list[AssignmentPlan]
    logins: dict[str, int]  # demo login key -> person
    scopes: dict[str, int]  # directorate code -> unit, for scoped demo logins

    def shape(self) -> dict:
        return council_shape(self)


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def plan_council(*, people: int, seed: int, as_of: dt.date) -> CouncilPlan:
    return _Planner(people=people, seed=seed, as_of=as_of).run()


# --- the planner -----------------------------------------------------------------------------


class _Planner:
    def __init__(self, *, people: int, seed: int, as_of: dt.date) -> None:
        if people < 50:
            raise ValueError("A demo council needs at least 50 people.")
        self.people = people
        self.seed = seed
        self.rng = random.Random(seed)
        self.as_of = as_of
        self.today = as_of.toordinal()
        self.history_start = years_before(as_of, HISTORY_YEARS)
        self.start = self.history_start.toordinal()
        self.roles: list[RolePlan] = []
        self.role_index: dict[tuple, int] = {}
        self.role_numbers: dict[str, int] = {}
        self.units: list[UnitPlan] = []
        self.children: dict[int, list[int]] = {}
        self.posts: list[PostPlan] = []
        self.persons: list[PersonPlan] = []
        self.spells: list[SpellPlan] = []
        self.emails = EmailBook()
        self.events: list[tuple] = []
        self.sequence = 0
        self.numbers = {"staff": 100000, "agency": 0, "partner": 0, "post": 0}
        self.member_pools: dict[tuple[int, str], list[int]] = {}
        self.manager_pools: dict[tuple[int, int], list[int]] = {}
        self.ceo_post = -1
        self.scopes: dict[str, int] = {}

    def run(self) -> CouncilPlan:
        self.build_structure()
        self.populate()
        self.simulate()
        assignments = self.assignments()
        self.close_history()
        return CouncilPlan(
            people=self.people,
            seed=self.seed,
            as_of=self.as_of,
            history_start=self.history_start,
            grades=grade_rows(),
            roles=self.roles,
            units=self.units,
            posts=self.posts,
            persons=self.persons,
            spells=self.spells,
            assignments=assignments,
            logins=self.choose_logins(),
            scopes=self.scopes,
        )

    # --- structure ---------------------------------------------------------------------------

    def unit(self, code: str, name: str, unit_type: str, parent: int | None, cc: str) -> int:
        index = len(self.units)
        depth = 0 if parent is None else self.units[parent].depth + 1
        top = index if depth <= 1 else self.units[parent].top
        self.units.append(UnitPlan(code, name, unit_type, parent, depth, cc, top))
        self.children.setdefault(index, [])
        if parent is not None:
            self.children[parent].append(index)
        return index

    def role(self, family: Family | None, rung: Rung, specialism: str = "", **flags) -> int:
        """The job role for a rung of a family in a specialism, made the first time it is
        asked for. `family` None is senior management."""
        title = f"{rung.title}, {specialism}" if specialism else rung.title
        key = (family.key if family else "MGT", title)
        if key in self.role_index:
            return self.role_index[key]
        prefix = key[0]
        self.role_numbers[prefix] = self.role_numbers.get(prefix, 0) + 1
        if family is None:
            values = {
                "registration_body": "",
                "dbs_level": "basic",
                "works_with_children": False,
                "works_with_adults": False,
            }
        else:
            values = {
                "registration_body": family.registration
                if rung.registration is None
                else rung.registration,
                "dbs_level": family.dbs,
                "works_with_children": family.children,
                "works_with_adults": family.adults,
            }
        values.update(flags)
        self.roles.append(
            RolePlan(
                code=f"{prefix}{self.role_numbers[prefix]:03d}",
                title=title,
                job_family=family.name if family else MANAGEMENT,
                manages_people=family is None or rung.weight == 0,
                **values,
            )
        )
        self.role_index[key] = len(self.roles) - 1
        return self.role_index[key]

    def post(self, unit: int, role: int, grade: int, family: str, **options) -> int:
        org = PARTNER_CODE if self.units[self.units[unit].top].code == PARTNER_CODE else None
        casual = options.get("casual", False)
        if casual:
            number = ""
        else:
            self.numbers["post"] += 1
            number = f"{org or COUNCIL_CODE}{self.numbers['post']:06d}"
        manages = options.get("manages", False)
        fte = FULL_TIME
        share = FAMILIES[family].part_time if family in FAMILIES else 0.0
        if casual:
            fte = NO_HOURS
        elif self.rng.random() < (share / 4 if manages else share):
            fte = self.rng.choice(PART_TIME)
        start = dt.date(self.history_start.year - self.rng.randint(1, 12), 4, 1).toordinal()
        if not options.get("established", True):
            start = self.rng.randint(self.start + 30, self.today - 60)
        self.posts.append(
            PostPlan(
                number=number,
                unit=unit,
                role=role,
                grade=grade,
                fte=Decimal("1.00") if fte == NO_HOURS and not casual else fte,
                start=start,
                family=family,
                manages=manages,
                apprentice=options.get("apprentice", False),
                casual=casual,
                critical=options.get("critical", False),
            )
        )
        index = len(self.posts) - 1
        if manages:
            self.units[unit].manager_post = index
        return index

    def head_post(self, unit: int, title: str, grade: int, family: Family | None, **flags) -> int:
        role = self.role(None, Rung(title, grade, 0), **flags)
        return self.post(unit, role, grade, family.key if family else "MGT", manages=True, **{
            "critical": grade >= HEAD_OF_SERVICE_GRADE
        })

    def build_structure(self) -> None:
        rng = self.rng
        scale = min(1.0, self.people / 3000)
        # Posts for about `people` in post today: some vacant, a few relief workers besides.
        posts_wanted = self.people * 0.965 / 0.89
        chosen = []
        for directorate in DIRECTORATES:
            for division in directorate.divisions:
                keep = max(1, round(len(division.services) * scale))
                chosen.extend(division.services[:keep])
        total_weight = sum(s.weight for s in chosen)
        overhead = 1 + len(DIRECTORATES) * 3 + len(chosen) * 1.3 + 8
        member_posts = max(len(chosen) * 3, posts_wanted - overhead)

        council = self.unit(COUNCIL_CODE, COUNCIL_NAME, "council", None, "C00000")
        self.ceo_post = self.head_post(council, "Chief Executive", CHIEF_EXECUTIVE_GRADE, None)
        self.posts[self.ceo_post].critical = True
        office = self.unit(
            f"{COUNCIL_CODE}-CEX", "Chief Executive's Office", "team", council, "C00001"
        )
        self.team_posts(office, FAMILIES["POL"], "", max(3, round(6 * scale)), "C0")

        for number, directorate in enumerate(DIRECTORATES, start=1):
            cc = iter(range(10000))
            prefix = f"C{number}"
            d = self.unit(
                directorate.code, directorate.name, "directorate", council, f"{prefix}{0:04d}"
            )
            next(cc)
            self.scopes[directorate.code] = d
            families = {FAMILIES[s.family] for dv in directorate.divisions for s in dv.services}
            flags = {}
            if directorate.code == "CHI":
                flags = {"dbs_level": "enhanced_barred", "works_with_children": True}
            elif directorate.code == "ADU":
                flags = {"dbs_level": "enhanced_barred", "works_with_adults": True}
            del families
            self.head_post(d, directorate.director, DIRECTOR_GRADE, None, **flags)
            bs = FAMILIES["BS"]
            ea = self.role(bs, Rung("Executive Assistant to the Director", 7, 1), directorate.name)
            self.post(d, ea, 7, "BS")
            for division in directorate.divisions:
                services = [s for s in division.services if s in chosen]
                first = FAMILIES[services[0].family]
                dv = self.unit(
                    f"{directorate.code}-{division.code}",
                    division.name,
                    "division",
                    d,
                    f"{prefix}{next(cc):04d}",
                )
                self.head_post(
                    dv,
                    f"Head of {division.name}",
                    HEAD_OF_SERVICE_GRADE,
                    first,
                    **self.family_flags(first),
                )
                for service in services:
                    family = FAMILIES[service.family]
                    sv = self.unit(
                        f"{directorate.code}-{division.code}-{service.code}",
                        service.name,
                        "service",
                        dv,
                        f"{prefix}{next(cc):04d}",
                    )
                    self.head_post(
                        sv,
                        f"Service Manager, {service.name}",
                        SERVICE_MANAGER_GRADE,
                        family,
                        **self.family_flags(family),
                    )
                    budget = member_posts * service.weight / total_weight
                    average = (service.size[0] + service.size[1]) / 2 + 2
                    teams = max(1, round(budget / average))
                    for t in range(teams):
                        specialism = service.specialisms[t % len(service.specialisms)]
                        place_number = t // len(service.specialisms)
                        place = service.places[place_number % len(service.places)]
                        name = service.team_name.format(spec=specialism, place=place)
                        if place_number >= len(service.places):
                            name = f"{name} {place_number // len(service.places) + 1}"
                        team = self.unit(
                            f"{sv_code(self.units[sv])}-{t + 1:02d}",
                            name,
                            "team",
                            sv,
                            f"{prefix}{next(cc):04d}",
                        )
                        members = max(2, round(rng.uniform(0.75, 1.25) * (budget / teams - 1)))
                        self.team_posts(
                            team,
                            family,
                            specialism,
                            members,
                            prefix,
                            casual=service.casual,
                            business_support=directorate.name,
                        )
        self.build_partner(scale)

    def family_flags(self, family: Family) -> dict:
        return {
            "registration_body": family.registration,
            "dbs_level": family.dbs,
            "works_with_children": family.children,
            "works_with_adults": family.adults,
        }

    def team_posts(
        self,
        team: int,
        family: Family,
        specialism: str,
        members: int,
        prefix: str,
        *,
        casual: bool = False,
        business_support: str = "",
    ) -> None:
        rng = self.rng
        manager = self.role(family, family.manager, specialism)
        self.post(
            team,
            manager,
            family.manager.grade,
            family.key,
            manages=True,
            critical=family.key in ("CSW", "ASW", "CARE", "RCC"),
        )
        ladder = family.ladder
        weights = [r.weight for r in ladder]
        if family.apprentice and members >= 5 and rng.random() < 0.15:
            role = self.role(family, Rung(family.apprentice, 0, 1, registration=""))
            self.post(team, role, 0, family.key, apprentice=True)
            members -= 1
        if business_support and members >= 8 and rng.random() < 0.6:
            bs = FAMILIES["BS"]
            rung = rng.choices(bs.ladder, weights=[r.weight for r in bs.ladder])[0]
            self.post(team, self.role(bs, rung, business_support), rung.grade, "BS")
            members -= 1
        for _ in range(members):
            rung = rng.choices(ladder, weights=weights)[0]
            self.post(team, self.role(family, rung, specialism), rung.grade, family.key)
        if casual:
            rung = ladder[0]
            role = self.role(family, Rung(f"Relief {rung.title}", rung.grade, 1), specialism)
            for _ in range(round(members * rng.uniform(0.1, 0.4))):
                self.post(team, role, rung.grade, family.key, casual=True)
        # A few posts are new in the last five years.
        for index in range(len(self.posts) - members, len(self.posts)):
            post = self.posts[index]
            if not post.manages and not post.casual and rng.random() < 0.03:
                post.start = rng.randint(self.start + 30, self.today - 60)

    def build_partner(self, scale: float) -> None:
        family = FAMILIES["PART"]
        root = self.unit(PARTNER_CODE, PARTNER_NAME, "partner agency", None, "SCP000")
        self.head_post(root, "Safeguarding Partnership Manager", 14, family)
        for number, name in enumerate(("Partnership Business Unit", "Multi-agency Training"), 1):
            team = self.unit(f"{PARTNER_CODE}-{number:02d}", name, "team", root, f"SCP00{number}")
            self.team_posts(team, family, "", max(2, round(5 * scale)), "SCP")

    # --- people --------------------------------------------------------------------------------

    def new_person(self, post: PostPlan, day: int, *, age: int, agency: bool = False) -> int:
        rng = self.rng
        family = FAMILIES.get(post.family)
        identity = draw_identity(rng, female_share=family.female if family else 0.6, age=age)
        born = day - int(age * 365.25) - rng.randint(0, 364)
        top = self.units[self.units[post.unit].top]
        if agency:
            self.numbers["agency"] += 1
            number = f"AG{self.numbers['agency']:05d}"
        elif top.code == PARTNER_CODE:
            self.numbers["partner"] += 1
            number = f"SCP{self.numbers['partner']:04d}"
        else:
            self.numbers["staff"] += 1
            number = str(self.numbers["staff"])
        domain = "northbridgescp.example" if top.code == PARTNER_CODE else EMAIL_DOMAIN
        retire_age = 60 + rng.triangular(0, 8, 6.5)
        retire_day = born + int(max(retire_age, age + 1.5) * 365.25)
        self.persons.append(
            PersonPlan(
                number=number,
                first_name=identity.first_name,
                last_name=identity.last_name,
                email=self.emails.address(identity.first_name, identity.last_name, domain),
                sex="" if agency else identity.sex,
                ethnicity="" if agency else identity.ethnicity,
                disability="" if agency else identity.disability,
                religion="" if agency else identity.religion,
                sexual_orientation="" if agency else identity.sexual_orientation,
                born=born,
                service_start=day,
                retire_day=retire_day,
                agency=agency,
            )
        )
        return len(self.persons) - 1

    def starter_age(self, post: PostPlan) -> int:
        if post.apprentice:
            return draw_age(self.rng, 19, 3, 16, 30)
        if post.manages:
            return draw_age(self.rng, 46, 7, 30, 62)
        return draw_age(self.rng, 36, 10, 18, 63)

    def starter_contract(self, post: PostPlan) -> str:
        if post.apprentice:
            return APPRENTICE
        if post.casual:
            return CASUAL
        roll = self.rng.random()
        if post.manages:
            return FIXED_TERM if roll < 0.06 else PERMANENT
        if roll < 0.08:
            return FIXED_TERM
        if roll < 0.13:
            return TEMPORARY
        return PERMANENT

    def populate(self) -> None:
        """Who holds each post five years ago, and which posts are vacant then."""
        rng = self.rng
        for index, post in enumerate(self.posts):
            if post.start > self.start:
                self.vacate(index, post.start)
                continue
            chance = 1.0 if post.grade >= DIRECTOR_GRADE else 0.95 if post.manages else 0.9
            if post.casual:
                chance = 0.8
            if rng.random() >= chance:
                self.vacate(index, self.start - rng.randint(0, 120))
                continue
            if post.apprentice:
                age = draw_age(rng, 19, 3, 16, 30)
            elif post.grade >= HEAD_OF_SERVICE_GRADE:
                age = draw_age(rng, 52, 5, 38, 63)
            elif post.manages:
                age = draw_age(rng, 47, 8, 28, 64)
            else:
                age = draw_age(rng, 44, 11, 18, 65)
            person_index = self.new_person(post, self.start, age=age)
            person = self.persons[person_index]
            service_years = min(age - 17.5, rng.expovariate(1 / 9))
            if post.apprentice:
                service_years = rng.uniform(0, 1.4)
            person.service_start = self.start - max(1, int(service_years * 365.25))
            in_post = min(service_years, rng.uniform(0, 7))
            start = max(post.start, person.service_start, self.start - int(in_post * 365.25))
            contract = self.starter_contract(post)
            if contract in (FIXED_TERM, TEMPORARY) and rng.random() < 0.5:
                contract = PERMANENT
            self.start_spell(person_index, index, min(start, self.start - 1), contract)

    # --- the history ---------------------------------------------------------------------------

    def push(self, day: int, kind: int, subject: int, detail: int) -> None:
        self.sequence += 1
        heapq.heappush(self.events, (day, kind, self.sequence, subject, detail))

    def simulate(self) -> None:
        while self.events and self.events[0][0] <= self.today:
            day, kind, _, subject, detail = heapq.heappop(self.events)
            if kind == END:
                self.on_end(day, subject, detail)
            elif kind == FILL:
                self.on_fill(day, subject, detail)
            else:
                self.on_agency_start(day, subject, detail)

    def start_spell(
        self,
        person_index: int,
        post_index: int,
        day: int,
        contract: str,
        *,
        primary: bool = True,
        fte: Decimal | None = None,
    ) -> int:
        rng = self.rng
        post = self.posts[post_index]
        person = self.persons[person_index]
        if fte is None:
            fte = post.fte
            if not post.casual and fte == FULL_TIME and rng.random() < 0.06:
                fte = rng.choice(PART_TIME)
        spell = SpellPlan(person_index, post_index, day, contract, fte, primary)
        index = len(self.spells)
        self.spells.append(spell)
        if contract == AGENCY:
            post.agency = index
        else:
            post.holder = index
        if primary:
            person.spell = index
        else:
            person.secondary.append(index)

        # When and how this spell will end (if the history runs that far).
        since = max(day, self.start)
        if post_index == self.ceo_post:
            return index
        family = FAMILIES.get(post.family)
        rate = family.leave_rate if family and not post.manages else 0.09
        if post.grade >= HEAD_OF_SERVICE_GRADE:
            rate = 0.08
        if since - person.born < 30 * 365:
            rate *= 1.3

        def after(years_rate: float) -> int:
            return since + 1 + int(rng.expovariate(years_rate) * 365.25)

        if contract == AGENCY:
            end, outcome = after(1 / 0.8), AGENCY_END
        elif contract == CASUAL:
            end, outcome = after(0.3), LEAVE if primary else SECONDARY_END
        elif contract == APPRENTICE:
            end = max(since + 30, day + rng.randint(365, 730))
            outcome = APPRENTICESHIP_END
        elif contract in (FIXED_TERM, TEMPORARY):
            length = rng.randint(180, 730) if contract == FIXED_TERM else rng.randint(90, 365)
            spell.contract_end = max(since + 30, day + length)
            end, outcome = after(rate), LEAVE
            if end >= spell.contract_end:
                end, outcome = spell.contract_end, CONTRACT_END
        else:
            end, outcome = after(rate), LEAVE
        if contract != AGENCY and person.retire_day < end:
            end, outcome = max(since + 1, person.retire_day), RETIRE
        self.push(end, END, index, outcome)
        return index

    def vacate(self, post_index: int, day: int) -> None:
        """The post is vacant from `day`: recruit to it, perhaps cover it with an agency worker."""
        rng = self.rng
        post = self.posts[post_index]
        post.holder = None
        post.token += 1
        if post.end is not None:
            return
        family = FAMILIES.get(post.family)
        if post.casual:
            delay = rng.randint(20, 90)
        elif post.manages:
            delay = int(rng.gammavariate(3, 35))
        else:
            delay = int(rng.gammavariate(3, 75 if family and family.hard_to_fill else 55))
            if rng.random() < 0.05:
                delay += rng.randint(180, 600)  # held vacant
        fill = max(day + delay, self.start + rng.randint(1, 60))
        if post.apprentice:  # apprentices start in September
            year = dt.date.fromordinal(fill).year
            september = dt.date(year, 9, 1).toordinal()
            fill = september if september >= fill else dt.date(year + 1, 9, 1).toordinal()
        post.fill_day = fill
        self.push(fill, FILL, post_index, post.token)
        if (
            family
            and not post.manages
            and not post.casual
            and not post.apprentice
            and post.agency is None
            and rng.random() < family.agency
        ):
            self.push(day + rng.randint(7, 42), AGENCY_START, post_index, post.token)

    def on_agency_start(self, day: int, post_index: int, token: int) -> None:
        post = self.posts[post_index]
        if post.token != token or post.holder is not None or post.agency is not None:
            return
        if day >= post.fill_day - 1 or post.end is not None:
            return
        person = self.new_person(post, day, age=draw_age(self.rng, 40, 10, 21, 64), agency=True)
        self.start_spell(person, post_index, day, AGENCY)

    def on_fill(self, day: int, post_index: int, token: int) -> None:
        rng = self.rng
        post = self.posts[post_index]
        if post.token != token or post.holder is not None or post.end is not None:
            return
        if post.agency is not None:
            agency = self.spells[post.agency]
            self.leave(agency.person, day - 1, "end_of_contract")
        if not post.casual and not post.apprentice:
            chance = 0.6 if post.grade >= HEAD_OF_SERVICE_GRADE else 0.5 if post.manages else 0.2
            if rng.random() < chance:
                mover = self.internal_candidate(post_index, day)
                if mover is not None:
                    self.move(mover, post_index, day)
                    return
        if post.casual and rng.random() < 0.12:
            second = self.secondary_candidate(post, day)
            if second is not None:
                self.start_spell(second, post_index, day, CASUAL, primary=False)
                return
        person_index = self.new_person(post, day, age=self.starter_age(post))
        person = self.persons[person_index]
        if not post.apprentice and rng.random() < 0.12:
            # Continuous service carried over from another council.
            years = rng.uniform(1, 12)
            earliest = person.born + 18 * 365
            person.service_start = max(earliest, day - int(years * 365.25))
        self.start_spell(person_index, post_index, day, self.starter_contract(post))

    def on_end(self, day: int, spell_index: int, outcome: int) -> None:
        rng = self.rng
        spell = self.spells[spell_index]
        person = self.persons[spell.person]
        if spell.end is not None or person.leaving is not None:
            return
        post = self.posts[spell.post]
        if outcome == SECONDARY_END:
            self.close(spell_index, day)
            person.secondary.remove(spell_index)
            self.vacate(spell.post, day + 1)
        elif outcome == AGENCY_END:
            self.leave(spell.person, day, "end_of_contract")
            if post.holder is None and post.end is None and rng.random() < 0.6:
                self.push(day + rng.randint(3, 21), AGENCY_START, spell.post, post.token)
        elif outcome == RETIRE:
            self.leave(spell.person, day, "retirement")
        elif outcome == CONTRACT_END:
            roll = rng.random()
            if roll < 0.65:  # made permanent, or the contract extended: a new assignment
                self.close(spell_index, day)
                contract = PERMANENT if roll < 0.45 else spell.contract
                self.start_spell(spell.person, spell.post, day + 1, contract, fte=spell.fte)
            else:
                self.leave(spell.person, day, "end_of_contract")
        elif outcome == APPRENTICESHIP_END:
            if not (rng.random() < 0.5 and self.apprentice_moves_on(spell_index, day)):
                self.leave(spell.person, day, "end_of_contract")
        else:
            age = (day - person.born) / 365.25
            if age >= 57 and rng.random() < 0.4:
                reason = "retirement"
            else:
                reasons, weights = zip(*LEAVING_REASONS, strict=True)
                reason = rng.choices(reasons, weights=weights)[0]
                if spell.contract == CASUAL and rng.random() < 0.3:
                    reason = "end_of_contract"
            if (
                not post.manages
                and not post.casual
                and day > self.start
                and rng.random() < 0.015
            ):
                post.end = day  # the post is deleted in a restructure
                reason = "redundancy"
            self.leave(spell.person, day, reason)

    def close(self, spell_index: int, day: int) -> None:
        spell = self.spells[spell_index]
        spell.end = day
        post = self.posts[spell.post]
        if post.holder == spell_index:
            post.holder = None
        if post.agency == spell_index:
            post.agency = None

    def leave(self, person_index: int, day: int, reason: str) -> None:
        """The person leaves: every assignment they hold ends on the leaving date."""
        person = self.persons[person_index]
        for index in person.secondary:
            self.close(index, day)
            self.vacate(self.spells[index].post, day + 1)
        person.secondary = []
        spell = self.spells[person.spell]
        was_holder = self.posts[spell.post].holder == person.spell
        self.close(person.spell, day)
        if was_holder:
            self.vacate(spell.post, day + 1)
        person.leaving = day
        person.reason = reason

    def move(self, person_index: int, post_index: int, day: int) -> None:
        """An internal move or promotion: a new assignment from `day`, the old one ending the
        day before, and the old post vacant."""
        person = self.persons[person_index]
        old = self.spells[person.spell]
        self.close(person.spell, day - 1)
        self.vacate(old.post, day)
        contract = PERMANENT if self.rng.random() < 0.9 else old.contract
        self.start_spell(person_index, post_index, day, contract)

    def internal_candidate(self, post_index: int, day: int) -> int | None:
        rng = self.rng
        post = self.posts[post_index]
        if post.manages:
            pool = self.manager_pool(post)
            low, high = post.grade - 4, post.grade - 1
        else:
            pool = self.member_pool(post)
            low, high = post.grade - 3, post.grade
        if not pool:
            return None
        for _ in range(10):
            other = self.posts[rng.choice(pool)]
            if other.holder is None or not (low <= other.grade <= high):
                continue
            spell = self.spells[other.holder]
            person = self.persons[spell.person]
            if (
                spell.post == post_index
                or not spell.primary
                or spell.contract not in (PERMANENT, FIXED_TERM, TEMPORARY)
                or spell.start > day - 270
                or person.retire_day < day + 400
                or (post.manages and person.secondary)
            ):
                continue
            return spell.person
        return None

    def member_pool(self, post: PostPlan) -> list[int]:
        key = (self.units[post.unit].top, post.family)
        if not self.member_pools:
            for index, other in enumerate(self.posts):
                if not (other.manages or other.casual or other.apprentice):
                    top = self.units[other.unit].top
                    self.member_pools.setdefault((top, other.family), []).append(index)
                    self.member_pools.setdefault((top, "*"), []).append(index)
        return self.member_pools.get(key, [])

    def manager_pool(self, post: PostPlan) -> list[int]:
        """Who might be promoted into a manager post: the senior people in the unit above."""
        parent = self.units[post.unit].parent
        if parent is None:
            return []
        key = (parent, post.grade)
        if key not in self.manager_pools:
            self.manager_pools[key] = [
                index
                for index in self.subtree_posts(parent)
                if post.grade - 4 <= self.posts[index].grade < post.grade
                and not self.posts[index].casual
            ]
        return self.manager_pools[key]

    def subtree_posts(self, unit: int) -> list[int]:
        if not hasattr(self, "_posts_by_unit"):
            self._posts_by_unit: dict[int, list[int]] = {}
            for index, post in enumerate(self.posts):
                self._posts_by_unit.setdefault(post.unit, []).append(index)
        found = list(self._posts_by_unit.get(unit, []))
        for child in self.children[unit]:
            found.extend(self.subtree_posts(child))
        return found

    def secondary_candidate(self, post: PostPlan, day: int) -> int | None:
        """Someone already in a post in the same directorate who also does relief shifts."""
        pool = self.member_pools.get((self.units[post.unit].top, "*")) or self.member_pool(post)
        pool = self.member_pools.get((self.units[post.unit].top, "*"), [])
        for _ in range(5):
            other = self.posts[self.rng.choice(pool)] if pool else None
            if other is None or other.holder is None:
                continue
            spell = self.spells[other.holder]
            person = self.persons[spell.person]
            if spell.contract == PERMANENT and not person.secondary and spell.start < day:
                return spell.person
        return None

    def apprentice_moves_on(self, spell_index: int, day: int) -> bool:
        """At the end of an apprenticeship, a vacant junior post in the same family."""
        spell = self.spells[spell_index]
        post = self.posts[spell.post]
        pool = self.member_pool(post)
        for _ in range(10):
            if not pool:
                return False
            index = self.rng.choice(pool)
            other = self.posts[index]
            if (
                other.holder is None
                and other.agency is None
                and other.end is None
                and other.start <= day
                and other.grade <= 6
            ):
                other.token += 1  # the recruitment stops: the apprentice takes the post
                self.close(spell_index, day)
                self.vacate(spell.post, day + 1)
                self.start_spell(spell.person, index, day + 1, PERMANENT)
                return True
        return False

    def close_history(self) -> None:
        """Leavers after the as-of date have not left yet."""
        for person in self.persons:
            if person.leaving is not None and person.leaving > self.today:
                person.leaving = None
                person.reason = ""

    # --- reporting lines -----------------------------------------------------------------------

    def assignments(self) -> list[AssignmentPlan]:
        """Cut each spell into assignments where its line manager changes."""
        holders: dict[int, list[tuple[int, int, int]]] = {}
        for spell in self.spells:
            post = self.posts[spell.post]
            if post.manages and spell.primary and spell.contract != AGENCY:
                end = INF if spell.end is None else spell.end
                holders.setdefault(spell.post, []).append((spell.start, end, spell.person))
        for intervals in holders.values():
            intervals.sort()
        self.holders = holders
        self.timelines: dict[int | None, tuple[list[int], list[tuple[int, int, int | None]]]] = {
            None: ([MIN], [(MIN, INF, None)])
        }
        result: list[AssignmentPlan] = []
        for spell in self.spells:
            post = self.posts[spell.post]
            unit = self.units[post.unit].parent if post.manages else post.unit
            end = INF if spell.end is None else spell.end
            pieces = self.manager_pieces(unit, spell.start, end, spell.person)
            for number, (start, stop, manager) in enumerate(pieces):
                if stop == INF:
                    stop = None
                    if number == len(pieces) - 1 and spell.contract_end and not post.manages:
                        stop = spell.contract_end if spell.contract_end > self.today else None
                result.append(
                    AssignmentPlan(
                        person=spell.person,
                        post=spell.post,
                        start=start,
                        end=stop,
                        contract=spell.contract,
                        fte=spell.fte,
                        manager=manager,
                        primary=spell.primary,
                    )
                )
        return result

    def manager_pieces(
        self, unit: int | None, start: int, end: int, person: int
    ) -> list[tuple[int, int, int | None]]:
        starts, timeline = self.timeline(unit)
        pieces: list[tuple[int, int, int | None]] = []
        i = bisect.bisect_right(starts, start) - 1
        while i < len(timeline) and timeline[i][0] <= end:
            s, e, manager = timeline[i]
            s, e = max(s, start), min(e, end)
            if manager == person:  # never one's own manager: the unit above manages
                parent = self.units[unit].parent
                pieces.extend(self.manager_pieces(parent, s, e, person))
            elif pieces and pieces[-1][2] == manager:
                pieces[-1] = (pieces[-1][0], e, manager)
            else:
                pieces.append((s, e, manager))
            i += 1
        return pieces

    def timeline(self, unit: int | None) -> tuple[list[int], list[tuple[int, int, int | None]]]:
        """Who manages the people placed in a unit on every day: its manager post's holder,
        and while that is vacant, whoever manages the unit above."""
        if unit in self.timelines:
            return self.timelines[unit]
        parent_starts, parent = self.timeline(self.units[unit].parent)
        own = self.holders.get(self.units[unit].manager_post, [])
        pieces: list[tuple[int, int, int | None]] = []

        def add(s: int, e: int, who: int | None) -> None:
            if pieces and pieces[-1][2] == who and pieces[-1][1] == s - 1:
                pieces[-1] = (pieces[-1][0], e, who)
            else:
                pieces.append((s, e, who))

        def fill_gap(s: int, e: int) -> None:
            i = bisect.bisect_right(parent_starts, s) - 1
            while i < len(parent) and parent[i][0] <= e:
                ps, pe, who = parent[i]
                add(max(ps, s), min(pe, e), who)
                i += 1

        cursor = MIN
        for s, e, who in own:
            if s > cursor:
                fill_gap(cursor, s - 1)
            add(s, e, who)
            cursor = e + 1
        if cursor <= INF:
            fill_gap(cursor, INF)
        result = ([p[0] for p in pieces], pieces)
        self.timelines[unit] = result
        return result

    # --- demo logins ---------------------------------------------------------------------------

    def current_holder(self, post_index: int | None) -> int | None:
        if post_index is None:
            return None
        post = self.posts[post_index]
        if post.holder is None:
            return None
        spell = self.spells[post.holder]
        if spell.end is not None or spell.contract == AGENCY:
            return None
        return spell.person

    def choose_logins(self) -> dict[str, int]:
        """The people the demo logins belong to (see `logins.DEMO_LOGINS`)."""
        chosen: dict[str, int] = {}
        used: set[int] = set()

        def take(key: str, person: int | None) -> bool:
            if person is None or person in used:
                return False
            chosen[key] = person
            used.add(person)
            return True

        # A learner in a team whose manager and head of service are in post today.
        teams = [u for u, unit in enumerate(self.units) if unit.unit_type == "team"]
        order = ("CHI-CSC", "ADU", "CHI", "")
        for prefix in order:
            for team in teams:
                unit = self.units[team]
                if not unit.code.startswith(prefix) or unit.depth < 4:
                    continue
                manager = self.current_holder(unit.manager_post)
                head = self.current_holder(self.units[self.units[unit.parent].parent].manager_post)
                members = [
                    self.current_holder(p)
                    for p in self._posts_by_unit.get(team, [])
                    if not self.posts[p].manages and not self.posts[p].casual
                ]
                members = [m for m in members if m is not None]
                if manager is None or head is None or len(members) < 3:
                    continue
                take("learner", members[0])
                take("manager", manager)
                take("senior.manager", head)
                break
            if "learner" in chosen:
                break

        def first_in(prefixes: tuple[str, ...]) -> int | None:
            for prefix in prefixes:
                for index, post in enumerate(self.posts):
                    if post.manages or post.casual or post.apprentice:
                        continue
                    if self.units[post.unit].code.startswith(prefix):
                        person = self.current_holder(index)
                        if person is not None and person not in used:
                            return person
            return None

        take("senior.leader", self.current_holder(self.ceo_post))
        place = self.units[self.scopes["PLA"]]
        take("budget.holder", self.current_holder(place.manager_post) or first_in(("PLA",)))
        take("ld.admin", first_in(("COR-POD-LND", "COR-POD", "COR")))
        take("hr.officer", first_in(("COR-POD-HRA", "COR-POD", "COR")))
        take("hr.equality", first_in(("COR-POD-HRA", "COR-POD-LND", "COR-POD", "COR")))
        take("hr.adults", first_in(("COR-POD-HRA", "COR-POD", "COR")))
        take("sysadmin", first_in(("COR-DIG-APD", "COR-DIG", "COR")))
        return chosen


def sv_code(unit: UnitPlan) -> str:
    return unit.code


# --- the shape of the council ----------------------------------------------------------------


def council_shape(plan: CouncilPlan) -> dict:
    """Counts that say what kind of council the plan is: for the command and the benchmark."""
    today = plan.as_of.toordinal()

    def current(spell: SpellPlan, day: int) -> bool:
        return spell.start <= day and (spell.end is None or spell.end >= day)

    held = set()
    covered = set()
    headcount = employees = agency = casual_only = 0
    for spell in plan.spells:
        if not current(spell, today):
            continue
        if spell.contract == AGENCY:
            covered.add(spell.post)
        elif spell.primary:
            held.add(spell.post)
        if spell.primary:
            headcount += 1
            if spell.contract == AGENCY:
                agency += 1
            else:
                employees += 1
                if spell.contract == CASUAL:
                    casual_only += 1
    open_posts = [
        i
        for i, p in enumerate(plan.posts)
        if not p.casual and p.start <= today and (p.end is None or p.end >= today)
    ]
    vacant = [i for i in open_posts if i not in held]
    by_agency = [i for i in vacant if i in covered]

    def employed_on(day: int) -> int:
        return sum(
            1
            for s in plan.spells
            if s.primary and s.contract not in (AGENCY, CASUAL) and current(s, day)
        )

    years = []
    for back in range(HISTORY_YEARS):
        end = years_before(plan.as_of, back).toordinal()
        start = years_before(plan.as_of, back + 1).toordinal() + 1
        leavers = 0
        for person in plan.persons:
            if person.agency or person.leaving is None or not start <= person.leaving <= end:
                continue
            last = plan.spells[person.spell] if person.spell is not None else None
            if last is not None and last.contract == CASUAL:
                continue
            leavers += 1
        average = (employed_on(start - 1) + employed_on(end)) / 2
        years.append(
            {
                "year_to": dt.date.fromordinal(end).isoformat(),
                "leavers": leavers,
                "turnover_percent": round(100 * leavers / average, 1) if average else 0.0,
            }
        )
    reasons: dict[str, int] = {}
    for person in plan.persons:
        if person.leaving is not None and not person.agency:
            reasons[person.reason] = reasons.get(person.reason, 0) + 1
    ages = [
        (today - plan.persons[s.person].born) / 365.25
        for s in plan.spells
        if s.primary and s.contract != AGENCY and current(s, today)
    ]
    contracts: dict[str, int] = {}
    part_time = 0
    for s in plan.spells:
        if s.primary and current(s, today):
            contracts[s.contract] = contracts.get(s.contract, 0) + 1
            if s.contract not in (AGENCY, CASUAL) and s.fte < FULL_TIME:
                part_time += 1
    return {
        "units": len(plan.units),
        "job_roles": len(plan.roles),
        "posts": sum(1 for p in plan.posts if not p.casual),
        "posts_open_today": len(open_posts),
        "vacant_today": len(vacant),
        "vacant_percent": round(100 * len(vacant) / len(open_posts), 1),
        "vacant_covered_by_agency": len(by_agency),
        "critical_posts": sum(1 for p in plan.posts if p.critical),
        "people_rows": len(plan.persons),
        "in_post_today": headcount,
        "employees_today": employees,
        "casual_today": casual_only,
        "agency_today": agency,
        "part_time_today": part_time,
        "contracts_today": dict(sorted(contracts.items())),
        "within_5_years_of_pension_age": sum(1 for a in ages if a >= 61),
        "assignments": len(plan.assignments),
        "secondary_assignments": sum(1 for a in plan.assignments if not a.primary),
        "leavers_by_year": years,
        "leaving_reasons": dict(sorted(reasons.items())),
    }
