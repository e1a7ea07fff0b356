"""The service navigation: the sections the user's roles open to them."""

from django.conf import settings
from django.urls import reverse

from peopleplan.access import gates


def navigation(request):
    names = {
        "service_name": "peopleplan",
        "council_name": settings.PEOPLEPLAN.get("COUNCIL_NAME", "peopleplan"),
    }
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], **names}
    items = [
        ("Home", reverse("home")),
        ("Find learning", reverse("learning:find")),
        ("My bookings", reverse("learning:bookings")),
    ]
    if user.person_id:
        items.append(("My learning", reverse("learning:record")))
        items.append(("My compliance", reverse("compliance:mine")))
        items.append(("My details", reverse("org:person", args=[user.person_id])))
    if gates.is_manager(user):
        items.append(("My team", reverse("org:my_team")))
    if gates.is_manager(user) or gates.scope_paths(user, gates.COMPLIANCE_ROLES) != []:
        items.append(("Team compliance", reverse("compliance:team")))
    if gates.is_manager(user) or gates.has_role(user, gates.LD_ADMIN):
        items.append(("Approvals", reverse("learning:approvals")))
    if gates.can(user, "learning.evaluation_results"):
        items.append(("Evaluation", reverse("learning:evaluation_results")))
    if gates.can(user, "compliance.summary"):
        items.append(("Compliance in numbers", reverse("compliance:overview")))
    if gates.can(user, "workforce.insight"):
        items.append(("Workforce", reverse("workforce:dashboard")))
    elif gates.can(user, "workforce.equality"):
        items.append(("Workforce equality", reverse("workforce:equality")))
    if gates.can(user, "learning.sessions"):
        items.append(("Sessions", reverse("learning:session_list")))
    if gates.can(user, "compliance.credentials"):
        items.append(("Credentials", reverse("compliance:credentials_verify")))
    if gates.can(user, "compliance.requirements"):
        items.append(("Requirements", reverse("compliance:requirement_list")))
    if gates.can(user, "org.browse"):
        items.append(("Organisation", reverse("org:units")))
    if gates.can(user, "people.view_scope"):
        items.append(("People", reverse("org:people")))
    if gates.can(user, "org.audiences"):
        items.append(("Audiences", reverse("org:audience_list")))
    if gates.import_kinds_for_user(user):
        items.append(("Imports", reverse("core:import_list")))
    if gates.can(user, "audit.view_all"):
        items.append(("Audit log", reverse("core:audit")))
    if gates.is_system_admin(user):
        items.append(("Admin", reverse("admin:index")))
    # One item is active: the one whose address is the longest start of this page's address.
    path = request.path
    matching = [url for _, url in items if (path == url if url == "/" else path.startswith(url))]
    active_url = max(matching, key=len) if matching else None
    nav = [{"label": label, "url": url, "active": url == active_url} for label, url in items]
    return {"nav_items": nav, **names}
