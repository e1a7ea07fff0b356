"""Workforce insight in the Django admin, for council-wide system administrators: the
recruitment routes can be added and renamed here; cohorts and their members come by the
`cohorts` import (audited), so they are read only here."""

from django.contrib import admin

from peopleplan.workforce.models import Cohort, CohortMember, ExitInterview, RecruitmentRoute


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RecruitmentRoute)
class RecruitmentRouteAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    search_fields = ("name", "code")


@admin.register(Cohort)
class CohortAdmin(ReadOnlyAdmin):
    list_display = ("name", "route")
    list_filter = ("route",)


@admin.register(CohortMember)
class CohortMemberAdmin(ReadOnlyAdmin):
    list_display = ("person", "cohort", "started_on")
    list_select_related = ("person", "cohort")


@admin.register(ExitInterview)
class ExitInterviewAdmin(ReadOnlyAdmin):
    list_display = ("person", "held_on")
    list_select_related = ("person",)
