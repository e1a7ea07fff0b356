"""The demo logins: one for every role, each attached to a believable person in the council.

Only these few users get a password (one shared demo password); the other people in the demo
council have no user and so no login.
"""

from __future__ import annotations

from dataclasses import dataclass

from peopleplan.access.models import RoleGrant, User

DEMO_PASSWORD = "demo-password-2026"
DEMO_DOMAIN = "demo.peopleplan.example"


@dataclass(frozen=True)
class DemoLogin:
    key: str  # the email's local part, and the planner's name for the person
    title: str
    role: str  # the role granted, or "" for a member of staff with no role
    scope: str  # the directorate code a scoped role covers; "" for the whole council
    sees: str

    @property
    def email(self) -> str:
        return f"{self.key}@{DEMO_DOMAIN}"


R = RoleGrant.Role
DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin(
        "learner",
        "Member of staff (learner)",
        "",
        "",
        "Their own details and job history",
    ),
    DemoLogin(
        "manager",
        "Line manager",
        "",
        "",
        "Themselves and their team: the people who report to them",
    ),
    DemoLogin(
        "senior.manager",
        "Senior manager (head of service)",
        "",
        "",
        "Everyone under them, directly or through the managers who report to them",
    ),
    DemoLogin(
        "ld.admin",
        "L&D administrator",
        R.LD_ADMIN,
        "",
        "Everyone in the council and the organisation's figures",
    ),
    DemoLogin(
        "hr.officer",
        "HR officer",
        R.HR_OFFICER,
        "",
        "Everyone in the council; people imports and exports; the audit log",
    ),
    DemoLogin(
        "hr.equality",
        "HR equality viewer",
        R.HR_EQUALITY,
        "",
        "Everyone in the council, with their equality monitoring data",
    ),
    DemoLogin(
        "budget.holder",
        "Budget holder",
        R.BUDGET_HOLDER,
        "PLA",
        "The Place directorate: its people, posts and figures",
    ),
    DemoLogin(
        "senior.leader",
        "Senior leader",
        R.SENIOR_LEADER,
        "",
        "Everyone in the council, read-only, and the organisation's figures",
    ),
    DemoLogin(
        "sysadmin",
        "System administrator",
        R.SYSTEM_ADMIN,
        "",
        "Everyone in the council; imports; the admin site",
    ),
    DemoLogin(
        "hr.adults",
        "HR officer for one directorate",
        R.HR_OFFICER,
        "ADU",
        "The Adults directorate only: its people, posts and their record of changes",
    ),
)


def demo_users_create(*, people: dict[str, int], scopes: dict[str, int]) -> list[User]:
    """Create the demo users. `people` maps a login's key to a person's id and `scopes` a
    directorate code to its unit id."""
    users = []
    for login in DEMO_LOGINS:
        person_id = people.get(login.key)
        user = User(email=login.email, person_id=person_id, full_name=login.title)
        user.set_password(DEMO_PASSWORD)
        user.save()
        if login.role:
            RoleGrant.objects.create(
                user=user, role=login.role, unit_id=scopes[login.scope] if login.scope else None
            )
        users.append(user)
    return users


def demo_users() -> list[tuple[DemoLogin, User | None]]:
    by_email = {
        u.email: u
        for u in User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").select_related("person")
    }
    return [(login, by_email.get(login.email)) for login in DEMO_LOGINS]
