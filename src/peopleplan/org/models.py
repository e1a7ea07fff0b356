"""The organisation and its people: units, grades, job roles, posts, people, assignments, and
audiences (rules that pick people; evaluated in `org.audiences`).

Employment is effective-dated: an assignment runs from `start_date` to `end_date` (inclusive,
open-ended when empty), and a change of job is a new assignment from its date.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import models
from django.db.models import Q

PATH_SEPARATOR = "/"
# The character after "/" in ASCII: every path under "/1/5/" sorts below "/1/50".
_PATH_UPPER = chr(ord(PATH_SEPARATOR) + 1)


class UnitQuerySet(models.QuerySet):
    def subtree(self, unit: Unit) -> UnitQuerySet:
        """The unit and everything under it, in one indexed range query on `path`."""
        return self.filter(path__gte=unit.path, path__lt=unit.path[:-1] + _PATH_UPPER)


def subtree_q(field: str, paths: list[str]) -> Q:
    """A Q matching rows whose `field` (a unit path) lies under any of `paths`."""
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{field}__gte": path, f"{field}__lt": path[:-1] + _PATH_UPPER})
    return q


class Unit(models.Model):
    """A part of the organisation: directorate, division, service, team, or the council's word.

    `path` holds the ids from the top of the tree down ("/1/7/42/"), so everything under a unit
    is one range scan on an index. The range needs byte order: SQLite compares bytes, and on
    PostgreSQL the column has the "C" collation (migration 0002). Several top-level units may
    share one platform.
    """

    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    unit_type = models.CharField(max_length=60, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=1000, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    cost_centre = models.CharField(max_length=40, blank=True)
    is_active = models.BooleanField(default=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def is_under(self, other: Unit) -> bool:
        return self.path.startswith(other.path)

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip(PATH_SEPARATOR).split(PATH_SEPARATOR) if part]


class UnitMove(models.Model):
    """The history of a unit's place in the tree: one row per move, never edited."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="moves")
    from_parent = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_parent = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    moved_on = models.DateField()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit", "moved_on", "id"]

    def __str__(self) -> str:
        return f"{self.unit} moved on {self.moved_on}"


class Grade(models.Model):
    """An ordered pay band: a higher rank is a more senior grade."""

    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    rank = models.IntegerField()

    class Meta:
        ordering = ["rank", "code"]

    def __str__(self) -> str:
        return self.name


class JobRole(models.Model):
    class DbsLevel(models.TextChoices):
        NONE = "none", "None"
        BASIC = "basic", "Basic"
        STANDARD = "standard", "Standard"
        ENHANCED = "enhanced", "Enhanced"
        ENHANCED_BARRED = "enhanced_barred", "Enhanced with barred lists"

    code = models.CharField(max_length=40, unique=True)
    title = models.CharField(max_length=200)
    job_family = models.CharField(max_length=100, blank=True, db_index=True)
    registration_body = models.CharField(max_length=100, blank=True)
    dbs_level = models.CharField(max_length=20, choices=DbsLevel.choices, default=DbsLevel.NONE)
    works_with_children = models.BooleanField(default=False)
    works_with_adults = models.BooleanField(default=False)
    manages_people = models.BooleanField(default=False)

    class Meta:
        ordering = ["title", "code"]

    def __str__(self) -> str:
        return self.title


class Post(models.Model):
    """A post in the establishment. With no holder on a date it is a vacancy on that date."""

    post_number = models.CharField(max_length=40, unique=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="posts")
    job_role = models.ForeignKey(JobRole, on_delete=models.PROTECT, related_name="posts")
    grade = models.ForeignKey(
        Grade, null=True, blank=True, on_delete=models.PROTECT, related_name="posts"
    )
    fte = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("1.00"))
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    is_critical = models.BooleanField(default=False)

    class Meta:
        ordering = ["post_number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="org_post_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(fte__gt=0) & Q(fte__lte=Decimal("1.5")), name="org_post_fte_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.post_number} {self.job_role}"


class Person(models.Model):
    class LeavingReason(models.TextChoices):
        RESIGNATION = "resignation", "Resignation"
        RETIREMENT = "retirement", "Retirement"
        END_OF_CONTRACT = "end_of_contract", "End of contract"
        DISMISSAL = "dismissal", "Dismissal"
        REDUNDANCY = "redundancy", "Redundancy"
        TRANSFER_OUT = "transfer_out", "Transfer out"
        DEATH_IN_SERVICE = "death_in_service", "Death in service"
        OTHER = "other", "Other"

    employee_number = models.CharField(max_length=40, unique=True)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(blank=True, db_index=True)
    service_start = models.DateField(null=True, blank=True, help_text="Continuous service date")
    leaving_date = models.DateField(null=True, blank=True)
    leaving_reason = models.CharField(
        max_length=30, choices=LeavingReason.choices, blank=True, default=""
    )

    class Meta:
        ordering = ["last_name", "first_name", "employee_number"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


def current_q(on: dt.date, prefix: str = "") -> Q:
    """A Q matching assignments current on the date (`prefix` reaches them through a relation,
    for example "assignments__")."""
    return Q(**{f"{prefix}start_date__lte": on}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": on})
    )


class AssignmentQuerySet(models.QuerySet):
    def current_on(self, on: dt.date) -> AssignmentQuerySet:
        return self.filter(current_q(on))


class Assignment(models.Model):
    """A person's job from a date: the unit (and post), role, grade, contract, FTE, manager."""

    class ContractType(models.TextChoices):
        PERMANENT = "permanent", "Permanent"
        FIXED_TERM = "fixed_term", "Fixed-term"
        TEMPORARY = "temporary", "Temporary"
        CASUAL = "casual", "Casual"
        APPRENTICE = "apprentice", "Apprentice"
        AGENCY = "agency", "Agency"
        EXTERNAL = "external", "External"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="assignments")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    contract_type = models.CharField(max_length=20, choices=ContractType.choices)
    fte = models.DecimalField(max_digits=4, decimal_places=2)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="assignments")
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.PROTECT, related_name="assignments"
    )
    job_role = models.ForeignKey(JobRole, on_delete=models.PROTECT, related_name="assignments")
    grade = models.ForeignKey(
        Grade, null=True, blank=True, on_delete=models.PROTECT, related_name="assignments"
    )
    line_manager = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="managed_assignments"
    )
    is_primary = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["person", "-start_date", "-id"]
        indexes = [
            models.Index(fields=["person", "start_date"], name="org_assignment_person_start"),
            models.Index(fields=["line_manager", "end_date"], name="org_assignment_manager"),
            models.Index(fields=["unit", "end_date"], name="org_assignment_unit"),
            models.Index(fields=["post", "end_date"], name="org_assignment_post"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="org_assignment_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(fte__gte=0) & Q(fte__lte=Decimal("1.5")),
                name="org_assignment_fte_range",
            ),
            models.CheckConstraint(
                condition=~Q(line_manager=models.F("person")),
                name="org_assignment_not_own_manager",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} as {self.job_role} from {self.start_date}"

    def is_current_on(self, on: dt.date) -> bool:
        return self.start_date <= on and (self.end_date is None or self.end_date >= on)

    @property
    def is_agency(self) -> bool:
        return self.contract_type == self.ContractType.AGENCY


class EqualityRecord(models.Model):
    """Equality monitoring data, kept apart and shown only to HR users granted it."""

    class Sex(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        PREFER_NOT = "prefer_not_to_say", "Prefer not to say"

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="equality")
    sex = models.CharField(max_length=30, choices=Sex.choices, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    ethnicity = models.CharField(max_length=100, blank=True)
    disability = models.CharField(max_length=60, blank=True)
    religion = models.CharField(max_length=100, blank=True)
    sexual_orientation = models.CharField(max_length=60, blank=True)

    def __str__(self) -> str:
        return f"Equality data for {self.person_id}"


class Absence(models.Model):
    """A spell of sickness absence, from HR's absence records: its first and last day (empty
    while it goes on), the working days lost as HR's system counts them on the person's
    working pattern (part days allowed), and the reason's category as the council codes it.
    Health data: read and exported only by HR (the `people.import` capability)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="absences")
    first_day = models.DateField()
    last_day = models.DateField(null=True, blank=True)  # empty: still absent
    working_days_lost = models.DecimalField(max_digits=6, decimal_places=1)
    reason = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["person", "first_day"]
        indexes = [models.Index(fields=["first_day"], name="org_absence_first_day")]
        constraints = [
            models.UniqueConstraint(fields=["person", "first_day"], name="org_absence_one_a_day"),
            models.CheckConstraint(
                condition=Q(last_day__isnull=True) | Q(last_day__gte=models.F("first_day")),
                name="org_absence_last_after_first",
            ),
            models.CheckConstraint(
                condition=Q(working_days_lost__gte=0), name="org_absence_days_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} absent from {self.first_day}"


class PayRecord(models.Model):
    """A person's pay at a gender pay gap snapshot date (31 March for public authorities), as
    payroll works it out for the Equality Act 2010 (Specific Duties and Public Authorities)
    Regulations 2017: the hourly rate of ordinary pay in the pay period that includes the
    snapshot, the bonus paid in the 12 months to it, and whether they were on full pay (not
    paid less than usual because of leave). Personal data: it comes in and goes out only by
    the people import and export, and is read only by the gender pay gap
    (`workforce.paygap`)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="pay_records")
    snapshot_on = models.DateField()
    hourly_pay = models.DecimalField(max_digits=8, decimal_places=4)
    bonus_pay = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0.00"))
    full_pay = models.BooleanField(default=True)

    class Meta:
        ordering = ["person", "snapshot_on"]
        indexes = [models.Index(fields=["snapshot_on"], name="org_payrecord_snapshot")]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "snapshot_on"], name="org_payrecord_one_a_snapshot"
            ),
            models.CheckConstraint(
                condition=Q(hourly_pay__gte=0), name="org_payrecord_hourly_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(bonus_pay__gte=0), name="org_payrecord_bonus_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"Pay of {self.person_id} on {self.snapshot_on}"


class Caseload(models.Model):
    """How many open cases a person held on a day (a count from the case management system,
    usually taken on 30 September as the national statistics take it)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="caseloads")
    on = models.DateField()
    cases = models.PositiveIntegerField()

    class Meta:
        ordering = ["person", "on"]
        indexes = [models.Index(fields=["on"], name="org_caseload_on")]
        constraints = [
            models.UniqueConstraint(fields=["person", "on"], name="org_caseload_one_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.cases} cases on {self.on}"


class Audience(models.Model):
    """A named set of rules that picks people: "Social workers", "Managers", "Works with
    children". Who is in is worked out from the assignments on a date (`org.audiences`), never
    stored, so it follows people as they join, move and leave. Compliance requirements apply to
    an audience; the waiting list and Find learning use them too."""

    class Match(models.TextChoices):
        ALL = "all", "All of the rules"
        ANY = "any", "Any of the rules"

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    match = models.CharField(max_length=3, choices=Match.choices, default=Match.ALL)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "code"]

    def __str__(self) -> str:
        return self.name


class AudienceRule(models.Model):
    """One rule of an audience, tested against an assignment (a person's job on a date).
    `values` holds codes (job roles, units, a grade, contract types, flags) or job family
    names; `number` the months of a length-of-service rule. An excluding rule always takes
    people out, whatever the audience's `match`."""

    class Kind(models.TextChoices):
        JOB_ROLE = "job_role", "Job role"
        JOB_FAMILY = "job_family", "Job family"
        GRADE_AT_LEAST = "grade_at_least", "Grade at least"
        UNIT = "unit", "Unit, with everything under it"
        CONTRACT_TYPE = "contract_type", "Contract type"
        ROLE_FLAG = "role_flag", "Job role flag"
        LINE_MANAGER = "line_manager", "Line manages someone"
        SERVICE_AT_LEAST = "service_at_least", "Length of service at least"

    class Flag(models.TextChoices):
        WORKS_WITH_CHILDREN = "works_with_children", "Works with children"
        WORKS_WITH_ADULTS = "works_with_adults", "Works with adults"
        MANAGES_PEOPLE = "manages_people", "Manages people"
        REGISTERED = "registered", "Professionally registered"
        DBS_ENHANCED = "dbs_enhanced", "Enhanced DBS check"

    audience = models.ForeignKey(Audience, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    values = models.JSONField(default=list, blank=True)
    number = models.IntegerField(null=True, blank=True)
    exclude = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["audience", "position", "id"]

    def __str__(self) -> str:
        return f"{'Not ' if self.exclude else ''}{self.get_kind_display()}: {self.values}"
