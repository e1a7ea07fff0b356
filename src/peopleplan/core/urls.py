from django.urls import path

from peopleplan.core import views

app_name = "core"

urlpatterns = [
    path("imports/", views.import_list, name="import_list"),
    path("audit/", views.audit, name="audit"),
]
