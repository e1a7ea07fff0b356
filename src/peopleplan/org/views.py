"""Pages of the organisation and its people. Thin: check access, call a selector, render."""

from django.http import HttpResponse

from peopleplan.access import gates


def home(request):
    return HttpResponse(f"Hello {request.user}")


def people(request):
    gates.require(request.user, "people.view_scope")
    return HttpResponse("people")


def person(request, person_id):
    p = gates.access_person_for_user(request.user, person_id)
    return HttpResponse(p.full_name)


def my_team(request):
    return HttpResponse("team")


def units(request):
    gates.require(request.user, "org.browse")
    return HttpResponse("units")


def unit(request, unit_id):
    u = gates.access_unit_for_user(request.user, unit_id)
    return HttpResponse(u.name)
