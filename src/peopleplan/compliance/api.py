"""The compliance API, under /api/compliance/. Each part registers its own viewsets below."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()

# --- statuses: mine, a person's, a team's

# --- summaries, expiring, exports

# --- credentials, status checks, exemptions

# --- requirements, credential types, the demand forecast

urlpatterns = router.urls
