"""Pages of the organisation and its people. Thin: ask the access gates, call selectors, render.

Every page asks `peopleplan.access.gates` first: a person or unit the user may not see is the
same 404 as one that does not exist; a page their roles do not open at all is a 403.
"""

from django.core.paginator import Page, Paginator
from django.shortcuts import render
from django.urls import reverse

from peopleplan.access import gates
from peopleplan.core.dates import today
from peopleplan.org import selectors
from peopleplan.org.forms import PeopleFilterForm

PAGE_SIZE = 50
# The organisation page draws the tree this many levels below the user's top units; the
# levels below are a click away on each unit's page.
TREE_LEVELS = 2


def _page(request, object_list, *, param: str = "page", per_page: int = PAGE_SIZE) -> Page:
    return Paginator(object_list, per_page).get_page(request.GET.get(param))


def home(request):
    """One page that fits the user: their own details, their team, the organisation."""
    user = request.user
    on = today()
    context: dict = {"on": on, "is_system_admin": gates.is_system_admin(user)}
    person = user.person if user.person_id else None
    if person is not None:
        assignments = selectors.person_assignments(person)
        current = selectors.current_of(assignments, on)
        managers = [a.line_manager_id for a in current]
        visible = gates.people_for_user(user, on)
        context.update(
            person=person,
            job=current[0] if current else None,
            other_jobs=current[1:],
            linkable=selectors.visible_ids(visible, managers),
            coming_up=selectors.coming_up(assignments, on),
        )
        if gates.is_manager(user, on):
            direct = selectors.direct_reports(person, on)
            context.update(
                direct_reports=direct,
                direct_count=len({a.person_id for a in direct}),
                report_count=selectors.count_people(gates.reports_q(person.pk, on)),
            )
    if gates.can(user, "org.browse"):
        establishment = selectors.establishment(gates.top_units_for_user(user), on)
        roots = establishment.roots
        # One top unit: its parts, then the whole; several: each, then all together.
        if len(roots) == 1 and roots[0].children:
            rows, total_label = roots[0].children, f"All of {roots[0].unit.name}"
        else:
            rows, total_label = roots, "Total"
        context.update(
            establishment=establishment,
            org_rows=rows,
            org_total=establishment.total if len(rows) > 1 or rows is not roots else None,
            total_label=total_label,
            can_see_people=gates.can(user, "people.view_scope"),
        )
    return render(request, "org/home.html", context)


def people(request):
    user = request.user
    gates.require(user, "people.view_scope")
    on = today()
    roots = gates.top_units_for_user(user)
    shallowest = min((r.depth for r in roots), default=0)
    units = list(gates.units_for_user(user).filter(depth__lte=shallowest + TREE_LEVELS))
    wanted = request.GET.get("unit")
    if wanted and wanted.isdigit() and not any(u.pk == int(wanted) for u in units):
        # A unit deeper than the list offers (a link from its page): offered if the user may see it.
        units += list(gates.units_for_user(user).filter(pk=int(wanted)))
        units.sort(key=lambda u: u.path)
    form = PeopleFilterForm(request.GET, units=units)
    form.is_valid()
    found = selectors.people_search(
        gates.people_for_user(user, on),
        on=on,
        search=form.cleaned_data.get("q") or "",
        unit=form.selected_unit,
        include_leavers=bool(form.cleaned_data.get("leavers")),
    )
    page = _page(request, found)
    jobs = selectors.current_jobs([p.pk for p in page.object_list], on)
    rows = [(p, jobs.get(p.pk)) for p in page.object_list]
    return render(
        request,
        "org/people.html",
        {"form": form, "page": page, "rows": rows, "on": on, "filtered": bool(request.GET)},
    )


def person(request, person_id):
    user = request.user
    person = gates.access_person_for_user(user, person_id)
    on = today()
    visible = gates.people_for_user(user, on)
    assignments = selectors.person_assignments(person)
    current = selectors.current_of(assignments, on)
    paths = selectors.unit_paths([a.unit for a in current])
    browsable = set(
        gates.units_for_user(user)
        .filter(pk__in={u.pk for path in paths.values() for u in path})
        .values_list("pk", flat=True)
    )
    linkable = selectors.visible_ids(visible, [a.line_manager_id for a in current])
    jobs = [
        {
            "assignment": a,
            "unit_linked": a.unit_id in browsable,
            "unit_path": [(u, u.pk in browsable) for u in paths[a.unit_id] if u.pk != a.unit_id],
            "manager_linked": a.line_manager_id in linkable,
        }
        for a in current
    ]
    can_view_equality = gates.can_view_equality(user, person)
    context = {
        "person": person,
        "is_me": person.pk == user.person_id,
        "on": on,
        "jobs": jobs,
        "reports": selectors.direct_reports(person, on, visible),
        "timeline": selectors.person_timeline(person, assignments, on),
        "can_view_equality": can_view_equality,
        "equality": selectors.equality_record(person) if can_view_equality else None,
        "can_view_audit": gates.can_view_audit_of(user, person),
    }
    return render(request, "org/person.html", context)


def my_team(request):
    """Everyone reporting to the user today, directly or through others."""
    user = request.user
    on = today()
    rows = []
    if user.person_id:
        rows = selectors.team_rows(
            manager_id=user.person_id,
            reports=gates.reports_q(user.person_id, on, field="person_id"),
            on=on,
        )
    context = {
        "has_person": bool(user.person_id),
        "on": on,
        "page": _page(request, rows),
        "direct_count": len({r.person_id for r in rows if r.level == 1}),
        "total_count": len({r.person_id for r in rows}),
    }
    return render(request, "org/my_team.html", context)


def units(request):
    user = request.user
    gates.require(user, "org.browse")
    roots = gates.top_units_for_user(user)
    establishment = selectors.establishment(roots, today())
    shallowest = min((r.depth for r in roots), default=0)
    return render(
        request,
        "org/units.html",
        {
            "establishment": establishment,
            "max_depth": shallowest + TREE_LEVELS,
            "on": today(),
            "can_see_people": gates.can(user, "people.view_scope"),
        },
    )


def unit(request, unit_id):
    user = request.user
    unit = gates.access_unit_for_user(user, unit_id)
    on = today()
    node = selectors.establishment([unit], on)[unit.pk]
    roots = gates.top_units_for_user(user)
    crumbs = [("Organisation", reverse("org:units"))] + [
        (a.name, reverse("org:unit", args=[a.pk]))
        for a in selectors.unit_ancestors(unit)
        if any(a.is_under(root) for root in roots)
    ]
    posts = _page(request, selectors.unit_posts(unit, on), param="posts_page")
    people = _page(
        request,
        selectors.unit_people(unit, gates.people_for_user(user, on), on),
        param="people_page",
    )
    context = {
        "unit": unit,
        "node": node,
        "on": on,
        "crumbs": crumbs,
        "posts": posts,
        "post_statuses": selectors.post_statuses(list(posts.object_list), on),
        "people": people,
        "can_see_people": gates.can(user, "people.view_scope"),
    }
    return render(request, "org/unit.html", context)
