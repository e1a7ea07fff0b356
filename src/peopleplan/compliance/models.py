"""Mandatory training, certifications and checks.

A requirement says what is needed (a learning item, or any of its equivalents; or a credential
of a type), who needs it (an audience, worked out from the data as of a date) and how long it
lasts (`rules.Rule`). A person's status is never stored: it is computed as of a date from their
completions and credentials (through `Achievement`, the periods `rules.periods` gives them),
the audience and any exemption (`status.py`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from peopleplan.learning.models import Completion, LearningItem
from peopleplan.org.models import Audience, JobRole, Person

from . import rules


class CredentialType(models.Model):
    """A kind of credential: a DBS check, a professional registration, another certificate."""

    class Kind(models.TextChoices):
        DBS = "dbs", "DBS check"
        REGISTRATION = "registration", "Professional registration"
        CERTIFICATE = "certificate", "Certificate"

    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    body = models.CharField(
        max_length=200, blank=True, help_text="Who issues it: Social Work England, the DBS"
    )
    recheck_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Re-check by policy after this many months when it has no expiry date of "
        "its own (three years for a DBS check); empty: it does not lapse",
    )
    expiry_required = models.BooleanField(
        default=False, help_text="Each one must carry its own expiry date (a registration)"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def credential_evidence_path(credential: Credential, filename: str) -> str:
    return f"compliance/evidence/{credential.person_id}/{filename}"


class Credential(models.Model):
    """One credential a person holds. HR record them (verified); a person can add their own
    with evidence, which counts once HR have verified it."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for verification"
        VERIFIED = "verified", "Verified"
        REJECTED = "rejected", "Not verified"

    class Workforce(models.TextChoices):
        CHILD = "child", "Child workforce"
        ADULT = "adult", "Adult workforce"
        CHILD_AND_ADULT = "child_and_adult", "Child and adult workforce"
        OTHER = "other", "Other workforce"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="credentials")
    type = models.ForeignKey(CredentialType, on_delete=models.PROTECT, related_name="credentials")
    number = models.CharField(
        max_length=100, blank=True, help_text="Certificate or registration number"
    )
    issued_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    # A DBS check: its level and workforce, and the Update Service subscription.
    dbs_level = models.CharField(
        max_length=20,
        blank=True,
        choices=[c for c in JobRole.DbsLevel.choices if c[0] != JobRole.DbsLevel.NONE],
    )
    workforce = models.CharField(max_length=20, blank=True, choices=Workforce.choices)
    update_service = models.BooleanField(
        default=False, help_text="Subscribed to the DBS Update Service"
    )
    update_service_renews_on = models.DateField(
        null=True, blank=True, help_text="When the yearly Update Service subscription renews"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.VERIFIED)
    rejected_reason = models.TextField(blank=True)
    evidence = models.FileField(upload_to=credential_evidence_path, blank=True, max_length=255)
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["person", "-issued_on", "-id"]
        indexes = [
            models.Index(fields=["person", "type"], name="compliance_credential_person"),
            models.Index(fields=["status"], name="compliance_credential_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=models.F("issued_on")),
                name="compliance_credential_expires_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.type} of {self.person}"


class StatusCheck(models.Model):
    """A status check of a DBS certificate on the Update Service: clear (no new information),
    which restarts the re-check period, or new information, which ends it for HR to review."""

    class Result(models.TextChoices):
        CLEAR = "clear", "No new information"
        CHANGED = "changed", "New information"

    credential = models.ForeignKey(Credential, on_delete=models.CASCADE, related_name="checks")
    checked_on = models.DateField()
    result = models.CharField(max_length=20, choices=Result.choices)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["credential", "-checked_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_result_display()} on {self.checked_on}"


class Requirement(models.Model):
    """What an audience must hold, and for how long."""

    class RenewFrom(models.TextChoices):
        EXPIRY = "expiry", "The old expiry date, when renewed inside the window"
        COMPLETION = "completion", "The completion date"

    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    audience = models.ForeignKey(Audience, on_delete=models.PROTECT, related_name="requirements")
    items = models.ManyToManyField(
        LearningItem,
        blank=True,
        related_name="requirements",
        help_text="Completing any one of these meets it (equivalents count)",
    )
    credential_type = models.ForeignKey(
        CredentialType,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requirements",
        help_text="Or: holding a valid credential of this type meets it",
    )
    validity_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="How long a completion lasts; empty: once only"
    )
    window_days = models.PositiveSmallIntegerField(
        default=90, help_text="The renewal window opens this many days before the expiry"
    )
    renew_from = models.CharField(
        max_length=20, choices=RenewFrom.choices, default=RenewFrom.EXPIRY
    )
    grace_days = models.PositiveSmallIntegerField(
        default=90, help_text="New starters and movers have this many days to meet it"
    )
    applies_from = models.DateField(
        null=True,
        blank=True,
        help_text="When it was introduced: nobody is due before this date plus the grace period",
    )
    escalate_after_days = models.PositiveSmallIntegerField(
        default=28,
        help_text="Still overdue this many days after it was due: the manager's manager is told",
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def rule(self) -> rules.Rule:
        return rules.Rule(
            validity_months=self.validity_months,
            window_days=self.window_days,
            renew_from_expiry=self.renew_from == self.RenewFrom.EXPIRY,
            grace_days=self.grace_days,
            applies_from=self.applies_from,
        )


class Exemption(models.Model):
    """HR excuse a person from a requirement, with a reason, for a time."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="exemptions")
    requirement = models.ForeignKey(
        Requirement, on_delete=models.CASCADE, related_name="exemptions"
    )
    reason = models.TextField()
    starts_on = models.DateField()
    ends_on = models.DateField()
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person", "-starts_on"]
        indexes = [
            models.Index(fields=["requirement", "person"], name="compliance_exemption_req"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="compliance_exemption_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} exempt from {self.requirement} to {self.ends_on}"


class Achievement(models.Model):
    """A period in which a person met a requirement, from one completion or credential, with
    the expiry `rules.periods` gave it. Derived, never edited: `achievements_refresh` rebuilds
    a person's whenever their completions or credentials, or the requirement, change.

    Each row also carries what the person held from that day until the next achievement
    (`held_until`: the latest expiry of this and every earlier one; empty: for ever), and that
    next achievement's day (`superseded_on`). So the one row in force on a date (`achieved_on`
    <= date < `superseded_on`) answers what they held, and the database joins it for
    thousands of people at once (`status.py`)."""

    requirement = models.ForeignKey(
        Requirement, on_delete=models.CASCADE, related_name="achievements"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="achievements")
    achieved_on = models.DateField()
    valid_until = models.DateField(null=True, blank=True)  # empty: for ever
    renewed_from = models.DateField(null=True, blank=True)
    held_until = models.DateField(null=True, blank=True)  # empty: for ever
    superseded_on = models.DateField(null=True, blank=True)  # empty: the latest
    completion = models.ForeignKey(
        Completion, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    credential = models.ForeignKey(
        Credential, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    label = models.CharField(max_length=200)

    class Meta:
        ordering = ["requirement", "person", "achieved_on"]
        indexes = [
            models.Index(
                fields=["requirement", "person", "achieved_on"], name="compliance_achievement_req"
            ),
            models.Index(fields=["person"], name="compliance_achievement_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.requirement} from {self.achieved_on}"

    @property
    def period(self) -> rules.Period:
        return rules.Period(
            on=self.achieved_on,
            until=self.valid_until,
            label=self.label,
            renewed_from=self.renewed_from,
            credential=self.credential_id is not None,
        )
