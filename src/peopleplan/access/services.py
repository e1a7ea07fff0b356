"""Every write to users and their access. Keyword-only, in a transaction, writing the audit log."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from peopleplan.access.gates import forget_grants
from peopleplan.access.models import RoleGrant, User
from peopleplan.core.audit import audit_record
from peopleplan.org.models import Unit


class AccessError(ValueError):
    """A change the access rules refuse, with a message for the user."""


@transaction.atomic
def api_token_issue(*, user: User, reset: bool = False, actor: Any = None) -> Token:
    """The user's API token: the existing one, or a new one when there is none or `reset`
    asks for it (the old one stops working). The audit log records issuing, never the key."""
    if not user.is_active:
        raise AccessError(f"{user.email} is not an active user.")
    token = Token.objects.select_for_update().filter(user=user).first()
    if token is not None and not reset:
        return token
    if token is not None:
        token.delete()
    token = Token.objects.create(user=user)
    audit_record(
        actor=actor,
        action="update" if reset else "create",
        object_type="api_token",
        object_id=user.pk,
        object_label=user.email,
        summary="API token replaced" if reset else "API token issued",
    )
    return token


@transaction.atomic
def role_grant(*, user: User, role: str, unit: Unit | None = None, actor: Any = None) -> RoleGrant:
    """Give a user a role over a unit and everything under it, or over the whole council."""
    if role not in RoleGrant.Role.values:
        raise AccessError(f"{role!r} is not a role.")
    existing = RoleGrant.objects.filter(
        user=user, role=role, unit=unit, revoked_at__isnull=True
    ).first()
    if existing is not None:
        return existing
    grant = RoleGrant.objects.create(user=user, role=role, unit=unit, granted_by=actor)
    audit_record(
        actor=actor,
        action="grant",
        object_type="rolegrant",
        object_id=grant.pk,
        object_label=user.email,
        summary=f"{grant.get_role_display()} for {unit.name if unit else 'the whole council'}",
        after={"role": role, "unit": unit.code if unit else None},
    )
    forget_grants(user)
    return grant


@transaction.atomic
def role_revoke(*, grant: RoleGrant, actor: Any = None) -> RoleGrant:
    """End a grant. The row stays, with when it ended, so the history of access is kept."""
    grant = (
        RoleGrant.objects.select_for_update(of=("self",))
        .select_related("user", "unit")
        .get(pk=grant.pk)
    )
    if grant.revoked_at is not None:
        return grant
    grant.revoked_at = timezone.now()
    grant.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action="revoke",
        object_type="rolegrant",
        object_id=grant.pk,
        object_label=grant.user.email,
        summary=f"{grant.get_role_display()} for "
        f"{grant.unit.name if grant.unit_id else 'the whole council'} ended",
        before={"role": grant.role, "unit": grant.unit.code if grant.unit_id else None},
    )
    forget_grants(grant.user)
    return grant


USER_FIELDS = ("email", "full_name", "person", "is_active")


@transaction.atomic
def user_save(*, user: User, actor: Any = None) -> User:
    """Save a user added or changed in the admin, with the change in the audit log (which
    person a login belongs to decides what it sees)."""
    before = None
    if user.pk:
        old = User.objects.get(pk=user.pk)
        before = {f: _value(getattr(old, f)) for f in USER_FIELDS}
    user.email = user.email.strip().lower()
    user.save()
    after = {f: _value(getattr(user, f)) for f in USER_FIELDS}
    if before != after:
        audit_record(
            actor=actor,
            action="update" if before else "create",
            object_type="user",
            object_id=user.pk,
            object_label=user.email,
            before=before,
            after=after,
        )
    return user


def _value(value: Any) -> Any:
    return getattr(value, "employee_number", value)
