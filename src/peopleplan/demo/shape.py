"""The shape of a planned demo council in figures: what the `demo` command and the benchmark
print (units, posts, vacancies, agency cover, people, contracts, turnover in each year of the
history, leaving reasons)."""

from __future__ import annotations

import datetime as dt

from peopleplan.demo.records import (
    AGENCY,
    CASUAL,
    FULL_TIME,
    CouncilPlan,
    SpellPlan,
    years_before,
)


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
    for back in range(plan.history_years):
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
