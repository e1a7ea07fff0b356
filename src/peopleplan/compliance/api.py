"""The compliance API, under /api/compliance/. Each part registers its own viewsets below."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()

# --- statuses: mine, a person's, a team's

# --- summaries, expiring, exports

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
