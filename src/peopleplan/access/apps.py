from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "peopleplan.access"
    label = "access"
    verbose_name = "Access"

    def ready(self) -> None:
        from django.contrib import admin

        from peopleplan.access.gates import admin_site_has_permission

        # The Django admin is for system administrators only, decided by the access gates.
        admin.site.has_permission = admin_site_has_permission  # type: ignore[method-assign]
