"""The pages of compliance, under /compliance/. Each part adds its own block."""

from django.urls import path

app_name = "compliance"

urlpatterns: list = []

# --- my compliance, a person's compliance, the team matrix
from . import status_views  # noqa: E402

urlpatterns += [
    path("compliance/", status_views.mine, name="mine"),
    path("compliance/people/<str:person_id>/", status_views.person, name="person"),
    path("compliance/team/", status_views.team, name="team"),
    path("compliance/team/export/", status_views.team_export, name="team_export"),
]

# --- summaries by unit, expiring soon, the leaders' overview, exports

# --- credentials, status checks, exemptions

# --- requirements, credential types, the demand forecast
