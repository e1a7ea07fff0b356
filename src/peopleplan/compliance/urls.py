"""The pages of compliance, under /compliance/. Each part adds its own block."""

from django.urls import path  # noqa: F401  (used by the blocks below)

app_name = "compliance"

urlpatterns: list = []

# --- my compliance, a person's compliance, the team matrix

# --- summaries by unit, expiring soon, the leaders' overview, exports

# --- credentials, status checks, exemptions

# --- requirements, credential types, the demand forecast
