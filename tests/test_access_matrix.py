"""Every page and API endpoint, for every role, an outsider and someone signed out.

Each case names a URL and says which users are let in; everyone else gets the refusal the case
names: 403 for a page their roles do not open at all, 404 for a thing they may not see (the same
answer as for a thing that does not exist), a redirect to sign in when signed out (401 from the
API). `test_every_url_is_in_the_matrix` fails when a new URL has no case here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from peopleplan.core import services as core_services
from peopleplan.core.models import ImportRun
from tests.factories import PostFactory, RoleGrantFactory

ROLES = (
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
WITH_ANY_ROLE = (
    "ld_admin",
    "hr_officer",
    "hr_equality",
    "adults_hr",
    "senior_leader",
    "budget_holder",
    "sysadmin",
)
COUNCIL_WIDE = ("ld_admin", "hr_officer", "hr_equality", "senior_leader", "sysadmin")
SEES_ADULTS = (*COUNCIL_WIDE, "adults_hr", "budget_holder")
IMPORTERS = ("hr_officer", "sysadmin")
EVERYONE = ROLES
NO_ONE: tuple[str, ...] = ()


@dataclass
class Case:
    name: str  # the URL name this case covers
    url: Callable  # (cast, objects) -> str
    allowed: tuple[str, ...]
    refused: int  # the status for a signed-in user who is not allowed
    method: str = "get"
    ok: int = 200
    api: bool = False
    data: dict = field(default_factory=dict)
    hidden: tuple[str, ...] = ()  # refused with 404 instead: the thing is not theirs to see


def person(who: str):
    return lambda cast, o: getattr(cast, who).person_id


CASES = [
    # pages
    Case("home", lambda c, o: reverse("home"), EVERYONE, 403),
    Case("org:people", lambda c, o: reverse("org:people"), WITH_ANY_ROLE, 403),
    Case(
        "org:person",
        lambda c, o: reverse("org:person", args=[c.learner.person_id]),
        ("learner", "manager", "senior_manager", *SEES_ADULTS),
        404,
    ),
    Case(
        "org:person",
        lambda c, o: reverse("org:person", args=[c.outsider.person_id]),
        ("outsider", *COUNCIL_WIDE),
        404,
    ),
    Case("org:person", lambda c, o: reverse("org:person", args=[999999]), NO_ONE, 404),
    Case("org:person", lambda c, o: reverse("org:person", args=["not-a-number"]), NO_ONE, 404),
    Case("org:my_team", lambda c, o: reverse("org:my_team"), EVERYONE, 403),
    Case("org:units", lambda c, o: reverse("org:units"), WITH_ANY_ROLE, 403),
    Case("org:unit", lambda c, o: reverse("org:unit", args=[c.adults.pk]), SEES_ADULTS, 404),
    Case("org:unit", lambda c, o: reverse("org:unit", args=[c.childrens.pk]), COUNCIL_WIDE, 404),
    Case("org:unit", lambda c, o: reverse("org:unit", args=[999999]), NO_ONE, 404),
    Case("core:audit", lambda c, o: reverse("core:audit"), IMPORTERS, 403),
    Case(
        "core:audit",
        lambda c, o: reverse("core:audit") + f"?person={c.learner.person_id}",
        (*IMPORTERS, "adults_hr"),
        403,
        hidden=("outsider",),
    ),
    Case("core:import_list", lambda c, o: reverse("core:import_list"), IMPORTERS, 403),
    Case(
        "core:import_list",
        lambda c, o: reverse("core:import_list"),
        IMPORTERS,
        403,
        method="post",
        ok=400,
    ),
    Case(
        "core:import_detail",
        lambda c, o: reverse("core:import_detail", args=[o["run"]]),
        IMPORTERS,
        404,
    ),
    Case(
        "core:import_detail", lambda c, o: reverse("core:import_detail", args=[999999]), NO_ONE, 404
    ),
    Case(
        "core:import_progress",
        lambda c, o: reverse("core:import_progress", args=[o["run"]]),
        IMPORTERS,
        404,
    ),
    Case(
        "core:import_rejected",
        lambda c, o: reverse("core:import_rejected", args=[o["run"]]),
        IMPORTERS,
        404,
    ),
    Case(
        "core:import_apply",
        lambda c, o: reverse("core:import_apply", args=[o["run"]]),
        IMPORTERS,
        404,
        method="post",
        ok=302,
    ),
    Case(
        "core:import_discard",
        lambda c, o: reverse("core:import_discard", args=[o["run"]]),
        IMPORTERS,
        404,
        method="post",
        ok=302,
    ),
    Case(
        "core:import_template",
        lambda c, o: reverse("core:import_template", args=["people"]),
        IMPORTERS,
        404,
    ),
    Case(
        "core:export_download",
        lambda c, o: reverse("core:export_download", args=["people"]),
        IMPORTERS,
        404,
    ),
    Case("admin:index", lambda c, o: reverse("admin:index"), ("sysadmin",), 302),
    Case(
        "admin:org_person_changelist",
        lambda c, o: reverse("admin:org_person_changelist"),
        ("sysadmin",),
        302,
    ),
    # the API
    Case("api:api-root", lambda c, o: "/api/", EVERYONE, 403, api=True),
    Case("api:schema", lambda c, o: "/api/schema/", EVERYONE, 403, api=True),
    Case("api:docs", lambda c, o: "/api/docs/", EVERYONE, 403, api=True),
    Case("api:unit-list", lambda c, o: "/api/units/", EVERYONE, 403, api=True),
    Case("api:unit-detail", lambda c, o: f"/api/units/{c.adults.pk}/", SEES_ADULTS, 404, api=True),
    Case("api:grade-list", lambda c, o: "/api/grades/", EVERYONE, 403, api=True),
    Case("api:grade-detail", lambda c, o: f"/api/grades/{o['grade']}/", EVERYONE, 404, api=True),
    Case("api:job-role-list", lambda c, o: "/api/job-roles/", EVERYONE, 403, api=True),
    Case(
        "api:job-role-detail",
        lambda c, o: f"/api/job-roles/{o['job_role']}/",
        EVERYONE,
        404,
        api=True,
    ),
    Case("api:post-list", lambda c, o: "/api/posts/", EVERYONE, 403, api=True),
    Case("api:post-detail", lambda c, o: f"/api/posts/{o['post']}/", SEES_ADULTS, 404, api=True),
    Case("api:person-list", lambda c, o: "/api/people/", EVERYONE, 403, api=True),
    Case(
        "api:person-detail",
        lambda c, o: f"/api/people/{c.learner.person_id}/",
        ("learner", "manager", "senior_manager", *SEES_ADULTS),
        404,
        api=True,
    ),
    Case(
        "api:person-detail",
        lambda c, o: f"/api/people/{c.outsider.person_id}/",
        ("outsider", *COUNCIL_WIDE),
        404,
        api=True,
    ),
    Case("api:person-detail", lambda c, o: "/api/people/999999/", NO_ONE, 404, api=True),
    Case(
        "api:person-assignments",
        lambda c, o: f"/api/people/{c.learner.person_id}/assignments/",
        ("learner", "manager", "senior_manager", *SEES_ADULTS),
        404,
        api=True,
    ),
    Case(
        "api:person-equality",
        lambda c, o: f"/api/people/{c.learner.person_id}/equality/",
        ("hr_equality",),
        404,
        api=True,
    ),
]

# Pages anyone may open, signed in or not.
PUBLIC = {
    "access:login",
    "access:logout",
    "access:password_reset",
    "access:password_reset_done",
    "access:password_reset_confirm",
    "access:password_reset_complete",
}


def _names(patterns, namespace="") -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_is_in_the_matrix():
    covered = {case.name for case in CASES} | PUBLIC
    everything = {n for n in _names(get_resolver().url_patterns) if not n.startswith("admin:")}
    assert everything - covered == set()


@pytest.fixture
def objects(cast):
    post = PostFactory(unit=cast.adults_team)

    def run() -> int:
        header = "employee_number,first_name,last_name,unit_code,job_role_code,contract_type,fte,"
        text = f"{header}assignment_start\nE1,Ann,Bell,NOWHERE,OT,permanent,1,2024-04-01\n"
        upload = SimpleUploadedFile("people.csv", text.encode())
        created = core_services.import_run_create(kind="people", upload=upload, actor=None)
        core_services.import_run_process(run_id=created.pk, apply=False)
        return created.pk

    return {
        "run": run,
        "grade": post.grade_id,
        "job_role": post.job_role_id,
        "post": post.pk,
    }


def _resolve(case: Case, cast, objects) -> str:
    values = {k: (v() if callable(v) else v) for k, v in objects.items()}
    return case.url(cast, values)


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.method} {c.name}")
def test_access(client, cast, objects, case):
    for who in ROLES:
        client.force_login(getattr(cast, who))
        url = _resolve(case, cast, objects)
        response = getattr(client, case.method)(url, case.data)
        expected = case.ok if who in case.allowed else case.refused
        if who in case.hidden:
            expected = 404
        assert response.status_code == expected, f"{who} {case.method} {url}"
    client.logout()
    response = getattr(client, case.method)(_resolve(case, cast, objects), case.data)
    if case.api:
        assert response.status_code == 401, case.name
    else:
        assert response.status_code == 302, case.name
        assert "/login/" in response["Location"]


@pytest.mark.parametrize("name", sorted(PUBLIC - {"access:password_reset_confirm"}))
def test_public_pages_open_without_signing_in(client, name):
    response = client.get(reverse(name)) if name != "access:logout" else client.post(reverse(name))
    assert response.status_code in (200, 302)


def test_import_runs_in_the_matrix_are_real(cast, objects):
    assert ImportRun.objects.get(pk=objects["run"]()).status == ImportRun.Status.FAILED


def test_a_system_administrator_of_one_unit_does_not_get_the_admin(client, cast):
    RoleGrantFactory(user=cast.learner, role="system_admin", unit=cast.adults)
    client.force_login(cast.learner)
    assert client.get(reverse("admin:index")).status_code == 302
    person = reverse("admin:org_person_change", args=[cast.outsider.person_id])
    assert client.get(person).status_code == 302
