from django.urls import reverse

from peopleplan.access import gates, services
from peopleplan.access.models import User
from peopleplan.core.models import AuditEntry
from tests.factories import PersonFactory


def test_grant_and_revoke_are_audited_and_take_effect(cast):
    user = cast.learner
    assert not gates.can(user, "people.import")
    grant = services.role_grant(user=user, role="hr_officer", actor=cast.sysadmin)
    assert gates.can(user, "people.import")
    assert services.role_grant(user=user, role="hr_officer", actor=cast.sysadmin) == grant
    services.role_revoke(grant=grant, actor=cast.sysadmin)
    gates.forget_grants(user)  # grants are read once per request: this is a new one
    assert not gates.can(user, "people.import")
    grant.refresh_from_db()
    assert grant.revoked_at is not None  # kept, with when it ended
    actions = list(
        AuditEntry.objects.filter(object_type="rolegrant").values_list("action", flat=True)
    )
    assert sorted(actions) == ["grant", "revoke"]


def test_admin_is_for_system_administrators_only(client, cast):
    for name, user in cast.users().items():
        client.force_login(user)
        response = client.get(reverse("admin:index"))
        if name == "sysadmin":
            assert response.status_code == 200, name
        else:
            assert response.status_code == 302 and "/admin/login/" in response["Location"], name


def test_system_administrator_grants_a_role_in_the_admin(client, cast):
    client.force_login(cast.sysadmin)
    response = client.post(
        reverse("admin:access_rolegrant_add"),
        {"user": cast.learner.pk, "role": "ld_admin", "unit": cast.adults.pk},
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(object_type="rolegrant", action="grant")
    assert entry.actor == cast.sysadmin and "L&D administrator for Adults" in entry.summary


def test_changing_a_users_person_in_the_admin_is_audited(client, cast):
    other = PersonFactory()
    client.force_login(cast.sysadmin)
    url = reverse("admin:access_user_change", args=[cast.outsider.pk])
    response = client.post(
        url,
        {
            "email": cast.outsider.email,
            "full_name": "",
            "person": other.pk,
            "is_active": "on",
            "grants-TOTAL_FORMS": "0",
            "grants-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(object_type="user", action="update")
    assert entry.before["person"] == cast.outsider.person.employee_number
    assert entry.after["person"] == other.employee_number


def test_createsuperuser_grant_is_audited(db):
    User.objects.create_superuser("it@council.example", "a long password 123")
    assert AuditEntry.objects.filter(object_type="rolegrant", action="grant").exists()
