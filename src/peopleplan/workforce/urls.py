from django.urls import path

from . import views

app_name = "workforce"

urlpatterns = [
    path("workforce/", views.dashboard_page, name="dashboard"),
    path("workforce/retention/", views.retention_page, name="retention"),
]
