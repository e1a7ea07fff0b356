"""Audiences: every kind of rule, excluding rules, all and any, and membership that follows
people as they join, move and leave (worked out from the assignments, never stored); the
fixed number of queries; the preview; the plain English; and the rules' algebra (hypothesis):
any is the union of single-rule audiences, all the intersection, and an excluding rule the
difference."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db.models import Count
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peopleplan.core.dates import add_months
from peopleplan.org import audiences, services
from peopleplan.org.audiences import Rule
from peopleplan.org.models import Assignment, Audience, AudienceRule, Person
from tests.factories import (
    AssignmentFactory,
    GradeFactory,
    JobRoleFactory,
    PersonFactory,
    UnitFactory,
)

K = AudienceRule.Kind
ON = dt.date(2025, 6, 1)
BEFORE = dt.date(2025, 1, 1)
AFTER = dt.date(2025, 12, 1)
MOVE = dt.date(2025, 9, 1)


@dataclass
class Org:
    people: dict[str, Person]
    units: dict[str, object]

    def ids(self, *names: str) -> set[int]:
        return {self.people[n].pk for n in names}

    def names(self, ids) -> set[str]:
        by_id = {p.pk: name for name, p in self.people.items()}
        return {by_id[i] for i in ids}


@pytest.fixture
def org(db) -> Org:
    """A small council: Adults and Children's directorates (with teams under them), and
    people who join, move, leave and hold two jobs at once.

    council: ceo (Chief Executive, on the council itself)
      ADU: adults_team (ADU-T): carer (permanent, G3), admin (agency, no grade)
      CHI: childrens_team (CHI-T): sw (social worker, G9, managed by tm), tm (team manager,
           G12), newbie (social worker from after ON), leaver (social worker, left before
           AFTER), mover (admin in Adults, then a social worker in Children's from MOVE),
           two_jobs (admin in Adults and a relief carer, both current)
    """
    council = UnitFactory(code="CNL", name="Council", unit_type="council")
    adults = UnitFactory(code="ADU", name="Adults", unit_type="directorate", parent=council)
    adults_team = UnitFactory(code="ADU-T", name="Adults team", parent=adults)
    childrens = UnitFactory(code="CHI", name="Children's", unit_type="directorate", parent=council)
    childrens_team = UnitFactory(code="CHI-T", name="Children's team", parent=childrens)
    g3 = GradeFactory(code="G3", name="Grade 3", rank=3)
    g9 = GradeFactory(code="G9", name="Grade 9", rank=9)
    g12 = GradeFactory(code="G12", name="Grade 12", rank=12)
    g20 = GradeFactory(code="G20", name="Grade 20", rank=20)
    social_worker = JobRoleFactory(
        code="SW1",
        title="Social Worker",
        job_family="Social work",
        registration_body="Social Work England",
        dbs_level="enhanced_barred",
        works_with_children=True,
    )
    team_manager = JobRoleFactory(
        code="TM1",
        title="Team Manager",
        job_family="Social work",
        registration_body="Social Work England",
        dbs_level="enhanced",
        works_with_children=True,
        manages_people=True,
    )
    carer = JobRoleFactory(
        code="CW1",
        title="Care Worker",
        job_family="Adult social care",
        dbs_level="standard",
        works_with_adults=True,
    )
    admin = JobRoleFactory(code="BS1", title="Admin Officer", job_family="Business support")
    ceo = JobRoleFactory(
        code="CEX", title="Chief Executive", job_family="Senior management", manages_people=True
    )

    def person(name, service_start=dt.date(2020, 4, 1)):
        return PersonFactory(
            first_name=name, last_name=f"Person-{name}", service_start=service_start
        )

    def job(who, unit, role, grade, start=dt.date(2020, 4, 1), **kwargs):
        return AssignmentFactory(
            person=who, unit=unit, job_role=role, grade=grade, start_date=start, **kwargs
        )

    people = {}
    people["ceo"] = person("ceo")
    job(people["ceo"], council, ceo, g20)
    people["tm"] = person("tm")
    job(people["tm"], childrens_team, team_manager, g12, line_manager=people["ceo"])
    people["sw"] = person("sw", service_start=None)
    job(people["sw"], childrens_team, social_worker, g9, line_manager=people["tm"])
    people["carer"] = person("carer", service_start=None)  # service from 1 December 2024
    job(people["carer"], adults_team, carer, g3, start=dt.date(2024, 12, 1))
    people["admin"] = person("admin")
    job(people["admin"], adults_team, admin, None, contract_type="agency")
    people["newbie"] = person("newbie", service_start=AFTER)
    job(people["newbie"], childrens_team, social_worker, g9, start=dt.date(2025, 7, 1))
    people["leaver"] = person("leaver")
    job(people["leaver"], childrens_team, social_worker, g9, end_date=dt.date(2025, 8, 31))
    people["leaver"].leaving_date = dt.date(2025, 8, 31)
    people["leaver"].save()
    people["mover"] = person("mover")
    job(people["mover"], adults_team, admin, g3, end_date=MOVE - dt.timedelta(days=1))
    job(people["mover"], childrens_team, social_worker, g9, start=MOVE, line_manager=people["tm"])
    people["two_jobs"] = person("two_jobs")
    job(people["two_jobs"], adults_team, admin, g3)
    job(
        people["two_jobs"],
        adults_team,
        carer,
        g3,
        contract_type="casual",
        fte=Decimal("0"),
        is_primary=False,
    )
    units = {
        "council": council,
        "adults": adults,
        "adults_team": adults_team,
        "childrens": childrens,
        "childrens_team": childrens_team,
    }
    return Org(people=people, units=units)


def audience(*rules: Rule, match: str = "all", code: str = "a") -> Audience:
    made = Audience.objects.create(code=code, name=code, match=match)
    AudienceRule.objects.bulk_create(
        AudienceRule(
            audience=made,
            kind=r.kind,
            values=list(r.values),
            number=r.number,
            exclude=r.exclude,
            position=n,
        )
        for n, r in enumerate(rules)
    )
    return made


def who(org: Org, made: Audience, on: dt.date = ON) -> set[str]:
    return org.names(audiences.members(made, on).values_list("pk", flat=True))


def rule_ids(rules: list[Rule], match: str = "all", on: dt.date = ON) -> set[int]:
    q = audiences.rules_q(rules, match, on, audiences.resolve(rules))
    if q is audiences.NEVER:
        return set()
    return set(Assignment.objects.filter(q).values_list("person_id", flat=True))


IN_POST_ON = {"ceo", "tm", "sw", "carer", "admin", "leaver", "mover", "two_jobs"}


# --- each kind of rule -----------------------------------------------------------------------


def test_no_including_rule_is_everyone_in_post(org):
    assert who(org, audience()) == IN_POST_ON
    assert who(org, audience(code="b"), AFTER) == IN_POST_ON - {"leaver"} | {"newbie"}


def test_job_role(org):
    assert who(org, audience(Rule(K.JOB_ROLE, ("SW1",)))) == {"sw", "leaver"}
    assert who(org, audience(Rule(K.JOB_ROLE, ("SW1", "TM1")), code="b")) == {"sw", "tm", "leaver"}


def test_job_family(org):
    assert who(org, audience(Rule(K.JOB_FAMILY, ("Social work",)))) == {"sw", "tm", "leaver"}
    assert who(org, audience(Rule(K.JOB_FAMILY, ("Business support",)), code="b")) == {
        "admin",
        "mover",
        "two_jobs",
    }


def test_grade_at_least_and_no_grade(org):
    assert who(org, audience(Rule(K.GRADE_AT_LEAST, ("G9",)))) == {"ceo", "tm", "sw", "leaver"}
    assert who(org, audience(Rule(K.GRADE_AT_LEAST, ("G12",)), code="b")) == {"ceo", "tm"}
    # The agency admin has no grade: not at least any grade, and not taken out by excluding one.
    assert "admin" not in who(org, audience(Rule(K.GRADE_AT_LEAST, ("G3",)), code="c"))
    assert "admin" in who(org, audience(Rule(K.GRADE_AT_LEAST, ("G9",), exclude=True), code="d"))


def test_unit_with_everything_under_it(org):
    assert who(org, audience(Rule(K.UNIT, ("CHI",)))) == {"tm", "sw", "leaver"}
    assert who(org, audience(Rule(K.UNIT, ("ADU-T",)), code="b")) == {
        "carer",
        "admin",
        "mover",
        "two_jobs",
    }
    assert who(org, audience(Rule(K.UNIT, ("CNL",)), code="c")) == IN_POST_ON
    assert who(org, audience(Rule(K.UNIT, ("ADU", "CHI")), code="d")) == IN_POST_ON - {"ceo"}


def test_contract_type(org):
    assert who(org, audience(Rule(K.CONTRACT_TYPE, ("agency",)))) == {"admin"}
    assert who(org, audience(Rule(K.CONTRACT_TYPE, ("agency",), exclude=True), code="b")) == (
        IN_POST_ON - {"admin"}
    )


@pytest.mark.parametrize(
    "flag, expected",
    [
        ("works_with_children", {"sw", "tm", "leaver"}),
        ("works_with_adults", {"carer", "two_jobs"}),
        ("manages_people", {"ceo", "tm"}),
        ("registered", {"sw", "tm", "leaver"}),
        ("dbs_enhanced", {"sw", "tm", "leaver"}),
    ],
)
def test_role_flags(org, flag, expected):
    assert who(org, audience(Rule(K.ROLE_FLAG, (flag,)))) == expected


def test_role_flags_any_of_several(org):
    made = audience(Rule(K.ROLE_FLAG, ("works_with_adults", "manages_people")))
    assert who(org, made) == {"carer", "two_jobs", "ceo", "tm"}


def test_line_manager_on_the_date(org):
    made = audience(Rule(K.LINE_MANAGER))
    assert who(org, made) == {"ceo", "tm"}
    # The mover reports to tm from MOVE; sw still does; the leaver's manager is none.
    assert who(org, made, AFTER) == {"ceo", "tm"}
    sw = org.people["sw"]
    Assignment.objects.filter(person=sw).update(end_date=dt.date(2025, 3, 31))
    tm_reports_on = {
        on: who(org, made, on) for on in (dt.date(2025, 3, 31), dt.date(2025, 4, 1), AFTER)
    }
    assert tm_reports_on[dt.date(2025, 3, 31)] == {"ceo", "tm"}
    assert tm_reports_on[dt.date(2025, 4, 1)] == {"ceo"}  # no one reports to tm until MOVE
    assert tm_reports_on[AFTER] == {"ceo", "tm"}  # the mover reports to tm


def test_service_at_least(org):
    # The carer has no service date: their service runs from their first job, 1 December 2024.
    made = audience(Rule(K.SERVICE_AT_LEAST, number=6))
    assert "carer" in who(org, made)  # exactly six months on 1 June 2025
    assert "carer" not in who(org, made, dt.date(2025, 5, 31))
    assert who(org, audience(Rule(K.SERVICE_AT_LEAST, number=7), code="b")) == (
        IN_POST_ON - {"carer"}
    )
    # sw has no service date either, and their first job started in 2020.
    assert "sw" in who(org, audience(Rule(K.SERVICE_AT_LEAST, number=60), code="c"))
    # The newbie's service date (1 December 2025) is later than their first job: it counts.
    assert "newbie" not in who(org, made, dt.date(2026, 2, 1))
    assert "newbie" in who(org, made, dt.date(2026, 6, 1))
    less = audience(Rule(K.SERVICE_AT_LEAST, number=7, exclude=True), code="d")
    assert who(org, less) == {"carer"}


def test_add_months_back_keeps_the_day_or_the_end_of_the_month():
    assert add_months(dt.date(2025, 6, 1), -6) == dt.date(2024, 12, 1)
    assert add_months(dt.date(2025, 3, 31), -1) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2024, 3, 31), -1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2025, 1, 15), -13) == dt.date(2023, 12, 15)


# --- combining rules -------------------------------------------------------------------------


def test_all_and_any(org):
    rules = (Rule(K.JOB_FAMILY, ("Social work",)), Rule(K.GRADE_AT_LEAST, ("G12",)))
    assert who(org, audience(*rules, match="all")) == {"tm"}
    assert who(org, audience(*rules, match="any", code="b")) == {"sw", "tm", "leaver", "ceo"}


def test_an_excluding_rule_takes_people_out_whatever_the_match(org):
    rules = (
        Rule(K.JOB_FAMILY, ("Social work",)),
        Rule(K.UNIT, ("ADU",)),
        Rule(K.ROLE_FLAG, ("manages_people",), exclude=True),
    )
    assert who(org, audience(*rules, match="any")) == {
        "sw",
        "leaver",
        "carer",
        "admin",
        "mover",
        "two_jobs",
    }
    assert who(org, audience(*rules, match="all", code="b")) == set()


def test_only_excluding_rules_is_everyone_else(org):
    made = audience(Rule(K.CONTRACT_TYPE, ("agency", "casual"), exclude=True))
    # two_jobs is casual in one job but permanent in the other: still in.
    assert who(org, made) == IN_POST_ON - {"admin"}


def test_codes_that_name_nothing_match_no_one(org):
    assert who(org, audience(Rule(K.JOB_ROLE, ("GONE",)))) == set()
    assert who(org, audience(Rule(K.UNIT, ("GONE",)), code="b")) == set()
    assert who(org, audience(Rule(K.GRADE_AT_LEAST, ("GONE",)), code="c")) == set()
    either = audience(
        Rule(K.JOB_ROLE, ("GONE",)), Rule(K.JOB_ROLE, ("TM1",)), match="any", code="d"
    )
    assert who(org, either) == {"tm"}
    assert who(org, audience(Rule(K.UNIT, ("GONE",), exclude=True), code="e")) == IN_POST_ON
    assert audiences.member_counts([Audience.objects.get(code="a")], ON) == {
        Audience.objects.get(code="a").pk: 0
    }


# --- membership follows people ---------------------------------------------------------------


def test_a_mover_joins_on_the_day_of_the_move(org):
    children = audience(Rule(K.UNIT, ("CHI",)))
    adults = audience(Rule(K.UNIT, ("ADU",)), code="b")
    day_before = MOVE - dt.timedelta(days=1)
    assert "mover" not in who(org, children, day_before)
    assert "mover" in who(org, adults, day_before)
    assert "mover" in who(org, children, MOVE)
    assert "mover" not in who(org, adults, MOVE)


def test_a_leaver_drops_out_after_their_last_day(org):
    made = audience(Rule(K.JOB_ROLE, ("SW1",)))
    assert "leaver" in who(org, made, dt.date(2025, 8, 31))
    assert "leaver" not in who(org, made, dt.date(2025, 9, 1))


def test_a_future_starter_is_not_in_before_they_start(org):
    made = audience(Rule(K.JOB_ROLE, ("SW1",)))
    assert "newbie" not in who(org, made, dt.date(2025, 6, 30))
    assert "newbie" in who(org, made, dt.date(2025, 7, 1))


def test_two_current_jobs_one_qualifying(org):
    made = audience(Rule(K.ROLE_FLAG, ("works_with_adults",)))
    assert "two_jobs" in who(org, made)
    # Counted once, though in with two rows of assignments at most.
    ids = list(audiences.members(audience(code="b"), ON).values_list("pk", flat=True))
    assert len(ids) == len(set(ids))
    both = audience(
        Rule(K.ROLE_FLAG, ("works_with_adults",)), Rule(K.CONTRACT_TYPE, ("permanent",)), code="c"
    )
    # "all" is about one job: the casual job works with adults, the permanent one does not.
    assert "two_jobs" not in who(org, both)


def test_member_exists_and_joined_on(org):
    made = audience(Rule(K.UNIT, ("CHI",)))
    people = Person.objects.annotate(
        member=audiences.member_exists(made, AFTER), joined=audiences.joined_on(made, AFTER)
    )
    rows = {p.first_name: (p.member, p.joined) for p in people}
    assert rows["mover"] == (True, MOVE)
    assert rows["newbie"] == (True, dt.date(2025, 7, 1))
    assert rows["leaver"] == (False, dt.date(2020, 4, 1))  # had joined; no longer in
    assert rows["carer"] == (False, None)
    # Before the newbie starts, they have not joined.
    on_june = Person.objects.annotate(joined=audiences.joined_on(made, ON))
    assert {p.first_name: p.joined for p in on_june}["newbie"] is None


def test_joined_on_keeps_the_first_date_across_a_move_between_qualifying_jobs(org):
    made = audience(Rule(K.JOB_FAMILY, ("Social work",)))
    sw = org.people["sw"]
    services.assignment_start(
        person=sw,
        start_date=MOVE,
        unit=org.units["childrens_team"],
        job_role=Assignment.objects.get(person=org.people["tm"]).job_role,
        contract_type="permanent",
        fte=Decimal("1"),
    )
    joined = Person.objects.filter(pk=sw.pk).annotate(j=audiences.joined_on(made, AFTER)).get().j
    assert joined == dt.date(2020, 4, 1)


def test_member_exists_filters_another_table(org):
    """`person_ref` points the Exists at the person of any queryset: here, assignments."""
    made = audience(Rule(K.JOB_ROLE, ("TM1",)))
    managed = Assignment.objects.filter(audiences.member_exists(made, ON, "line_manager_id"))
    # Every assignment whose line manager is a team manager on ON, whatever its dates.
    assert {a.person.first_name for a in managed} == {"sw", "mover"}


# --- queries ---------------------------------------------------------------------------------


def test_a_fixed_number_of_queries_however_many_rules(org, django_assert_max_num_queries):
    one = audience(Rule(K.JOB_ROLE, ("SW1",)))
    many = audience(
        *[Rule(K.JOB_ROLE, ("SW1", "TM1"))] * 5,
        Rule(K.JOB_FAMILY, ("Social work",)),
        Rule(K.ROLE_FLAG, ("registered", "dbs_enhanced")),
        Rule(K.GRADE_AT_LEAST, ("G3",)),
        Rule(K.UNIT, ("CHI", "ADU")),
        Rule(K.CONTRACT_TYPE, ("permanent",)),
        Rule(K.LINE_MANAGER, exclude=True),
        Rule(K.SERVICE_AT_LEAST, number=12),
        match="any",
        code="b",
    )
    for made in (one, many):
        made = Audience.objects.get(pk=made.pk)
        with django_assert_max_num_queries(5):  # rules, roles, grades, units; then the count
            audiences.members(made, ON).count()
        with django_assert_max_num_queries(1):  # resolved once per object
            audiences.members(made, AFTER).count()


def test_prepare_and_member_counts_in_a_fixed_number_of_queries(org, django_assert_num_queries):
    audience(Rule(K.JOB_ROLE, ("SW1",)))
    audience(Rule(K.UNIT, ("ADU",)), code="b")
    audience(Rule(K.GRADE_AT_LEAST, ("G12",)), Rule(K.LINE_MANAGER), code="c")
    audience(code="d")
    made = list(Audience.objects.order_by("code"))
    with django_assert_num_queries(5):  # rules, roles, grades, units, the counts
        counts = audiences.member_counts(made, ON)
    assert [counts[a.pk] for a in made] == [2, 4, 2, len(IN_POST_ON)]


def test_a_whole_list_with_membership_is_one_query(org, django_assert_num_queries):
    made = audiences.prepare([audience(Rule(K.JOB_FAMILY, ("Social work",)))])[0]
    with django_assert_num_queries(1):
        rows = list(
            Person.objects.annotate(
                member=audiences.member_exists(made, ON), joined=audiences.joined_on(made, ON)
            )
        )
    assert sum(r.member for r in rows) == 3


# --- the preview -----------------------------------------------------------------------------


def test_preview_before_saving(org, django_assert_max_num_queries):
    rules = [
        {"kind": "unit", "values": ["CNL"]},
        {"kind": "contract_type", "values": ["agency"], "exclude": True},
    ]
    visible = Person.objects.exclude(first_name="carer")
    with django_assert_max_num_queries(6):
        shown = audiences.preview(rules, "all", ON, visible)
    assert shown.count == len(IN_POST_ON) - 1
    assert {p.first_name for p in shown.sample} == IN_POST_ON - {"admin", "carer"}
    directorates = {u.code: n for u, n in shown.by_directorate}
    assert directorates == {"CNL": 1, "ADU": 3, "CHI": 3}
    assert not shown.everyone


def test_preview_of_everyone_and_of_no_one(org):
    everyone = audiences.preview([], "all", ON)
    assert everyone.everyone and everyone.count == len(IN_POST_ON)
    no_one = audiences.preview([Rule(K.JOB_ROLE, ("GONE",))], "any", ON)
    assert no_one.count == 0 and no_one.sample == [] and no_one.by_directorate == []


def test_the_preview_sample_is_the_first_twenty_by_name(org):
    team = org.units["adults_team"]
    for n in range(25):
        AssignmentFactory(unit=team, person=PersonFactory(last_name=f"Zed{n:02d}"))
    shown = audiences.preview([Rule(K.UNIT, ("ADU",))], "all", ON)
    assert shown.count == 29
    assert len(shown.sample) == audiences.SAMPLE_SIZE
    names = [(p.last_name, p.first_name) for p in shown.sample]
    assert names == sorted(names)


# --- in plain English ------------------------------------------------------------------------


def test_rules_in_plain_english(org):
    names = audiences.names_for(
        [
            Rule(K.JOB_ROLE, ("SW1", "TM1")),
            Rule(K.GRADE_AT_LEAST, ("G9",)),
            Rule(K.UNIT, ("CHI",)),
            Rule(K.UNIT, ("ADU", "CHI")),
        ]
    )

    def text(*args, **kwargs):
        return audiences.rule_text(Rule(*args, **kwargs), names)

    assert (
        text(K.JOB_ROLE, ("SW1", "TM1")) == "Job role is Social Worker (SW1) or Team Manager (TM1)"
    )
    assert text(K.JOB_ROLE, ("GONE",)) == "Job role is GONE (no longer exists)"
    assert text(K.JOB_FAMILY, ("Social work",)) == "Job family is Social work"
    assert text(K.JOB_FAMILY, ("A", "B", "C"), exclude=True) == "Job family is not A, B or C"
    assert text(K.GRADE_AT_LEAST, ("G9",)) == "Grade at least Grade 9"
    assert text(K.GRADE_AT_LEAST, ("G9",), exclude=True) == "Grade below Grade 9, or no grade"
    assert text(K.UNIT, ("CHI",)) == "In Children's or below"
    assert text(K.UNIT, ("ADU", "CHI")) == "In Adults or Children's, or below them"
    assert text(K.UNIT, ("CHI",), exclude=True) == "Not in Children's or below"
    assert text(K.CONTRACT_TYPE, ("agency",), exclude=True) == "Not agency"
    assert (
        text(K.CONTRACT_TYPE, ("permanent", "fixed_term")) == "Contract is permanent or fixed-term"
    )
    assert text(K.ROLE_FLAG, ("works_with_children",)) == "Works with children"
    assert (
        text(K.ROLE_FLAG, ("works_with_children", "registered"))
        == "Works with children or job role needs professional registration"
    )
    assert (
        text(K.ROLE_FLAG, ("works_with_children", "works_with_adults"), exclude=True)
        == "Does not work with children and does not work with adults"
    )
    assert text(K.LINE_MANAGER) == "Line manages someone"
    assert text(K.LINE_MANAGER, exclude=True) == "Does not line manage anyone"
    assert text(K.SERVICE_AT_LEAST, number=6) == "At least 6 months' continuous service"
    assert text(K.SERVICE_AT_LEAST, number=1) == "At least 1 month's continuous service"
    assert text(K.SERVICE_AT_LEAST, number=24, exclude=True) == (
        "Less than 2 years' continuous service"
    )


def test_audiences_in_plain_english(org):
    names = audiences.Names()
    family = Rule(K.JOB_FAMILY, ("Social work",))
    agency = Rule(K.CONTRACT_TYPE, ("agency",), exclude=True)
    manager = Rule(K.LINE_MANAGER)
    assert str(audiences.describe([], "all", names)) == "Everyone in post"
    assert (
        str(audiences.describe([agency], "all", names))
        == "Everyone in post who matches: Not agency"
    )
    assert str(audiences.describe([family, agency], "any", names)) == (
        "People in post who match all of: Job family is Social work; Not agency"
    )
    assert str(audiences.describe([family, manager, agency], "any", names)) == (
        "People in post who match any of: Job family is Social work; Line manages someone, "
        "and: Not agency"
    )


# --- the rules' algebra ----------------------------------------------------------------------

RULES = [
    Rule(K.JOB_ROLE, ("SW1",)),
    Rule(K.JOB_ROLE, ("TM1", "BS1")),
    Rule(K.JOB_FAMILY, ("Social work",)),
    Rule(K.JOB_FAMILY, ("Business support", "Adult social care")),
    Rule(K.GRADE_AT_LEAST, ("G9",)),
    Rule(K.GRADE_AT_LEAST, ("G3",)),
    Rule(K.UNIT, ("ADU",)),
    Rule(K.UNIT, ("CHI-T", "CNL")),
    Rule(K.CONTRACT_TYPE, ("permanent",)),
    Rule(K.CONTRACT_TYPE, ("agency", "casual")),
    Rule(K.ROLE_FLAG, ("works_with_children",)),
    Rule(K.ROLE_FLAG, ("manages_people", "works_with_adults")),
    Rule(K.LINE_MANAGER),
    Rule(K.SERVICE_AT_LEAST, number=7),
    Rule(K.JOB_ROLE, ("GONE",)),
]
DATES = [BEFORE, ON, MOVE, AFTER]


def _person_level(rule: Rule) -> bool:
    return rule.kind in audiences.PERSON_KINDS


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    including=st.lists(st.sampled_from(RULES), min_size=1, max_size=4),
    excluding=st.lists(st.sampled_from(RULES), max_size=2),
    on=st.sampled_from(DATES),
)
def test_any_is_the_union_and_an_exclusion_the_difference(org, including, excluding, on):
    everyone = rule_ids([], on=on)
    union = set().union(*(rule_ids([r], on=on) for r in including))
    taken_out = set().union(*(rule_ids([r], on=on) for r in excluding))
    rules = including + [Rule(r.kind, r.values, r.number, exclude=True) for r in excluding]
    found = rule_ids(rules, "any", on)
    assert found <= everyone
    # An exclusion is about one job: a person is taken out only when no job of theirs both
    # qualifies and escapes every excluding rule. With one job each it is the plain difference.
    assert union - taken_out <= found <= union
    single_job = {p for p, n in _jobs_on(on).items() if n == 1}
    assert found & single_job == (union - taken_out) & single_job


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rules=st.lists(st.sampled_from(RULES), min_size=1, max_size=4), on=st.sampled_from(DATES))
def test_all_is_the_intersection_for_people_with_one_job(org, rules, on):
    found = rule_ids(rules, "all", on)
    intersection = set.intersection(*(rule_ids([r], on=on) for r in rules))
    # "all" asks one job to pass every rule; with two jobs, each may pass some.
    assert found <= intersection
    single_job = {p for p, n in _jobs_on(on).items() if n == 1}
    assert found & single_job == intersection & single_job
    if all(_person_level(r) for r in rules):
        assert found == intersection


def _jobs_on(on: dt.date) -> dict[int, int]:
    return dict(
        Assignment.objects.current_on(on)
        .values("person_id")
        .annotate(n=Count("pk"))
        .values_list("person_id", "n")
    )


# --- the services ----------------------------------------------------------------------------


def test_create_puts_codes_in_their_stored_form_and_writes_the_audit_log(org):
    from peopleplan.core.models import AuditEntry

    made = services.audience_create(
        actor=None,
        code=" Social-Workers ",
        name=" Social workers ",
        match="any",
        rules=[
            {"kind": "job_role", "values": ["sw1", " TM1 ", "SW1"]},
            {"kind": "job_family", "values": "social WORK"},
            {"kind": "contract_type", "values": ["Agency", "fixed-term"], "exclude": True},
            {"kind": "role_flag", "values": ["WORKS_WITH_CHILDREN"], "number": 5},
            {"kind": "line_manager", "values": ["ignored"]},
            {"kind": "service_at_least", "number": "12"},
        ],
    )
    assert (made.code, made.name, made.match) == ("social-workers", "Social workers", "any")
    saved = [(r.kind, r.values, r.number, r.exclude, r.position) for r in made.rules.all()]
    assert saved == [
        ("job_role", ["SW1", "TM1"], None, False, 1),
        ("job_family", ["Social work"], None, False, 2),
        ("contract_type", ["agency", "fixed_term"], None, True, 3),
        ("role_flag", ["works_with_children"], None, False, 4),
        ("line_manager", [], None, False, 5),
        ("service_at_least", [], 12, False, 6),
    ]
    entry = AuditEntry.objects.get(object_type="audience")
    assert entry.action == "create" and entry.object_label == "social-workers"
    assert entry.after["rules"][0] == {
        "kind": "job_role",
        "values": ["SW1", "TM1"],
        "number": None,
        "exclude": False,
    }


def test_every_problem_is_named_by_rule_and_field(org):
    with pytest.raises(services.OrgError) as refused:
        services.audience_create(
            actor=None,
            code="Not a slug!",
            name="",
            match="some",
            rules=[
                {"kind": "job_role", "values": ["SW1"]},
                {"kind": "job_role", "values": ["SW9"]},
                {"kind": "job_role", "values": ["SW9", "SW10"]},
                {"kind": "job_family", "values": ["Social wrk"]},
                {"kind": "grade_at_least", "values": ["G3", "G9"]},
                {"kind": "grade_at_least", "values": ["G99"]},
                {"kind": "unit", "values": []},
                {"kind": "unit", "values": ["NOWHERE"]},
                {"kind": "contract_type", "values": ["zero_hours"]},
                {"kind": "role_flag", "values": ["works_with_cats"]},
                {"kind": "service_at_least"},
                {"kind": "service_at_least", "number": "twelve"},
                {"kind": "service_at_least", "number": 0},
                {"kind": ""},
                {"kind": "shoe_size"},
            ],
        )
    assert refused.value.errors == [
        ("code", refused.value.errors[0][1]),
        ("name", "Enter a name for the audience"),
        ("match", "Choose whether people must match all the rules or any"),
        ("rules.2.values", "Rule 2: no job role with code SW9"),
        ("rules.3.values", "Rule 3: no job roles with codes SW9, SW10"),
        ("rules.4.values", "Rule 4: no job role is in the job family Social wrk"),
        ("rules.5.values", "Rule 5: give one grade, not several"),
        ("rules.6.values", "Rule 6: no grade with code G99"),
        ("rules.7.values", "Rule 7: give the code of a unit"),
        ("rules.8.values", "Rule 8: no unit with code NOWHERE"),
        ("rules.9.values", "Rule 9: there is no contract type zero_hours"),
        ("rules.10.values", "Rule 10: there is no job role flag works_with_cats"),
        ("rules.11.number", "Rule 11: give the months of service"),
        ("rules.12.number", "Rule 12: give the months of service as a whole number"),
        ("rules.13.number", "Rule 13: the months of service must be between 1 and 600"),
        ("rules.14.kind", "Rule 14: choose what the rule is about"),
        ("rules.15.kind", "Rule 15: there is no kind of rule called shoe_size"),
    ]
    assert "lower-case letters" in refused.value.errors[0][1]
    assert not Audience.objects.exists()


def test_codes_are_unique(org):
    services.audience_create(actor=None, code="everyone", name="Everyone", rules=[])
    with pytest.raises(services.OrgError, match="already an audience with the code everyone"):
        services.audience_create(actor=None, code="Everyone", name="Everyone again", rules=[])


def test_update_replaces_the_rules_and_keeps_before_and_after(org):
    from peopleplan.core.models import AuditEntry

    made = services.audience_create(
        actor=None,
        code="sw",
        name="Social workers",
        rules=[{"kind": "job_role", "values": ["SW1"]}],
    )
    assert who(org, made) == {"sw", "leaver"}
    services.audience_update(
        actor=None,
        audience=made,
        code="sw",
        name="Social workers",
        match="all",
        rules=[{"kind": "job_family", "values": ["Social work"]}],
    )
    assert [r.kind for r in made.rules.all()] == ["job_family"]
    assert who(org, made) == {"sw", "tm", "leaver"}  # the object asks again after the change
    entry = AuditEntry.objects.get(object_type="audience", action="update")
    assert entry.before["rules"][0]["kind"] == "job_role"
    assert entry.after["rules"][0]["kind"] == "job_family"
    # The same again changes nothing and logs nothing.
    services.audience_update(
        actor=None,
        audience=made,
        code="sw",
        name="Social workers",
        rules=[{"kind": "job_family", "values": ["Social work"]}],
    )
    assert AuditEntry.objects.filter(object_type="audience", action="update").count() == 1


def test_update_may_keep_its_own_code_but_not_take_another(org):
    services.audience_create(actor=None, code="a", name="A", rules=[])
    b = services.audience_create(actor=None, code="b", name="B", rules=[])
    services.audience_update(actor=None, audience=b, code="b", name="Bee", rules=[])
    with pytest.raises(services.OrgError) as refused:
        services.audience_update(actor=None, audience=b, code="a", name="Bee", rules=[])
    assert refused.value.field == "code"


def test_delete(org):
    from peopleplan.core.models import AuditEntry

    made = services.audience_create(
        actor=None, code="sw", name="Social workers", rules=[{"kind": "line_manager"}]
    )
    services.audience_delete(actor=None, audience=made)
    assert not Audience.objects.exists() and not AudienceRule.objects.exists()
    entry = AuditEntry.objects.get(object_type="audience", action="delete")
    assert entry.before["rules"] == [
        {"kind": "line_manager", "values": [], "number": None, "exclude": False}
    ]
