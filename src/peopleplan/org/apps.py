from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "peopleplan.org"
    label = "org"
    verbose_name = "Organisation and people"

    def ready(self) -> None:
        from peopleplan.org import imports  # noqa: F401  registers the HR import kinds
