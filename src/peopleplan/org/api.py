"""The organisation's JSON API, scoped by the access gates."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()

urlpatterns = router.urls
