"""The fixed cast the tests use, so that permission tests read naturally.

council (top)
  Adults directorate          Children's directorate
    Adults team A               Children's team C
      learner                     outsider (no roles)
    manager (manages learner)
  senior manager (manages manager, in Adults directorate)

ld_admin and hr_officer hold council-wide roles; hr_equality sees equality data;
adults_hr holds an HR officer role over Adults only; sysadmin is a system administrator.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from peopleplan.access.models import RoleGrant, User
from peopleplan.org.models import Person, Unit
from tests.factories import (
    AssignmentFactory,
    GradeFactory,
    JobRoleFactory,
    PersonFactory,
    PostFactory,
    RoleGrantFactory,
    UnitFactory,
    UserFactory,
)

PASSWORD = "correct horse battery"


@dataclass
class Cast:
    council: Unit
    adults: Unit
    adults_team: Unit
    childrens: Unit
    childrens_team: Unit
    learner: User
    manager: User
    senior_manager: User
    outsider: User
    ld_admin: User
    hr_officer: User
    hr_equality: User
    adults_hr: User
    senior_leader: User
    budget_holder: User
    sysadmin: User

    def users(self) -> dict[str, User]:
        return {
            name: getattr(self, name)
            for name in (
                "learner",
                "manager",
                "senior_manager",
                "outsider",
                "ld_admin",
                "hr_officer",
                "hr_equality",
                "adults_hr",
                "senior_leader",
                "budget_holder",
                "sysadmin",
            )
        }


def _staff(email: str, unit: Unit, *, manager: Person | None = None, title: str = "") -> User:
    person = PersonFactory(email=email)
    AssignmentFactory(
        person=person,
        unit=unit,
        line_manager=manager,
        job_role=JobRoleFactory(title=title or "Officer"),
        grade=GradeFactory(code="G5", rank=5),
    )
    return UserFactory(email=email, person=person)


@pytest.fixture
def cast(db) -> Cast:
    council = UnitFactory(code="CNL", name="Council", unit_type="council")
    adults = UnitFactory(code="ADU", name="Adults", unit_type="directorate", parent=council)
    adults_team = UnitFactory(code="ADU-A", name="Adults team A", parent=adults)
    childrens = UnitFactory(code="CHI", name="Children's", unit_type="directorate", parent=council)
    childrens_team = UnitFactory(code="CHI-C", name="Children's team C", parent=childrens)

    senior_manager = _staff("senior@council.example", adults, title="Director of Adults")
    manager = _staff(
        "manager@council.example", adults_team, manager=senior_manager.person, title="Team manager"
    )
    learner = _staff("learner@council.example", adults_team, manager=manager.person)
    outsider = _staff("outsider@council.example", childrens_team, title="Social worker")

    def role_user(email: str, role: str, unit: Unit | None = None) -> User:
        user = _staff(email, council)
        RoleGrantFactory(user=user, role=role, unit=unit)
        return user

    cast = Cast(
        council=council,
        adults=adults,
        adults_team=adults_team,
        childrens=childrens,
        childrens_team=childrens_team,
        learner=learner,
        manager=manager,
        senior_manager=senior_manager,
        outsider=outsider,
        ld_admin=role_user("ld@council.example", RoleGrant.Role.LD_ADMIN),
        hr_officer=role_user("hr@council.example", RoleGrant.Role.HR_OFFICER),
        hr_equality=role_user("equality@council.example", RoleGrant.Role.HR_EQUALITY),
        adults_hr=role_user("adults-hr@council.example", RoleGrant.Role.HR_OFFICER, adults),
        senior_leader=role_user("leader@council.example", RoleGrant.Role.SENIOR_LEADER),
        budget_holder=role_user("budget@council.example", RoleGrant.Role.BUDGET_HOLDER, adults),
        sysadmin=role_user("sysadmin@council.example", RoleGrant.Role.SYSTEM_ADMIN),
    )
    return cast


@pytest.fixture
def post_factory():
    return PostFactory
