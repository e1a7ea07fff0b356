"""Plan a demo council in memory: its structure, establishment and some years of people (five
unless asked for more or fewer: `history_years`).

No database here: `plan_council` returns plain objects that `generator.py` writes in bulk. The
same seed and as-of date always give the same plan (one `random.Random(seed)`, events in a
fixed order).

How it works:

1. The structure. The council (chief executive) has directorates (directors), divisions
   (heads of service), services (service managers) and teams (team managers), sized so that
   about `people` people are in post today. Each team's posts follow its job family's ladder;
   some teams have an apprentice post, business support, and relief (casual) workers outside
   the establishment. A small partner agency is a second top-level organisation.
2. The history. `history_years` before the as-of date most posts are held. From then on each holder
   leaves after a while (a rate for their job family, retirement at their age, the end of a
   fixed-term contract or an apprenticeship); the post stays vacant while it is recruited to,
   sometimes covered by an agency worker, and is filled by a new starter or by an internal move,
   which leaves another post vacant in its turn. Events run in date order from a heap.
3. Reporting lines (`reporting.py`). The line manager of a post is the holder of the manager
   post of its unit, or when that is vacant of the unit above, and so on up to the chief
   executive: the lines always run up the unit tree, so they cannot loop. A holder's time in a
   post is cut into assignments where their manager changes, so that the lines are right on
   every date.

The records the plan is made of are in `records.py`; `shape.py` sums a plan up in figures.
"""

from __future__ import annotations

import datetime as dt
import heapq
import random
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
from peopleplan.demo.records import (
    AGENCY,
    APPRENTICE,
    CASUAL,
    FIXED_TERM,
    FULL_TIME,
    HISTORY_YEARS,
    PERMANENT,
    TEMPORARY,
    CouncilPlan,
    PersonPlan,
    PostPlan,
    RolePlan,
    SpellPlan,
    UnitPlan,
    years_before,
)
from peopleplan.demo.reporting import ReportingLines

__all__ = ["AGENCY", "HISTORY_YEARS", "LOGIN_KEYS", "CouncilPlan", "plan_council", "years_before"]

# Event kinds, in the order they run on the same day.
END, FILL, AGENCY_START = 0, 1, 2
# What happens at the end of a spell in post.
LEAVE, RETIRE, CONTRACT_END, APPRENTICESHIP_END, AGENCY_END, SECONDARY_END = range(6)

# The people the demo logins belong to (`logins.DEMO_LOGINS` gives their roles).
LOGIN_KEYS = (
    "learner",
    "manager",
    "senior.manager",
    "ld.admin",
    "hr.officer",
    "hr.equality",
    "budget.holder",
    "senior.leader",
    "sysadmin",
    "hr.adults",
)

# Calibrates the families' leaving rates so that turnover is 12-16% a year.
LEAVE_RATE_SCALE = 0.86
# The share of the posts below a manager's that are new each year of the history (created
# after it starts); 3% over the default five years.
NEW_POSTS_A_YEAR = 0.006

PART_TIME = tuple(Decimal(v) for v in ("0.40", "0.50", "0.60", "0.60", "0.70", "0.80", "0.81"))
NO_HOURS = Decimal("0.00")


def plan_council(
    *, people: int, seed: int, as_of: dt.date, history_years: int = HISTORY_YEARS
) -> CouncilPlan:
    """The plan of a council of about `people` people in post on `as_of`, with
    `history_years` of starters, movers and leavers before it."""
    return _Planner(people=people, seed=seed, as_of=as_of, history_years=history_years).run()


# --- the planner -----------------------------------------------------------------------------


class _Planner:
    def __init__(self, *, people: int, seed: int, as_of: dt.date, history_years: int) -> None:
        if people < 50:
            raise ValueError("A demo council needs at least 50 people.")
        if history_years < 1:
            raise ValueError("A demo council needs at least a year of history.")
        self.people = people
        self.seed = seed
        self.rng = random.Random(seed)
        self.as_of = as_of
        self.today = as_of.toordinal()
        self.history_years = history_years
        self.history_start = years_before(as_of, history_years)
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
        self.posts_by_unit: dict[int, list[int]] = {}
        self.member_pools: dict[tuple[int, str], list[int]] = {}
        self.manager_pools: dict[tuple[int, int], list[int]] = {}
        self.ceo_post = -1
        self.scopes: dict[str, int] = {}

    def run(self) -> CouncilPlan:
        self.build_structure()
        self.populate()
        self.simulate()
        assignments = ReportingLines(self.units, self.posts, self.spells).assignments(self.today)
        return CouncilPlan(
            people=self.people,
            seed=self.seed,
            as_of=self.as_of,
            history_years=self.history_years,
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
        root = index if parent is None else self.units[parent].root
        self.units.append(UnitPlan(code, name, unit_type, parent, depth, cc, top, root))
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

    def post(
        self,
        unit: int,
        role: int,
        grade: int,
        family: str,
        *,
        manages: bool = False,
        apprentice: bool = False,
        casual: bool = False,
        critical: bool = False,
    ) -> int:
        """A post in the establishment, or with `casual` a relief worker's place outside it."""
        rng = self.rng
        number = ""
        if not casual:
            self.numbers["post"] += 1
            org = self.units[self.units[unit].root].code
            number = f"{org}{self.numbers['post']:06d}"
        fte = FULL_TIME
        share = FAMILIES[family].part_time if family in FAMILIES else 0.0
        if casual:
            fte = NO_HOURS
        elif rng.random() < (share / 4 if manages else share):
            fte = rng.choice(PART_TIME)
        # Most posts are long established; a few are new in each year of the history.
        start = dt.date(self.history_start.year - rng.randint(1, 12), 4, 1).toordinal()
        if not (manages or casual) and rng.random() < NEW_POSTS_A_YEAR * self.history_years:
            start = rng.randint(self.start + 30, self.today - 60)
        self.posts.append(
            PostPlan(
                number=number,
                unit=unit,
                role=role,
                grade=grade,
                fte=fte,
                start=start,
                family=family,
                manages=manages,
                apprentice=apprentice,
                casual=casual,
                critical=critical,
            )
        )
        index = len(self.posts) - 1
        self.posts_by_unit.setdefault(unit, []).append(index)
        if manages:
            self.units[unit].manager_post = index
        return index

    def head_post(self, unit: int, title: str, grade: int, family: Family | None, **flags) -> int:
        """The manager post of a directorate, division or service (or the whole council)."""
        role = self.role(None, Rung(title, grade, 0), **flags)
        key = family.key if family else "MGT"
        critical = grade >= HEAD_OF_SERVICE_GRADE
        return self.post(unit, role, grade, key, manages=True, critical=critical)

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
            flags = {}
            if directorate.code == "CHI":
                flags = {"dbs_level": "enhanced_barred", "works_with_children": True}
            elif directorate.code == "ADU":
                flags = {"dbs_level": "enhanced_barred", "works_with_adults": True}
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
                            f"{self.units[sv].code}-{t + 1:02d}",
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
            # Statutory and regulated: children's social work and registered children's homes.
            critical=family.key in ("CSW", "RCC"),
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
        root = self.units[self.units[post.unit].root]
        if agency:
            self.numbers["agency"] += 1
            number = f"AG{self.numbers['agency']:05d}"
        elif root.code == PARTNER_CODE:
            self.numbers["partner"] += 1
            number = f"SCP{self.numbers['partner']:04d}"
        else:
            self.numbers["staff"] += 1
            number = str(self.numbers["staff"])
        domain = "northbridgescp.example" if root.code == PARTNER_CODE else EMAIL_DOMAIN
        retire_age = 60 + rng.triangular(0, 8, 6.5)
        if retire_age < age + 1:
            retire_age = min(70, age + rng.uniform(1, 7))
        retire_day = born + int(retire_age * 365.25)
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
        return draw_age(self.rng, 38, 11, 18, 64)

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
        """Who holds each post when the history starts, and which posts are vacant then."""
        rng = self.rng
        for index, post in enumerate(self.posts):
            if not (post.manages or post.casual or post.apprentice):
                top = self.units[post.unit].top
                self.member_pools.setdefault((top, post.family), []).append(index)
                self.member_pools.setdefault((top, "*"), []).append(index)
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
                age = draw_age(rng, 46, 11, 18, 66)
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
        rate *= LEAVE_RATE_SCALE
        if since - person.born < 30 * 365:
            rate *= 1.2

        def after(yearly: float, settling: bool = True) -> int:
            """A day drawn at `yearly` leavers a year. In their first two years of service
            people leave twice as readily as those who have settled."""
            day = since
            if settling and day < person.service_start + 730:
                early = day + int(rng.expovariate(yearly * 1.8) * 365.25)
                if early < person.service_start + 730:
                    return early + 1
                day = person.service_start + 730
            return day + 1 + int(rng.expovariate(yearly * (0.8 if settling else 1)) * 365.25)

        if contract == AGENCY:
            end, outcome = after(1 / 0.8, settling=False), AGENCY_END
        elif contract == CASUAL:
            end, outcome = after(0.3, settling=False), LEAVE if primary else SECONDARY_END
        elif contract == APPRENTICE:
            length = rng.randint(365, 730)
            end = day + length if day >= since else since + rng.randint(30, length)
            outcome = APPRENTICESHIP_END
        elif contract in (FIXED_TERM, TEMPORARY):
            length = rng.randint(180, 730) if contract == FIXED_TERM else rng.randint(90, 365)
            # Someone already in post when the history starts is part way through.
            spell.contract_end = day + length if day >= since else since + rng.randint(30, length)
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
            if age >= 58 and rng.random() < 0.3:
                reason = "retirement"
            else:
                reasons, weights = zip(*LEAVING_REASONS, strict=True)
                reason = rng.choices(reasons, weights=weights)[0]
                if spell.contract == CASUAL and rng.random() < 0.3:
                    reason = "end_of_contract"
            if not post.manages and not post.casual and day > self.start and rng.random() < 0.015:
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

    def member_pool(self, post: PostPlan, family: str | None = None) -> list[int]:
        """Posts (not manager posts) in the post's directorate, of its family or of any."""
        key = (self.units[post.unit].top, family or post.family)
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
        found = list(self.posts_by_unit.get(unit, []))
        for child in self.children[unit]:
            found.extend(self.subtree_posts(child))
        return found

    def secondary_candidate(self, post: PostPlan, day: int) -> int | None:
        """Someone already in a post in the same directorate who also does relief shifts."""
        pool = self.member_pool(post, "*")
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
                family = self.posts[unit.manager_post].family
                # Practitioners of the team's own family first, then business support.
                members = [
                    self.current_holder(p)
                    for p in sorted(
                        self.posts_by_unit.get(team, []),
                        key=lambda p: self.posts[p].family != family,
                    )
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
        for key in LOGIN_KEYS:  # a very small council: anyone in post
            if key not in chosen:
                take(key, first_in(("",)))
        return chosen
