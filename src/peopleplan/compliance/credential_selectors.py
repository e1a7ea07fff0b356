"""Reads of credentials and exemptions for the pages and the API, always through the gates.

HR officers keep the credentials of the people their grant covers (`gates.
credential_keeper_people`): they read certificate numbers and evidence, record, change and
verify. A person sees and adds their own. Anyone else gets a 404, or a 403 from a page their
roles do not open at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from peopleplan.access import gates
from peopleplan.core.dates import today
from peopleplan.org.models import Person

from .models import Credential, Exemption, StatusCheck
from .services import credential_period

SOON_DAYS = 90  # a credential expiring within this many days is shown as expiring soon


def _pk(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def keeper_person(user, person_id) -> Person:
    """The person, if the user keeps their credentials: 403 for a user who keeps nobody's,
    404 for a person outside their grant (or themselves)."""
    gates.require(user, "compliance.credentials")
    person = gates.credential_keeper_people(user).filter(pk=_pk(person_id)).first()
    if person is None:
        raise Http404
    return person


def credentials_of(person_ids) -> QuerySet[Credential]:
    return (
        Credential.objects.filter(person_id__in=person_ids)
        .select_related("type", "person")
        .prefetch_related("checks")
        .order_by("person_id", "type__name", "-issued_on", "-id")
    )


def kept_credentials(user) -> QuerySet[Credential]:
    """Every credential of the people the user keeps."""
    return credentials_of(gates.credential_keeper_people(user).values("pk"))


def kept_credential(user, credential_id, person: Person | None = None) -> Credential:
    """A credential the user keeps (of `person`, when given), or a 404."""
    credentials = kept_credentials(user)
    if person is not None:
        credentials = credentials.filter(person=person)
    credential = credentials.filter(pk=_pk(credential_id)).first()
    if credential is None:
        raise Http404
    return credential


def own_credentials(user) -> QuerySet[Credential]:
    if not user.person_id:
        return Credential.objects.none()
    return credentials_of([user.person_id])


def verify_queue(user) -> QuerySet[Credential]:
    """Credentials people added themselves, waiting for the user (an HR officer over them)."""
    return (
        kept_credentials(user).filter(status=Credential.Status.PENDING).order_by("created_at", "id")
    )


def evidence_credential(user, credential_id) -> Credential:
    """A credential whose evidence the user may download: their own, or one they keep."""
    pk = _pk(credential_id)
    credential = Credential.objects.filter(pk=pk).first()
    if credential is None or not credential.evidence:
        raise Http404
    if user.person_id and credential.person_id == user.person_id:
        return credential
    if not gates.credential_keeper_people(user).filter(pk=credential.person_id).exists():
        raise Http404
    return credential


def may_see_evidence_of(user, person_id: int) -> bool:
    if user.person_id and user.person_id == person_id:
        return True
    return gates.credential_keeper_people(user).filter(pk=person_id).exists()


@dataclass(frozen=True)
class Shown:
    """A credential as a page shows it: valid until (its expiry or its re-check date), its
    state for the tag, and its latest Update Service check."""

    credential: Credential
    until: dt.date | None
    state: str  # valid, soon, expired, pending, rejected
    state_label: str
    last_check: StatusCheck | None

    @property
    def tag_class(self) -> str:
        return {
            "valid": "govuk-tag--green",
            "soon": "govuk-tag--yellow",
            "expired": "govuk-tag--red",
            "pending": "govuk-tag--blue",
            "rejected": "govuk-tag--grey",
        }[self.state]

    @property
    def until_is_recheck(self) -> bool:
        c = self.credential
        return c.expires_on is None or (self.until is not None and self.until != c.expires_on)


def shown(credential: Credential, on: dt.date | None = None) -> Shown:
    """Its checks prefetched (`credentials_of`): no query."""
    on = on or today()
    until = credential_period(credential).until
    checks = list(credential.checks.all())
    last = max(checks, key=lambda c: (c.checked_on, c.pk)) if checks else None
    if credential.status == Credential.Status.PENDING:
        state, label = "pending", "Waiting for verification"
    elif credential.status == Credential.Status.REJECTED:
        state, label = "rejected", "Not verified"
    elif until is not None and until < on:
        state, label = "expired", "Expired"
    elif until is not None and (until - on).days <= SOON_DAYS:
        state, label = "soon", "Expires soon"
    else:
        state, label = "valid", "Valid"
    return Shown(credential, until, state, label, last)


def exemptions_of(person: Person) -> QuerySet[Exemption]:
    return (
        Exemption.objects.filter(person=person)
        .select_related("requirement", "granted_by")
        .order_by("-starts_on", "-id")
    )


def kept_exemption(user, person: Person, exemption_id) -> Exemption:
    exemption = exemptions_of(person).filter(pk=_pk(exemption_id)).first()
    if exemption is None:
        raise Http404
    return exemption
