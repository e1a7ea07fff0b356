from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "peopleplan.workforce"
    label = "workforce"
    verbose_name = "Workforce insight"

    def ready(self) -> None:
        from peopleplan.workforce import imports  # noqa: F401  (the exit_interviews kind)
