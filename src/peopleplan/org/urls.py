from django.urls import path

from peopleplan.org import views

app_name = "org"

urlpatterns = [
    path("people/", views.people, name="people"),
    path("people/<str:person_id>/", views.person, name="person"),
    path("my-team/", views.my_team, name="my_team"),
    path("organisation/", views.units, name="units"),
    path("organisation/<str:unit_id>/", views.unit, name="unit"),
]
