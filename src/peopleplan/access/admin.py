"""The Django admin for system administrators (the gates decide who that is). Role grants go
through the access services, so every grant and revocation is in the audit log."""

from django.contrib import admin
from django.contrib.auth.models import Group

from peopleplan.access import services
from peopleplan.access.models import RoleGrant, User

# Access is by role grants, not Django's groups and permissions.
admin.site.unregister(Group)


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    fk_name = "user"
    extra = 0
    fields = ("role", "unit", "granted_at", "granted_by", "revoked_at")
    readonly_fields = ("granted_at", "granted_by", "revoked_at")
    autocomplete_fields = ("unit",)
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ("email", "full_name", "person", "is_active", "last_login")
    search_fields = ("email", "full_name", "person__employee_number", "person__last_name")
    list_filter = ("is_active",)
    fields = ("email", "full_name", "person", "is_active", "last_login", "date_joined")
    readonly_fields = ("last_login", "date_joined")
    raw_id_fields = ("person",)
    inlines = [RoleGrantInline]

    def save_model(self, request, obj, form, change):
        services.user_save(user=obj, actor=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is not RoleGrant:
            return super().save_formset(request, form, formset, change)
        for grant in formset.save(commit=False):
            services.role_grant(
                user=form.instance, role=grant.role, unit=grant.unit, actor=request.user
            )
        return None


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "unit", "granted_at", "revoked_at")
    list_filter = ("role", "revoked_at")
    search_fields = ("user__email",)
    autocomplete_fields = ("unit",)
    raw_id_fields = ("user",)
    actions = ["revoke"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        granted = services.role_grant(
            user=obj.user, role=obj.role, unit=obj.unit, actor=request.user
        )
        obj.pk = granted.pk

    @admin.action(description="End the selected role grants")
    def revoke(self, request, queryset):
        for grant in queryset.filter(revoked_at__isnull=True):
            services.role_revoke(grant=grant, actor=request.user)
