from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "peopleplan.demo"
    label = "demo"
    verbose_name = "Demo council"
