from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "peopleplan.workforce"
    label = "workforce"
    verbose_name = "Workforce insight"

    def ready(self) -> None:
        from peopleplan.workforce import (  # noqa: F401  (the cohorts and exit_interviews kinds)
            cohort_import,
            imports,
        )
