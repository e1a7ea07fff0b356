"""The service navigation: the sections the user's roles open to them."""

from django.urls import reverse

from peopleplan.access import gates


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [("Home", reverse("home"))]
    if user.person_id:
        items.append(("My details", reverse("org:person", args=[user.person_id])))
    if gates.is_manager(user):
        items.append(("My team", reverse("org:my_team")))
    if gates.can(user, "org.browse"):
        items.append(("Organisation", reverse("org:units")))
    if gates.can(user, "people.view_scope"):
        items.append(("People", reverse("org:people")))
    if gates.can(user, "people.import"):
        items.append(("Imports", reverse("core:import_list")))
    if gates.can(user, "audit.view"):
        items.append(("Audit log", reverse("core:audit")))
    if gates.is_system_admin(user):
        items.append(("Admin", reverse("admin:index")))
    path = request.path
    nav = []
    for label, url in items:
        active = path == url if url == "/" else path.startswith(url)
        nav.append({"label": label, "url": url, "active": active})
    return {"nav_items": nav, "council_name": "peopleplan"}
