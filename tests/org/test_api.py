"""The organisation's JSON API: every endpoint, every role of the cast, and anonymous."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from peopleplan.core.models import AuditEntry
from peopleplan.org import services
from peopleplan.org.models import Grade, JobRole
from tests.factories import (
    AssignmentFactory,
    GradeFactory,
    JobRoleFactory,
    PersonFactory,
    PostFactory,
    RoleGrantFactory,
    UnitFactory,
)

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
COUNCIL_WIDE = ("ld_admin", "hr_officer", "hr_equality", "senior_leader", "sysadmin")
ADULTS_PEOPLE = {"senior_manager", "manager", "learner"}

# Whom each member of the cast sees, by cast name.
PEOPLE_SEEN = {
    "learner": {"learner"},
    "manager": {"manager", "learner"},
    "senior_manager": {"senior_manager", "manager", "learner"},
    "outsider": {"outsider"},
    "adults_hr": {"adults_hr", *ADULTS_PEOPLE},
    "budget_holder": {"budget_holder", *ADULTS_PEOPLE},
    **{role: set(ROLES) for role in COUNCIL_WIDE},
}
ALL_UNITS = {"CNL", "ADU", "ADU-A", "CHI", "CHI-C"}
NO_GRANT = ("learner", "manager", "senior_manager", "outsider")
ADULTS_GRANT = ("adults_hr", "budget_holder")
UNITS_SEEN = {
    **{role: set() for role in NO_GRANT},
    **{role: {"ADU", "ADU-A"} for role in ADULTS_GRANT},
    **dict.fromkeys(COUNCIL_WIDE, ALL_UNITS),
}
ALL_POSTS = {"P-CNL", "P-ADU-A", "P-CHI-C"}
POSTS_SEEN = {
    **{role: set() for role in NO_GRANT},
    **{role: {"P-ADU-A"} for role in ADULTS_GRANT},
    **dict.fromkeys(COUNCIL_WIDE, ALL_POSTS),
}

NOT_FOUND = {"detail": "Not found."}


def client_for(user) -> APIClient:
    """A client signed in with a session, as the pages sign in."""
    client = APIClient()
    client.force_login(user)
    return client


def get_all(client: APIClient, url: str, **params) -> list[dict]:
    response = client.get(url, {**params, "page_size": 500})
    assert response.status_code == 200, response.content
    assert response.json()["next"] is None
    return response.json()["results"]


@pytest.fixture
def posts(cast):
    return {
        number: PostFactory(post_number=number, unit=unit)
        for number, unit in (
            ("P-CNL", cast.council),
            ("P-ADU-A", cast.adults_team),
            ("P-CHI-C", cast.childrens_team),
        )
    }


def person_ids(cast) -> dict[str, int]:
    return {name: user.person_id for name, user in cast.users().items()}


def names_of(cast, results: list[dict]) -> set[str]:
    by_id = {pk: name for name, pk in person_ids(cast).items()}
    return {by_id[row["id"]] for row in results}


# --- anonymous -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/api/units/",
        "/api/units/1/",
        "/api/grades/",
        "/api/grades/1/",
        "/api/job-roles/",
        "/api/job-roles/1/",
        "/api/posts/",
        "/api/posts/1/",
        "/api/people/",
        "/api/people/1/",
        "/api/people/1/assignments/",
        "/api/people/1/equality/",
    ],
)
def test_anonymous_gets_a_json_refusal_never_a_redirect(cast, url):
    response = APIClient().get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response["Content-Type"].startswith("application/json")
    assert "Location" not in response
    assert "detail" in response.json()


def test_a_bad_token_is_refused_with_401(cast):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = client.get("/api/people/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": "Invalid token."}


# --- people ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_people_list_is_what_the_role_may_see(cast, role):
    results = get_all(client_for(getattr(cast, role)), "/api/people/")
    assert names_of(cast, results) == PEOPLE_SEEN[role]


@pytest.mark.parametrize("role", ROLES)
def test_person_detail_is_404_outside_scope_like_a_missing_id(cast, role):
    client = client_for(getattr(cast, role))
    missing = client.get("/api/people/999999/")
    assert missing.status_code == 404
    assert missing.json() == NOT_FOUND
    for name, pk in person_ids(cast).items():
        for url in (f"/api/people/{pk}/", f"/api/people/{pk}/assignments/"):
            response = client.get(url)
            if name in PEOPLE_SEEN[role]:
                assert response.status_code == 200, (role, name, url)
            else:
                assert response.status_code == 404, (role, name, url)
                assert response.content == missing.content


def test_manager_in_adults_gets_the_same_404_for_the_outsider_as_for_nobody(cast):
    client = client_for(cast.manager)
    outsider = client.get(f"/api/people/{cast.outsider.person_id}/")
    nobody = client.get("/api/people/999999/")
    assert outsider.status_code == nobody.status_code == 404
    assert outsider.content == nobody.content
    assert outsider["Content-Type"] == nobody["Content-Type"]


@pytest.mark.parametrize("bad_id", ["abc", "0", "-1", "99999999999999999999999"])
def test_a_malformed_person_id_is_a_plain_404(cast, bad_id):
    response = client_for(cast.hr_officer).get(f"/api/people/{bad_id}/")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_person_has_current_assignments_nested_and_no_equality_data(cast):
    services.equality_record_set(person=cast.learner.person, ethnicity="White British")
    response = client_for(cast.hr_equality).get(f"/api/people/{cast.learner.person_id}/")
    data = response.json()
    assert data["employee_number"] == cast.learner.person.employee_number
    assert data["full_name"] == cast.learner.person.full_name
    assert not {"equality", "ethnicity", "sex", "date_of_birth", "religion"} & set(data)
    assert "White British" not in response.content.decode()
    [current] = data["current_assignments"]
    assert current["unit"] == {
        "id": cast.adults_team.pk,
        "code": "ADU-A",
        "name": "Adults team A",
    }
    assert current["line_manager"]["id"] == cast.manager.person_id
    assert current["job_role"]["title"] == "Officer"
    assert current["grade"]["code"] == "G5"
    assert current["fte"] == "1.00"


def test_person_history_lists_every_assignment_newest_first(cast):
    person = cast.learner.person
    first = person.assignments.get()
    moved_on = dt.date.today() - dt.timedelta(days=10)
    services.assignment_start(
        person=person,
        start_date=moved_on,
        unit=cast.adults,
        job_role=first.job_role,
        contract_type="permanent",
        fte=Decimal("0.80"),
        line_manager=cast.senior_manager.person,
    )
    client = client_for(cast.adults_hr)
    history = client.get(f"/api/people/{person.pk}/assignments/").json()
    assert history["count"] == 2
    assert [a["start_date"] for a in history["results"]] == [
        moved_on.isoformat(),
        first.start_date.isoformat(),
    ]
    assert history["results"][1]["end_date"] == (moved_on - dt.timedelta(days=1)).isoformat()
    current = client.get(f"/api/people/{person.pk}/").json()["current_assignments"]
    assert [a["unit"]["code"] for a in current] == ["ADU"]


# --- equality --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_equality_only_for_the_equality_viewer(cast, role):
    services.equality_record_set(
        person=cast.learner.person, ethnicity="White British", disability="No"
    )
    client = client_for(getattr(cast, role))
    missing = client.get("/api/people/999999/equality/")
    response = client.get(f"/api/people/{cast.learner.person_id}/equality/")
    if role == "hr_equality":
        assert response.status_code == 200
        assert response.json()["ethnicity"] == "White British"
        assert response.json()["recorded"] is True
        assert response["Cache-Control"] == "no-store"
    else:
        assert response.status_code == 404
        assert response.content == missing.content


def test_equality_of_someone_with_no_record_is_empty_not_missing(cast):
    response = client_for(cast.hr_equality).get(f"/api/people/{cast.outsider.person_id}/equality/")
    assert response.status_code == 200
    assert response.json()["recorded"] is False
    assert response.json()["ethnicity"] == ""


def test_equality_viewer_scoped_to_adults_sees_only_adults(cast):
    RoleGrantFactory(user=cast.adults_hr, role="hr_equality", unit=cast.adults)
    client = client_for(cast.adults_hr)
    assert client.get(f"/api/people/{cast.learner.person_id}/equality/").status_code == 200
    assert client.get(f"/api/people/{cast.outsider.person_id}/equality/").status_code == 404


# --- people filters --------------------------------------------------------------------------


def test_people_unit_filter_is_the_subtree_today(cast):
    client = client_for(cast.hr_officer)
    assert names_of(cast, get_all(client, "/api/people/", unit=cast.adults.pk)) == ADULTS_PEOPLE
    assert names_of(cast, get_all(client, "/api/people/", unit=cast.adults_team.pk)) == {
        "manager",
        "learner",
    }
    assert names_of(cast, get_all(client, "/api/people/", unit=cast.childrens.pk)) == {"outsider"}
    # Someone who moved out of Adults last month is no longer placed there.
    person = cast.learner.person
    services.assignment_start(
        person=person,
        start_date=dt.date.today() - dt.timedelta(days=30),
        unit=cast.childrens_team,
        job_role=person.assignments.get().job_role,
        contract_type="permanent",
        fte=Decimal("1.00"),
    )
    assert "learner" not in names_of(cast, get_all(client, "/api/people/", unit=cast.adults.pk))


def test_people_unit_filter_outside_scope_or_unknown_is_empty(cast):
    client = client_for(cast.adults_hr)
    assert get_all(client, "/api/people/", unit=cast.childrens.pk) == []
    assert get_all(client, "/api/people/", unit=cast.council.pk) == []
    assert get_all(client, "/api/people/", unit=999999) == []
    assert names_of(cast, get_all(client, "/api/people/", unit=cast.adults.pk)) == ADULTS_PEOPLE
    # A line manager has no unit scope: the filter is empty for them (see org/api.py).
    assert get_all(client_for(cast.manager), "/api/people/", unit=cast.adults_team.pk) == []


@pytest.mark.parametrize("url", ["/api/people/", "/api/units/", "/api/posts/"])
def test_a_malformed_unit_filter_is_a_400(cast, url):
    response = client_for(cast.hr_officer).get(url, {"unit": "adults"})
    assert response.status_code == 400
    assert "unit" in response.json()


def test_people_search_by_name_and_employee_number(cast):
    person = cast.outsider.person
    person.first_name, person.last_name = "Ada", "Lovelace-Byron"
    person.save()
    client = client_for(cast.hr_officer)
    assert names_of(cast, get_all(client, "/api/people/", q="lovelace")) == {"outsider"}
    assert names_of(cast, get_all(client, "/api/people/", q="ada LOVELACE")) == {"outsider"}
    assert get_all(client, "/api/people/", q="ada nobody") == []
    number = cast.learner.person.employee_number
    assert names_of(cast, get_all(client, "/api/people/", q=number)) == {"learner"}
    # Search never widens the scope.
    assert get_all(client_for(cast.manager), "/api/people/", q="lovelace") == []


def test_people_active_filter_is_in_post_today(cast):
    today = dt.date.today()
    services.person_leave(
        person=cast.learner.person,
        leaving_date=today - dt.timedelta(days=5),
        leaving_reason="resignation",
    )
    starter = PersonFactory()
    AssignmentFactory(person=starter, unit=cast.adults_team, start_date=today + dt.timedelta(7))
    client = client_for(cast.hr_officer)
    everyone = {row["id"] for row in get_all(client, "/api/people/")}
    active = {row["id"] for row in get_all(client, "/api/people/", active="true")}
    inactive = {row["id"] for row in get_all(client, "/api/people/", active="false")}
    assert inactive == {cast.learner.person_id, starter.pk}
    assert active == everyone - inactive
    assert client.get("/api/people/", {"active": "maybe"}).status_code == 400


def test_pages_of_50_and_page_size_up_to_500(cast):
    client = client_for(cast.hr_officer)
    page = client.get("/api/people/", {"page_size": 2}).json()
    assert page["count"] == len(ROLES)
    assert len(page["results"]) == 2
    assert "page=2" in page["next"]
    Grade.objects.bulk_create(
        Grade(code=f"X{n:03d}", name=f"Grade {n}", rank=100 + n) for n in range(520)
    )
    assert len(client.get("/api/grades/").json()["results"]) == 50
    assert len(client.get("/api/grades/", {"page_size": 1000}).json()["results"]) == 500


def test_the_api_is_read_only(cast):
    client = client_for(cast.sysadmin)
    assert client.post("/api/people/", {"first_name": "X"}).status_code == 405
    pk = cast.learner.person_id
    assert client.patch(f"/api/people/{pk}/", {"first_name": "X"}).status_code == 405
    assert client.delete(f"/api/people/{pk}/").status_code == 405


# --- units, posts, grades, job roles ---------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_units_are_the_role_scope(cast, role):
    client = client_for(getattr(cast, role))
    codes = {row["code"] for row in get_all(client, "/api/units/")}
    assert codes == UNITS_SEEN[role]
    missing = client.get("/api/units/999999/")
    assert missing.status_code == 404
    for unit in (cast.council, cast.adults, cast.adults_team, cast.childrens, cast.childrens_team):
        response = client.get(f"/api/units/{unit.pk}/")
        if unit.code in UNITS_SEEN[role]:
            assert response.json()["path"] == unit.path
        else:
            assert response.status_code == 404
            assert response.content == missing.content


def test_units_filter_to_a_subtree_in_tree_order(cast):
    client = client_for(cast.hr_officer)
    codes = [row["code"] for row in get_all(client, "/api/units/", unit=cast.adults.pk)]
    assert codes == ["ADU", "ADU-A"]
    assert get_all(client_for(cast.adults_hr), "/api/units/", unit=cast.childrens.pk) == []
    assert get_all(client_for(cast.adults_hr), "/api/units/", unit=cast.council.pk) == []


@pytest.mark.parametrize("role", ROLES)
def test_posts_are_the_role_scope(cast, posts, role):
    client = client_for(getattr(cast, role))
    numbers = {row["post_number"] for row in get_all(client, "/api/posts/")}
    assert numbers == POSTS_SEEN[role]
    missing = client.get("/api/posts/999999/")
    for number, post in posts.items():
        response = client.get(f"/api/posts/{post.pk}/")
        if number in POSTS_SEEN[role]:
            assert response.json()["unit"]["id"] == post.unit_id
        else:
            assert response.status_code == 404
            assert response.content == missing.content


def test_posts_filter_to_a_unit_subtree(cast, posts):
    client = client_for(cast.hr_officer)
    numbers = {row["post_number"] for row in get_all(client, "/api/posts/", unit=cast.adults.pk)}
    assert numbers == {"P-ADU-A"}
    assert get_all(client_for(cast.adults_hr), "/api/posts/", unit=cast.childrens.pk) == []


@pytest.mark.parametrize("role", ROLES)
def test_grades_and_job_roles_are_for_every_signed_in_user(cast, role):
    client = client_for(getattr(cast, role))
    assert {row["code"] for row in get_all(client, "/api/grades/")} == set(
        Grade.objects.values_list("code", flat=True)
    )
    assert len(get_all(client, "/api/job-roles/")) == JobRole.objects.count()
    grade = Grade.objects.first()
    assert client.get(f"/api/grades/{grade.pk}/").json()["code"] == grade.code
    role_ = JobRole.objects.first()
    assert client.get(f"/api/job-roles/{role_.pk}/").json()["code"] == role_.code
    assert client.get("/api/grades/999999/").status_code == 404


def test_job_roles_filter_by_family(cast):
    JobRoleFactory(title="Social worker (adults)", job_family="Social work")
    JobRoleFactory(title="Senior social worker", job_family="Social work")
    client = client_for(cast.learner)
    titles = {row["title"] for row in get_all(client, "/api/job-roles/", job_family="social WORK")}
    assert titles == {"Social worker (adults)", "Senior social worker"}
    assert get_all(client, "/api/job-roles/", job_family="Nobody") == []


# --- tokens ----------------------------------------------------------------------------------


def test_token_authentication_sees_what_the_user_sees(cast):
    out = io.StringIO()
    call_command("api_token", "Manager@Council.example", stdout=out)
    key = out.getvalue().strip()
    assert Token.objects.get(user=cast.manager).key == key
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert names_of(cast, get_all(client, "/api/people/")) == {"manager", "learner"}
    assert client.get(f"/api/people/{cast.outsider.person_id}/").status_code == 404
    entry = AuditEntry.objects.get(object_type="api_token")
    assert entry.object_label == cast.manager.email
    assert key not in str(entry.summary) + str(entry.after)


def test_api_token_command_prints_the_same_token_until_reset(cast):
    def issue(*args):
        out = io.StringIO()
        call_command("api_token", cast.learner.email, *args, stdout=out)
        return out.getvalue().strip()

    first = issue()
    assert issue() == first
    second = issue("--reset")
    assert second != first
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert client.get("/api/people/").status_code == 401
    client.credentials(HTTP_AUTHORIZATION=f"Token {second}")
    assert client.get("/api/people/").status_code == 200


def test_api_token_command_refuses_unknown_and_inactive_users(cast):
    with pytest.raises(CommandError, match="No user"):
        call_command("api_token", "nobody@council.example", stdout=io.StringIO())
    cast.outsider.is_active = False
    cast.outsider.save()
    with pytest.raises(CommandError, match="not an active user"):
        call_command("api_token", cast.outsider.email, stdout=io.StringIO())


# --- a fixed number of queries per page ------------------------------------------------------


def grow(cast, count: int) -> None:
    """More people in Adults team A, each with a post, a past job and a current one."""
    grade = GradeFactory(code="G7", rank=7)
    for _ in range(count):
        person = PersonFactory()
        post = PostFactory(unit=cast.adults_team, grade=grade)
        AssignmentFactory(
            person=person,
            unit=cast.adults,
            start_date=dt.date(2019, 1, 1),
            end_date=dt.date(2020, 3, 31),
        )
        AssignmentFactory(
            person=person,
            unit=cast.adults_team,
            post=post,
            job_role=post.job_role,
            grade=grade,
            line_manager=cast.manager.person,
        )
        UnitFactory(parent=cast.adults_team)


# Signed in with a session: session, user, grants, the ?unit= lookup, count, page, one prefetch,
# and the session saved on every request (a savepoint, the update, its release).
MAX_QUERIES = 10

PAGE_CASES = [
    (role, url, params)
    for role in ("hr_officer", "adults_hr")
    for url, params in (
        ("/api/people/", {}),
        ("/api/people/", {"unit": "ADULTS", "active": "true", "q": "e"}),
        ("/api/posts/", {}),
        ("/api/posts/", {"unit": "ADULTS"}),
        ("/api/units/", {"unit": "ADULTS"}),
        ("/api/grades/", {}),
        ("/api/job-roles/", {}),
    )
] + [("manager", "/api/people/", {}), ("manager", "/api/people/", {"q": "e", "active": "1"})]


@pytest.mark.parametrize(("role", "url", "params"), PAGE_CASES)
def test_a_page_takes_the_same_queries_whatever_the_size(
    cast, role, url, params, django_assert_max_num_queries
):
    client = client_for(getattr(cast, role))
    params = {k: (cast.adults.pk if v == "ADULTS" else v) for k, v in params.items()}
    rows, queries = [], []
    for extra in (2, 40):  # both non-empty: an empty page skips its query
        grow(cast, extra)
        with django_assert_max_num_queries(MAX_QUERIES) as captured:
            response = client.get(url, {**params, "page_size": 500})
        assert response.status_code == 200
        rows.append(response.json()["count"])
        queries.append(len(captured))
    assert rows[1] > rows[0]  # the second page really is bigger
    assert queries[1] == queries[0]


def test_a_history_takes_the_same_queries_whatever_its_length(cast, django_assert_max_num_queries):
    client = client_for(cast.hr_officer)
    person = cast.learner.person
    queries = []
    for length in (1, 30):
        while person.assignments.count() < length:
            last = person.assignments.order_by("-start_date").first()
            services.assignment_start(
                person=person,
                start_date=last.start_date + dt.timedelta(days=30),
                unit=cast.adults_team,
                job_role=last.job_role,
                contract_type="permanent",
                fte=Decimal("1.00"),
                line_manager=cast.manager.person,
            )
        with django_assert_max_num_queries(MAX_QUERIES) as captured:
            response = client.get(f"/api/people/{person.pk}/assignments/")
        assert response.json()["count"] == length
        queries.append(len(captured))
    assert queries[1] == queries[0]


# --- the schema and its docs -----------------------------------------------------------------


def test_schema_generates_and_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = target.read_text()
    for path in (
        "/api/units/",
        "/api/grades/",
        "/api/job-roles/",
        "/api/posts/",
        "/api/people/",
        "/api/people/{id}/assignments/",
        "/api/people/{id}/equality/",
    ):
        assert f"  {path}:" in schema


def test_schema_is_served(cast):
    response = client_for(cast.learner).get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert "/api/people/{id}/equality/" in response.json()["paths"]


def test_docs_page_uses_only_local_scripts_and_styles(cast):
    response = client_for(cast.learner).get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'<(?:script|link)[^>]*(?:src|href)="([^"]+)"', html)
    assert assets, html
    assert all(asset.startswith("/static/") for asset in assets), assets
    assert not re.search(r"https?://|//cdn|jsdelivr|unpkg", html)


def test_schema_and_docs_need_a_signed_in_user(client):
    assert client.get("/api/schema/").status_code == 401
    assert client.get("/api/docs/").status_code == 401
