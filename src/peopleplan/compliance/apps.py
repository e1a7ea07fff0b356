from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "peopleplan.compliance"
    label = "compliance"
    verbose_name = "Compliance"

    def ready(self) -> None:
        from peopleplan.compliance import imports, services, status  # noqa: F401  (imports: the credentials kind)
        from peopleplan.learning import hooks

        # Completions from registers and imports rebuild those people's achievements.
        hooks.on_completions_changed(services.refresh_people)
        # Find learning's "mandatory for me" and the waiting list's priority.
        hooks.answer_mandatory_items(status.mandatory_items)
