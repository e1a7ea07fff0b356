"""The compliance API, under /api/compliance/. Each part registers its own viewsets below."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()

# --- statuses: mine, a person's, a team's

# --- summaries, expiring, exports

# --- credentials, status checks, exemptions
from peopleplan.compliance import credential_api  # noqa: E402

credential_api.register(router)

# --- requirements, credential types, the demand forecast

urlpatterns = router.urls
