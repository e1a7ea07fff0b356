from django.http import HttpResponse

from peopleplan.access import gates


def audit(request):
    gates.require(request.user, "audit.view")
    return HttpResponse("audit")
