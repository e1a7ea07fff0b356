from django.urls import path

from peopleplan.core import import_views, views

app_name = "core"

urlpatterns = [
    path("audit/", views.audit, name="audit"),
    path("imports/", import_views.import_list, name="import_list"),
]
