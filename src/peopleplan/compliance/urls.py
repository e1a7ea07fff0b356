"""The pages of compliance, under /compliance/. Each part adds its own block."""

from django.urls import path

app_name = "compliance"

urlpatterns: list = []

# --- my compliance, a person's compliance, the team matrix

# --- summaries by unit, expiring soon, the leaders' overview, exports
from . import summary_views  # noqa: E402

urlpatterns += [
    path("compliance/summary/", summary_views.summary_page, name="summary"),
    path("compliance/summary/people/", summary_views.people_page, name="summary_people"),
    path("compliance/expiring/", summary_views.expiring_page, name="expiring"),
    path("compliance/overview/", summary_views.overview_page, name="overview"),
    path("compliance/export/", summary_views.full_export, name="full_export"),
]

# --- credentials, status checks, exemptions

# --- requirements, credential types, the demand forecast
