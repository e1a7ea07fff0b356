"""The compliance API, under /api/compliance/. Each part registers its own viewsets below."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()

# --- statuses: mine, a person's, a team's
from .status_api import PersonStatusViewSet, StatusViewSet  # noqa: E402

router.register(
    "compliance/statuses/people", PersonStatusViewSet, basename="compliance-status-person"
)
router.register("compliance/statuses", StatusViewSet, basename="compliance-status")

# --- summaries, expiring, exports

# --- credentials, status checks, exemptions

# --- requirements, credential types, the demand forecast

urlpatterns = router.urls
