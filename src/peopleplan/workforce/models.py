"""Workforce insight: what the capacity measures need besides the organisation's own data
(people, assignments, posts, absences and caseloads live in `org`)."""

from __future__ import annotations

from django.db import models

from peopleplan.org.models import Person


class ExitInterview(models.Model):
    """What a leaver said on leaving: the reasons, coded, and their comments."""

    class Reason(models.TextChoices):
        PAY = "pay", "Pay and benefits"
        WORKLOAD = "workload", "Workload and caseload"
        MANAGEMENT = "management", "Management and support"
        PROGRESSION = "progression", "Career progression"
        FLEXIBILITY = "flexibility", "Flexible working"
        WELLBEING = "wellbeing", "Stress and wellbeing"
        CULTURE = "culture", "Culture and values"
        TRAVEL = "travel", "Travel and location"
        RELOCATION = "relocation", "Moving away"
        FAMILY = "family", "Family and caring"
        RETIREMENT = "retirement", "Retirement"
        AGENCY = "agency", "Leaving for agency work"
        OTHER_COUNCIL = "other_council", "Job at another council"
        OTHER = "other", "Other"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="exit_interviews")
    held_on = models.DateField()
    reasons = models.JSONField(default=list, blank=True)  # Reason values, most important first
    comments = models.TextField(blank=True)

    class Meta:
        ordering = ["person", "held_on"]
        indexes = [models.Index(fields=["held_on"], name="workforce_exit_held_on")]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "held_on"], name="workforce_exitinterview_one_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"Exit interview of {self.person} on {self.held_on}"


class RecruitmentRoute(models.Model):
    """A way into the council's workforce: the graduate academy, Frontline, Step Up to Social
    Work, an apprenticeship, international recruitment, agency to permanent, or the council's
    own scheme."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Cohort(models.Model):
    """An intake by a route (for example "Step Up 2024"), with its people."""

    route = models.ForeignKey(RecruitmentRoute, on_delete=models.PROTECT, related_name="cohorts")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["route", "name"]
        constraints = [
            models.UniqueConstraint(fields=["route", "name"], name="workforce_cohort_one_name"),
        ]

    def __str__(self) -> str:
        return f"{self.route}: {self.name}"


class CohortMember(models.Model):
    """A person in a cohort, and the day they started by its route."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="cohorts")
    started_on = models.DateField()

    class Meta:
        ordering = ["cohort", "started_on"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "person"], name="workforce_cohort_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.cohort}"


class ComparisonPopulation(models.Model):
    """The population the council sets its workforce beside in the equality figures (its
    census figures: say, the city's residents aged 16 to 64), as each group's share in per
    cent. The council holds one; HR equality viewers with a council-wide grant enter it."""

    name = models.CharField(max_length=200)
    source = models.CharField(max_length=300, blank=True)  # where the figures come from
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name


class ComparisonShare(models.Model):
    """One group's share of the comparison population, in per cent: the groups of a dimension
    are those of `workforce.equality.GROUPS` (never "Not known": the census has none)."""

    class Dimension(models.TextChoices):
        SEX = "sex", "Sex"
        ETHNICITY = "ethnicity", "Ethnic group"
        DISABILITY = "disability", "Disability"
        AGE = "age", "Age"

    population = models.ForeignKey(
        ComparisonPopulation, on_delete=models.CASCADE, related_name="shares"
    )
    dimension = models.CharField(max_length=20, choices=Dimension.choices)
    group = models.CharField(max_length=60)
    percent = models.DecimalField(max_digits=4, decimal_places=1)

    class Meta:
        ordering = ["population", "dimension", "group"]
        constraints = [
            models.UniqueConstraint(
                fields=["population", "dimension", "group"], name="workforce_comparison_once"
            ),
            models.CheckConstraint(
                condition=models.Q(percent__gte=0) & models.Q(percent__lte=100),
                name="workforce_comparison_percent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.population}: {self.group} {self.percent}%"
