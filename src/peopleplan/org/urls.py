from django.urls import path

from peopleplan.org import audience_views, views

app_name = "org"

urlpatterns = [
    path("people/", views.people, name="people"),
    path("people/<str:person_id>/", views.person, name="person"),
    path("my-team/", views.my_team, name="my_team"),
    path("organisation/", views.units, name="units"),
    path("organisation/<str:unit_id>/", views.unit, name="unit"),
    path("audiences/", audience_views.audience_list, name="audience_list"),
    path("audiences/new/", audience_views.audience_new, name="audience_new"),
    path("audiences/<str:audience_id>/", audience_views.audience_detail, name="audience_detail"),
    path("audiences/<str:audience_id>/edit/", audience_views.audience_edit, name="audience_edit"),
    path(
        "audiences/<str:audience_id>/delete/",
        audience_views.audience_delete,
        name="audience_delete",
    ),
]
