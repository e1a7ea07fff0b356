"""The organisation in the Django admin, for system administrators to look up and correct
reference data. People and their jobs change through the HR import, and audiences through
their pages (which check their rules), so they are read-only here."""

from django.contrib import admin

from peopleplan.org.models import (
    Assignment,
    Audience,
    AudienceRule,
    Grade,
    JobRole,
    Person,
    Post,
    Unit,
    UnitMove,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "unit_type", "parent", "cost_centre", "is_active")
    search_fields = ("code", "name")
    list_filter = ("unit_type", "depth")


@admin.register(UnitMove)
class UnitMoveAdmin(ReadOnlyAdmin):
    list_display = ("unit", "from_parent", "to_parent", "moved_on")


@admin.register(Grade)
class GradeAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "rank")


@admin.register(JobRole)
class JobRoleAdmin(ReadOnlyAdmin):
    list_display = ("code", "title", "job_family", "registration_body", "dbs_level")
    search_fields = ("code", "title")
    list_filter = ("job_family", "dbs_level", "works_with_children", "manages_people")


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin):
    list_display = ("post_number", "unit", "job_role", "grade", "fte", "start_date", "end_date")
    search_fields = ("post_number",)
    list_select_related = ("unit", "job_role", "grade")


class AssignmentInline(admin.TabularInline):
    model = Assignment
    fk_name = "person"
    extra = 0
    fields = (
        "start_date",
        "end_date",
        "unit",
        "job_role",
        "grade",
        "contract_type",
        "fte",
        "line_manager",
        "is_primary",
    )
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ("employee_number", "first_name", "last_name", "email", "leaving_date")
    search_fields = ("employee_number", "first_name", "last_name", "email")
    inlines = [AssignmentInline]


class AudienceRuleInline(admin.TabularInline):
    model = AudienceRule
    extra = 0
    fields = ("position", "kind", "values", "number", "exclude")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Audience)
class AudienceAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "match", "updated_at")
    search_fields = ("code", "name")
    inlines = [AudienceRuleInline]
