from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "peopleplan.learning"
    label = "learning"
    verbose_name = "Learning"

    def ready(self) -> None:
        from peopleplan.learning import imports  # noqa: F401  registers the completions kind
