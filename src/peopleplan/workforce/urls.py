from django.urls import path

from . import views

app_name = "workforce"

urlpatterns = [
    path("workforce/", views.dashboard_page, name="dashboard"),
    path("workforce/retention/", views.retention_page, name="retention"),
    path("workforce/pay-gap/", views.pay_gap_page, name="pay_gap"),
    path("workforce/equality/", views.equality_page, name="equality"),
    path(
        "workforce/equality/comparison/",
        views.equality_comparison_page,
        name="equality_comparison",
    ),
]
