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
from . import summary_api  # noqa: E402

router.register(
    "compliance/summary/people", summary_api.SummaryPeopleViewSet, "compliance-summary-people"
)
router.register("compliance/summary", summary_api.SummaryViewSet, "compliance-summary")
router.register("compliance/expiring", summary_api.ExpiringViewSet, "compliance-expiring")
router.register("compliance/overview", summary_api.OverviewViewSet, "compliance-overview")

# --- credentials, status checks, exemptions
from peopleplan.compliance import credential_api  # noqa: E402

credential_api.register(router)

# --- requirements, credential types, the demand forecast
from peopleplan.compliance import requirement_api  # noqa: E402

router.register(
    "compliance/requirements", requirement_api.RequirementViewSet, basename="compliance-requirement"
)
router.register(
    "compliance/credential-types",
    requirement_api.CredentialTypeViewSet,
    basename="compliance-credential-type",
)
router.register(
    "compliance/forecast", requirement_api.ForecastViewSet, basename="compliance-forecast"
)

urlpatterns = router.urls
