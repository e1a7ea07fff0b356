"""Equality figures on a hand-made team whose every count and share is worked out here, the
groups of answers as people give them, and suppression as the figures are shown."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peopleplan.core.suppression import FEWER, HIDDEN
from peopleplan.org.models import Assignment, EqualityRecord
from peopleplan.workforce import equality
from peopleplan.workforce.equality import (
    GROUPS,
    NOT_KNOWN,
    Comparison,
    EqualityFacts,
    breakdowns,
    disability_group,
    ethnic_group,
    sex_group,
)
from peopleplan.workforce.metrics import Scope
from tests.factories import (
    AssignmentFactory,
    GradeFactory,
    JobRoleFactory,
    PersonFactory,
    UnitFactory,
)

D = dt.date
AS_OF = D(2025, 9, 30)  # the year: 1 October 2024 to 30 September 2025
LONG_AGO = D(2015, 1, 1)


@pytest.mark.parametrize(
    ("answer", "group"),
    [
        ("White: English, Welsh, Scottish, Northern Irish or British", "White"),
        ("White: Irish", "White"),
        ("Gypsy or Irish Traveller", "White"),
        ("White: Other White", "White"),
        ("Other White", "White"),
        ("Mixed or Multiple ethnic groups: White and Black Caribbean", "Mixed"),
        ("White and Asian", "Mixed"),  # two groups named: mixed
        ("Asian, Asian British or Asian Welsh: Pakistani", "Asian"),
        ("Pakistani", "Asian"),
        ("Other Asian", "Asian"),
        ("Black, Black British, Black Welsh, Caribbean or African: African", "Black"),
        ("Black British", "Black"),
        ("Other ethnic group: Arab", "Other"),
        ("Any other ethnic group", "Other"),
        ("Prefer not to say", NOT_KNOWN),
        ("not stated", NOT_KNOWN),
        ("", NOT_KNOWN),
        ("British", NOT_KNOWN),  # not a group the census would know it by
        ("WBRI", NOT_KNOWN),
    ],
)
def test_ethnicities_fall_in_the_census_groups(answer, group):
    assert ethnic_group(answer) == group


def test_disability_and_sex_answers():
    assert [disability_group(a) for a in ("Yes", "Y", "disabled", "No", "Not disabled")] == [
        "Disabled",
        "Disabled",
        "Disabled",
        "Not disabled",
        "Not disabled",
    ]
    assert {disability_group(a) for a in ("", "Prefer not to say", "Maybe")} == {NOT_KNOWN}
    assert [sex_group(a) for a in ("female", "male", "prefer_not_to_say", "")] == [
        "Female",
        "Male",
        NOT_KNOWN,
        NOT_KNOWN,
    ]


@given(st.text(max_size=40))
def test_every_answer_has_one_group(answer):
    assert ethnic_group(answer) in (*GROUPS["ethnicity"], NOT_KNOWN)
    assert disability_group(answer) in (*GROUPS["disability"], NOT_KNOWN)


@pytest.fixture
def team(db):
    """A team on 30 September 2025, all with answers but where said:
    - Grade 1 (16): 10 women (White, not disabled, born 1990: 35), 6 men (Pakistani, disabled,
      born 1970: 55).
    - Grade 2 (12): 5 women (White, disability left blank, born 2000: 25) who started on 1
      March 2025, and 7 men (Black African, not disabled, born 2000). One of the men also
      holds a Grade 1 job: he counts once, in Grade 2, and his Grade 2 job, started in May,
      is not a start.
    - Left on 30 June 2025: 3 women (White).
    - Not counted: an agency worker, and someone in another unit."""
    unit = UnitFactory(code="T", name="Team")
    other = UnitFactory(code="O", name="Elsewhere")
    role = JobRoleFactory(code="SW", job_family="Social work")
    grade1 = GradeFactory(code="G1", name="Grade 1", rank=1)
    grade2 = GradeFactory(code="G2", name="Grade 2", rank=2)

    def person(n, sex, ethnicity, disability, born, grade, start=LONG_AGO, end=None):
        made = []
        for _ in range(n):
            who = PersonFactory()
            EqualityRecord.objects.create(
                person=who, sex=sex, ethnicity=ethnicity, disability=disability, date_of_birth=born
            )
            AssignmentFactory(
                person=who, unit=unit, job_role=role, grade=grade, start_date=start, end_date=end
            )
            made.append(who)
        return made

    person(10, "female", "White: Irish", "No", D(1990, 1, 1), grade1)
    person(6, "male", "Pakistani", "Yes", D(1970, 6, 1), grade1)
    person(5, "female", "White", "", D(2000, 1, 1), grade2, start=D(2025, 3, 1))
    men = person(7, "male", "Black African", "No", D(2000, 1, 1), grade2)
    AssignmentFactory(
        person=men[0], unit=unit, job_role=role, grade=grade1, start_date=D(2025, 5, 1)
    )
    person(3, "female", "White", "No", D(1990, 1, 1), grade1, end=D(2025, 6, 30))
    agency = PersonFactory()
    AssignmentFactory(
        person=agency, unit=unit, job_role=role, contract_type=Assignment.ContractType.AGENCY
    )
    AssignmentFactory(unit=other, job_role=role)
    return {"unit": unit, "role": role, "grades": (grade1, grade2)}


def _shown(line):
    return [c.shown for c in line.row.cells], line.row.total.shown


def _by(found):
    return {b.dimension: b for b in found}


def test_every_count_and_share_of_the_team(team):
    facts = EqualityFacts.read(Scope(unit_paths=(team["unit"].path,)), AS_OF)
    assert facts.period_start == D(2024, 10, 1)
    assert facts.bands == ["Grade 1", "Grade 2"]
    compared = Comparison("Census 2021", "ONS", {"sex": {"Female": Decimal("51.0")}})
    found = _by(breakdowns(facts, compared))

    sex = found["sex"]
    assert sex.groups == ("Female", "Male", NOT_KNOWN)
    assert [line.label for line in sex.lines] == [
        "Workforce",
        "Starters",
        "Leavers",
        "Grade 1",
        "Grade 2",
    ]
    workforce, starters, leavers, grade1, grade2 = sex.lines
    assert _shown(workforce) == (["15", "13", "0"], "28")
    assert [workforce.share(i) for i in range(3)] == [53.6, 46.4, 0.0]  # of 28
    assert _shown(starters) == (["5", "0", "0"], "5")
    assert _shown(leavers) == ([FEWER, "0", "0"], FEWER)  # 3 women
    assert leavers.share(0) is None
    assert _shown(grade1) == (["10", "6", "0"], "16")
    assert _shown(grade2) == (["5", "7", "0"], "12")
    assert sex.difference(0) == 2.6  # 53.6 - 51.0
    assert sex.difference(1) is None  # no comparison entered for men

    ethnicity = found["ethnicity"].lines[0]
    assert _shown(ethnicity) == (["6", "7", "0", "15", "0", "0"], "28")
    assert ethnicity.share(0) == 21.4  # 6 / 28

    disability = found["disability"].lines[0]
    assert _shown(disability) == (["6", "17", "5"], "28")
    assert [disability.share(i) for i in range(3)] == [26.1, 73.9, 17.9]  # 6/23, 17/23, 5/28

    age = found["age"]
    assert _shown(age.lines[0]) == (["0", "12", "10", "0", "6", "0", "0"], "28")
    assert _shown(age.lines[1]) == (["0", "5", "0", "0", "0", "0", "0"], "5")  # 25 on starting
    assert _shown(age.lines[2]) == (["0", "0", FEWER, "0", "0", "0", "0"], FEWER)  # 35 on leaving


def test_one_person_without_answers_hides_what_would_give_them_away(team):
    AssignmentFactory(unit=team["unit"], job_role=team["role"], grade=team["grades"][0])
    facts = EqualityFacts.read(Scope(unit_paths=(team["unit"].path,)), AS_OF)
    sex = _by(breakdowns(facts))["sex"]
    workforce, _, _, grade1, grade2 = sex.lines
    # Grade 1 [10, 6, 1]: the 1 is under 5, so its row hides its smallest other (6). The
    # workforce [15, 13, 1] likewise hides 13. Then down the columns each has two hidden.
    assert _shown(grade1) == (["10", HIDDEN, FEWER], "17")
    assert _shown(grade2) == (["5", "7", "0"], "12")
    assert _shown(workforce) == (["15", HIDDEN, FEWER], "29")
    assert [workforce.share(i) for i in range(3)] == [None, None, None]
    assert sex.difference(0) is None


def test_a_job_family_and_the_whole_council(team):
    assert EqualityFacts.read(Scope(job_family="Housing"), AS_OF).in_post == {}
    AssignmentFactory(unit=team["unit"], job_role=team["role"], grade=None)
    council = EqualityFacts.read(Scope(), AS_OF)
    assert len(council.in_post) == 30  # the team's 28, one without a grade, one elsewhere
    assert council.bands[-1] == equality.NO_GRADE
    workforce = _by(breakdowns(council))["sex"].lines[0]
    # The two without answers are Not known: under 5, so the men (13) go with them.
    assert _shown(workforce) == (["15", HIDDEN, FEWER], "30")
