from django.urls import reverse

from peopleplan.access import gates, services
from peopleplan.core.models import AuditEntry


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
