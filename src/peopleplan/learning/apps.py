from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "peopleplan.learning"
    label = "learning"
    verbose_name = "Learning"
