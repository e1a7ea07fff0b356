"""The pages of audiences: the list, an audience with its people, creating and changing one
with rows of rules and a preview (htmx and without JavaScript), and deleting one."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from peopleplan.core.models import AuditEntry
from peopleplan.org import services
from peopleplan.org.models import Audience
from tests.factories import JobRoleFactory


@pytest.fixture
def social_workers(cast):
    """The outsider (in Children's) is a social worker; an audience of them, and one of
    everyone in Adults."""
    job = cast.outsider.person.assignments.get()
    role = JobRoleFactory(code="SW1", title="Social worker", job_family="Social work")
    job.job_role = role
    job.save()
    made = services.audience_create(
        actor=None,
        code="social-workers",
        name="Social workers",
        rules=[{"kind": "job_family", "values": ["Social work"]}],
    )
    services.audience_create(
        actor=None,
        code="adults",
        name="Adults",
        rules=[
            {"kind": "unit", "values": ["ADU"]},
            {"kind": "contract_type", "values": ["agency"], "exclude": True},
        ],
    )
    return made


def form_data(**fields) -> dict:
    data = {"name": "", "code": "", "description": "", "match": "all", "rules": "0"}
    rules = fields.pop("rules", [])
    data["rules"] = str(len(rules))
    for n, rule in enumerate(rules, start=1):
        for key, value in rule.items():
            if key == "exclude":
                if value:
                    data[f"rule-{n}-exclude"] = "on"
            else:
                data[f"rule-{n}-{key}"] = value
    data.update(fields)
    return data


def test_the_list_says_each_audience_in_plain_english_with_todays_count(
    client, cast, social_workers
):
    client.force_login(cast.hr_officer)
    page = client.get(reverse("org:audience_list")).content.decode()
    assert "Social workers" in page and "Job family is Social work" in page
    assert "In Adults or below" in page and "Not agency" in page
    assert "Audiences" in page  # in the navigation


def test_the_list_is_a_fixed_number_of_queries(
    client, cast, social_workers, django_assert_max_num_queries
):
    client.force_login(cast.hr_officer)
    services.audience_create(
        actor=None,
        code="every-kind",
        name="Every kind of code",
        rules=[
            {"kind": "job_role", "values": ["SW1"]},
            {"kind": "grade_at_least", "values": ["G5"]},
            {"kind": "unit", "values": ["ADU"]},
        ],
    )
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("org:audience_list"))
    for n in range(6):
        services.audience_create(
            actor=None,
            code=f"more-{n}",
            name=f"More {n}",
            rules=[
                {"kind": "unit", "values": ["CHI"]},
                {"kind": "grade_at_least", "values": ["G5"]},
            ],
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("org:audience_list"))


def test_an_audience_with_its_people_by_directorate(client, cast, social_workers):
    client.force_login(cast.ld_admin)
    response = client.get(reverse("org:audience_detail", args=[social_workers.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert cast.outsider.person.last_name in page
    assert "Children&#x27;s" in page or "Children's" in page
    assert cast.learner.person.last_name not in page


def test_creating_an_audience_with_a_mistake_then_right(client, cast):
    client.force_login(cast.hr_officer)
    url = reverse("org:audience_new")
    assert client.get(url).status_code == 200
    wrong = form_data(
        name="Managers",
        code="Managers!",
        rules=[{"kind": "unit", "values": "NOWHERE"}, {"kind": "line_manager"}],
    )
    response = client.post(url, wrong)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Rule 1: no unit with code NOWHERE" in page
    assert 'href="#id_rule-1-values"' in page
    assert 'href="#id_code"' in page
    assert not Audience.objects.exists()
    right = form_data(
        name="Managers in Adults",
        code="adults-managers",
        rules=[{"kind": "unit", "values": "adu"}, {"kind": "line_manager"}, {}],
    )
    response = client.post(url, right)
    made = Audience.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("org:audience_detail", args=[made.pk])
    assert [(r.kind, r.values) for r in made.rules.all()] == [
        ("unit", ["ADU"]),
        ("line_manager", []),
    ]
    entry = AuditEntry.objects.get(object_type="audience")
    assert entry.actor == cast.hr_officer


def test_a_blank_rule_between_rules_is_named(client, cast):
    client.force_login(cast.hr_officer)
    data = form_data(
        name="A", code="a", rules=[{"kind": "line_manager"}, {}, {"kind": "line_manager"}]
    )
    response = client.post(reverse("org:audience_new"), data)
    assert response.status_code == 400
    assert "Rule 2: choose what the rule is about" in response.content.decode()


def test_adding_and_removing_rule_rows_keeps_what_was_typed(client, cast):
    client.force_login(cast.hr_officer)
    url = reverse("org:audience_new")
    data = form_data(
        name="Typed",
        code="typed",
        rules=[{"kind": "unit", "values": "ADU"}, {"kind": "job_family", "values": "Social work"}],
    )
    added = client.post(url, {**data, "action": "add"}).content.decode()
    assert 'name="rules" value="3"' in added
    assert 'name="rule-3-kind"' in added and 'value="Typed"' in added
    assert "There is a problem" not in added
    removed = client.post(url, {**data, "action": "remove-1"}).content.decode()
    assert 'name="rules" value="1"' in removed
    assert 'value="Social work"' in removed and 'value="ADU"' not in removed


def test_preview_without_javascript_shows_the_whole_page(client, cast, social_workers):
    client.force_login(cast.hr_officer)
    data = form_data(rules=[{"kind": "job_family", "values": "social work"}], action="preview")
    response = client.post(reverse("org:audience_new"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "1 person today" in page and cast.outsider.person.last_name in page
    assert "<h1" in page  # the whole page
    assert "There is a problem" not in page  # no name yet: not checked until saving
    assert not Audience.objects.filter(code="").exists()


def test_preview_with_htmx_is_the_partial(client, cast, social_workers):
    client.force_login(cast.hr_officer)
    data = form_data(rules=[], action="preview")
    response = client.post(reverse("org:audience_new"), data, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1" not in page
    assert "Everyone in post: 11 people today" in page
    wrong = form_data(rules=[{"kind": "job_role", "values": "SW9"}], action="preview")
    response = client.post(reverse("org:audience_new"), wrong, HTTP_HX_REQUEST="true")
    assert response.status_code == 200  # htmx swaps in only a success
    assert "Rule 1: no job role with code SW9" in response.content.decode()
    assert 'href="#id_rule-1-values"' in response.content.decode()


def test_the_preview_sample_is_only_people_the_user_may_see(client, cast):
    """A system administrator's grant covers the whole council, but the gate decides."""
    client.force_login(cast.sysadmin)
    data = form_data(rules=[{"kind": "unit", "values": "CHI"}], action="preview")
    page = client.post(reverse("org:audience_new"), data).content.decode()
    assert cast.outsider.person.last_name in page


def test_changing_an_audience(client, cast, social_workers):
    client.force_login(cast.ld_admin)
    url = reverse("org:audience_edit", args=[social_workers.pk])
    page = client.get(url).content.decode()
    assert 'value="Social work"' in page and 'value="social-workers"' in page
    data = form_data(
        name="Social workers, not agency",
        code="social-workers",
        match="any",
        rules=[
            {"kind": "job_family", "values": "Social work"},
            {"kind": "contract_type", "values": "agency", "exclude": True},
        ],
    )
    assert client.post(url, data).status_code == 302
    social_workers.refresh_from_db()
    assert social_workers.name == "Social workers, not agency" and social_workers.match == "any"
    assert [r.exclude for r in social_workers.rules.all()] == [False, True]


def test_deleting_an_audience(client, cast, social_workers):
    client.force_login(cast.sysadmin)
    url = reverse("org:audience_delete", args=[social_workers.pk])
    assert "Delete the audience?" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not Audience.objects.filter(pk=social_workers.pk).exists()


@pytest.mark.parametrize("who", ["learner", "manager", "outsider", "adults_hr", "senior_leader"])
def test_no_one_else_opens_them(client, cast, social_workers, who):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("org:audience_list")).status_code == 403
    assert client.get(reverse("org:audience_detail", args=[social_workers.pk])).status_code == 403
    assert "Audiences" not in client.get(reverse("home")).content.decode()


def test_the_admin_shows_audiences_read_only(client, cast, social_workers):
    client.force_login(cast.sysadmin)
    assert client.get(reverse("admin:org_audience_changelist")).status_code == 200
    page = client.get(reverse("admin:org_audience_change", args=[social_workers.pk]))
    assert page.status_code == 200 and "Social work" in page.content.decode()
