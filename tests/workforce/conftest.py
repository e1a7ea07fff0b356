"""The hand-made service the workforce tests count: every answer is worked out in them."""

import datetime as dt
from decimal import Decimal

import pytest

from peopleplan.compliance.models import Credential, CredentialType
from peopleplan.org.models import (
    Absence,
    Assignment,
    Caseload,
    EqualityRecord,
    PayRecord,
    Person,
)
from tests.factories import (
    AssignmentFactory,
    GradeFactory,
    JobRoleFactory,
    PersonFactory,
    PostFactory,
    UnitFactory,
)

D = dt.date
AS_OF = D(2025, 9, 30)  # the period: 1 October 2024 to 30 September 2025
AGENCY = Assignment.ContractType.AGENCY


@pytest.fixture
def service(db):
    """Children's social care (two teams) and, outside it, a housing team.

    In post on 30 September 2025: A (1.0, since 2020), B (0.5, started 1 December 2024) and
    F (1.0, moved between the teams on 1 June 2025). C (1.0) left on 31 March 2025. Agency: D
    (0.8, in C's post since 1 April 2025) and E (1.0, no post). G works in housing.
    Posts open on the day: A's (held), B's (1.0 held at 0.5), C's (held by agency D), one
    empty; one more closed in January."""
    council = UnitFactory(code="NCC", name="Council")
    csc = UnitFactory(code="CSC", name="Children's social care", parent=council)
    team1 = UnitFactory(code="CSC-1", name="Team 1", parent=csc)
    team2 = UnitFactory(code="CSC-2", name="Team 2", parent=csc)
    housing = UnitFactory(code="HOU", name="Housing", parent=council)
    social_worker = JobRoleFactory(
        code="SW",
        title="Social worker",
        job_family="Social work",
        registration_body="Social Work England",
    )
    officer = JobRoleFactory(code="HO", title="Housing officer", job_family="Housing")

    def post(unit=team1, fte="1.00", **kwargs):
        return PostFactory(unit=unit, job_role=social_worker, fte=Decimal(fte), **kwargs)

    p1, p2, p3, p4 = post(), post(), post(), post(unit=team2)
    post(start_date=D(2020, 4, 1), end_date=D(2025, 1, 1))

    def person(name, service_start=None):
        return PersonFactory(first_name=name, service_start=service_start)

    def job(who, start, end=None, fte="1.00", unit=team1, contract="permanent", post=None):
        return AssignmentFactory(
            person=who,
            start_date=start,
            end_date=end,
            fte=Decimal(fte),
            unit=unit,
            job_role=officer if unit == housing else social_worker,
            contract_type=contract,
            post=post,
        )

    people = {name: person(name) for name in "ABCDEFG"}
    job(people["A"], D(2020, 1, 1), post=p1)
    job(people["B"], D(2024, 12, 1), fte="0.50", post=p2)
    job(people["C"], D(2019, 1, 1), D(2025, 3, 31), post=p3)
    job(people["D"], D(2025, 4, 1), fte="0.80", contract=AGENCY, post=p3)
    job(people["E"], D(2025, 1, 1), contract=AGENCY)
    job(people["F"], D(2018, 1, 1), D(2025, 5, 31))
    job(people["F"], D(2025, 6, 1), unit=team2)
    job(people["G"], D(2015, 1, 1), unit=housing)
    del p4  # the empty post

    # Ages: A is 63 (state pension at 67 on 14 July 2029: within five years), B 30, F not known.
    EqualityRecord.objects.create(person=people["A"], date_of_birth=D(1962, 7, 14))
    EqualityRecord.objects.create(person=people["B"], date_of_birth=D(1995, 5, 1))
    # Registrations: A's is valid, B's ran out in June; F has none.
    swe = CredentialType.objects.create(
        code="SWE", name="Social Work England", kind="registration", body="Social Work England"
    )
    Credential.objects.create(
        person=people["A"], type=swe, issued_on=D(2024, 12, 1), expires_on=D(2026, 11, 30)
    )
    Credential.objects.create(
        person=people["B"], type=swe, issued_on=D(2023, 7, 1), expires_on=D(2025, 6, 30)
    )
    Person.objects.filter(pk=people["C"].pk).update(
        leaving_date=D(2025, 3, 31), leaving_reason="resignation"
    )

    def count(name, on, cases):
        Caseload.objects.create(person=people[name], on=on, cases=cases)

    count("A", AS_OF, 15)
    count("B", AS_OF, 5)
    count("D", AS_OF, 20)  # agency workers hold cases too
    count("F", AS_OF, 0)  # holds none: not a case holder
    count("G", AS_OF, 40)  # outside the service
    count("C", D(2025, 3, 31), 30)  # an earlier count

    def absent(name, first, last, lost):
        Absence.objects.create(
            person=people[name], first_day=first, last_day=last, working_days_lost=Decimal(lost)
        )

    absent("A", D(2025, 1, 13), D(2025, 1, 17), "5")  # a week: short-term
    absent("B", D(2025, 2, 3), D(2025, 3, 14), "15")  # 30 working days at 0.5: long-term
    absent("C", D(2024, 9, 23), D(2024, 10, 4), "10")  # 4 of its 12 days in the period
    absent("F", D(2025, 9, 29), None, "2")  # still off on the day
    absent("E", D(2025, 5, 1), D(2025, 5, 2), "2")  # agency: not counted
    absent("G", D(2025, 5, 1), D(2025, 5, 2), "2")  # outside the service
    return {"csc": csc, "council": council, "people": people}


SNAPSHOT = D(2025, 3, 31)
EARLIER = D(2024, 3, 31)


@pytest.fixture
def pay(db):
    """The worked example of test_paygap.py as people with jobs and pay on 31 March 2025.

    Full pay: men on £10 (bonus £100), £12, £14 (bonus £300) and £20; women on £9 (bonus
    £100), £11 and £13. Not on full pay: a man on £5 (bonus £200) and a woman on £30 (bonus
    £50). Left out: someone who prefers not to say their sex, and someone with no equality
    record. Not counted: an agency worker's pay and a leaver's (gone on 28 February), since
    neither was employed on the day. A woman who started in January has no pay imported.
    On 31 March 2024 only the man on £10 (then £9.50) and the woman on £9 (£9.00) had pay.

    2025: mean hourly gap (14 - 11) / 14 = 21.4%, median (13 - 11) / 13 = 15.4%, bonus gaps
    62.5% and 62.5%, bonuses to 3 of 5 men and 2 of 4 women, quartiles (1, 1), (1, 1),
    (1, 1), (1, 0). 2024: (9.50 - 9.00) / 9.50 = 5.3%."""
    unit = UnitFactory(code="PAY", name="Pay team")
    role = JobRoleFactory(code="PAYR", title="Payroll officer")

    def employee(sex, hourly, bonus="0", full_pay=True, **job):
        person = PersonFactory()
        AssignmentFactory(
            person=person, unit=unit, job_role=role, **{"start_date": D(2020, 1, 1), **job}
        )
        if sex is not None:
            EqualityRecord.objects.create(person=person, sex=sex)
        if hourly is not None:
            PayRecord.objects.create(
                person=person,
                snapshot_on=SNAPSHOT,
                hourly_pay=Decimal(hourly),
                bonus_pay=Decimal(bonus),
                full_pay=full_pay,
            )
        return person

    first_man = employee("male", "10.00", "100")
    employee("male", "12.00")
    employee("male", "14.00", "300")
    employee("male", "20.00")
    employee("male", "5.00", "200", full_pay=False)
    first_woman = employee("female", "9.00", "100")
    employee("female", "11.00")
    employee("female", "13.00")
    employee("female", "30.00", "50", full_pay=False)
    employee("prefer_not_to_say", "50.00", "1000")
    employee(None, "8.00")
    employee("male", "100.00", contract_type=AGENCY)
    employee("female", "40.00", end_date=D(2025, 2, 28))
    employee("female", None, start_date=D(2025, 1, 6))
    PayRecord.objects.create(person=first_man, snapshot_on=EARLIER, hourly_pay=Decimal("9.50"))
    PayRecord.objects.create(person=first_woman, snapshot_on=EARLIER, hourly_pay=Decimal("9.00"))
    return {"unit": unit, "role": role, "employee": employee}


@pytest.fixture
def equality_staff(cast):
    """In Adults team A on Grade 7: 12 women (White, not disabled) and 8 men (Indian, disabled)
    since 2020, and 2 women (White) who started in March 2025. The cast themselves (on their
    own grade) have no answers: Not known."""
    grade = GradeFactory(code="G7", name="Grade 7", rank=7)
    for n, sex, ethnicity, disability, start in (
        (12, "female", "White", "No", dt.date(2020, 1, 1)),
        (8, "male", "Indian", "Yes", dt.date(2020, 1, 1)),
        (2, "female", "White", "No", dt.date(2025, 3, 1)),
    ):
        for _ in range(n):
            person = PersonFactory()
            EqualityRecord.objects.create(
                person=person,
                sex=sex,
                ethnicity=ethnicity,
                disability=disability,
                date_of_birth=dt.date(1985, 5, 5),
            )
            AssignmentFactory(person=person, unit=cast.adults_team, grade=grade, start_date=start)
    return cast
