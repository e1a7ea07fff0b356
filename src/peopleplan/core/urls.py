from django.urls import path

from peopleplan.core import import_views, views

app_name = "core"

urlpatterns = [
    path("audit/", views.audit, name="audit"),
    path("imports/", import_views.import_list, name="import_list"),
    path("imports/<str:run_id>/", import_views.import_detail, name="import_detail"),
    path("imports/<str:run_id>/progress/", import_views.import_progress, name="import_progress"),
    path("imports/<str:run_id>/apply/", import_views.import_apply, name="import_apply"),
    path("imports/<str:run_id>/discard/", import_views.import_discard, name="import_discard"),
    path("imports/<str:run_id>/rejected.csv", import_views.import_rejected, name="import_rejected"),
    path("templates/<str:kind_name>.csv", import_views.import_template, name="import_template"),
    path("exports/<str:kind_name>/", import_views.export_download, name="export_download"),
]
