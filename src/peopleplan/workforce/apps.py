from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "peopleplan.workforce"
    label = "workforce"
    verbose_name = "Workforce insight"
