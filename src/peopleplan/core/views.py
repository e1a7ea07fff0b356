from django.http import HttpResponse

from peopleplan.access import gates


def import_list(request):
    gates.require(request.user, "people.import")
    return HttpResponse("imports")


def audit(request):
    gates.require(request.user, "audit.view")
    return HttpResponse("audit")
