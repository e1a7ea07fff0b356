"""The one upload page for every import kind: upload, preview what will change, apply."""

from django.http import HttpResponse

from peopleplan.access import gates


def import_list(request):
    gates.require(request.user, "people.import")
    return HttpResponse("imports")
