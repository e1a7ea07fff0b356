from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from peopleplan.org.views import home

api_patterns = [
    path("", include("peopleplan.org.api")),
    path("", include("peopleplan.learning.api")),
    path("", include("peopleplan.compliance.api")),
    path("", include("peopleplan.workforce.api")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]

urlpatterns = [
    path("", home, name="home"),
    path("", include("peopleplan.access.urls")),
    path("", include("peopleplan.org.urls")),
    path("", include("peopleplan.core.urls")),
    path("", include("peopleplan.learning.urls")),
    path("", include("peopleplan.compliance.urls")),
    path("", include("peopleplan.workforce.urls")),
    path("api/", include((api_patterns, "api"))),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "peopleplan administration"
admin.site.site_title = "peopleplan"
if settings.DEBUG:
    admin.site.site_url = "/"
