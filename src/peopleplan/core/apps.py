from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "peopleplan.core"
    label = "core"
    verbose_name = "Core"
