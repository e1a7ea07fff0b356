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
