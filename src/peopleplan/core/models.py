"""The shared kernel's tables: the append-only audit log and import runs."""

from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    """One change to personal data, one import, one role grant, one export.

    Rows are only ever added: `audit_record` is the one writer, and neither this model nor any
    service updates or deletes a row.
    """

    class Action(models.TextChoices):
        CREATE = "create", "Created"
        UPDATE = "update", "Changed"
        END = "end", "Ended"
        DELETE = "delete", "Deleted"
        IMPORT = "import", "Imported"
        EXPORT = "export", "Exported"
        GRANT = "grant", "Role granted"
        REVOKE = "revoke", "Role revoked"
        LOGIN = "login", "Logged in"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=60, blank=True)
    object_label = models.CharField(max_length=200, blank=True)
    summary = models.CharField(max_length=500, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="core_auditentry_object"),
        ]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_label}"


class ImportRun(models.Model):
    """One file handed to the upload page: checked (a dry run) for a preview, then applied.

    The file is kept so that applying reads exactly what was previewed; applying checks it again
    against the data as it is then, so nothing stale is applied.
    """

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting"
        CHECKING = "checking", "Checking"
        CHECKED = "checked", "Ready to apply"
        FAILED = "failed", "Has problems"
        APPLYING = "applying", "Applying"
        APPLIED = "applied", "Applied"
        DISCARDED = "discarded", "Discarded"
        BROKEN = "broken", "Could not be read"

    RUNNING = (Status.WAITING, Status.CHECKING, Status.APPLYING)

    kind = models.CharField(max_length=40)
    file_name = models.CharField(max_length=255)
    file = models.FileField(upload_to="imports/%Y/%m/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    applied_at = models.DateTimeField(null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    skip_invalid = models.BooleanField(default=False)
    # Whether the equality monitoring columns are read: decided by the access gates for the
    # user who uploads, and again for the user who applies.
    special_category = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.WAITING)
    stage = models.CharField(max_length=40, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)
    problems = models.JSONField(default=list, blank=True)
    changes = models.JSONField(default=list, blank=True)
    message = models.TextField(blank=True)
    rejected_csv = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} import of {self.file_name}"

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def percent_done(self) -> int:
        if not self.rows_total:
            return 0
        return min(100, round(100 * self.rows_done / self.rows_total))


class SentMessage(models.Model):
    """A message sent once for a reason (a reminder, a digest): its key makes a scheduled
    command that runs twice send it only once."""

    key = models.CharField(max_length=200, unique=True)
    to = models.CharField(max_length=254)
    subject = models.CharField(max_length=300)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.key} to {self.to}"
