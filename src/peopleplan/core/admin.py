from django.contrib import admin

from peopleplan.core.models import AuditEntry, ImportRun


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Append-only: it can be read, never added to, changed or deleted by hand."""

    list_display = ("at", "actor_label", "action", "object_type", "object_label", "summary")
    list_filter = ("action", "object_type")
    search_fields = ("object_label", "summary", "actor_label")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ("created_at", "kind", "file_name", "status", "rows_total")
    list_filter = ("kind", "status")
    exclude = ("rejected_csv", "problems", "changes")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
