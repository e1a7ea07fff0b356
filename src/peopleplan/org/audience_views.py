"""The pages of audiences: the list (each in plain English, with how many people are in it
today), an audience with its people and their directorates, and the form to create or change
one, with rows of rules to add and remove and a preview of who is in before saving.

Council-wide HR officers, L&D administrators and system administrators use them (the
capability `org.audiences`); anyone else gets a 403. The people shown are only those the user
may see (`gates.people_for_user`); the counts are of everyone.

The preview works with and without JavaScript: the Preview button posts the form, and htmx
swaps in just the preview (`_preview.html`); without it the whole page comes back with it.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from peopleplan.access import gates
from peopleplan.core.dates import today
from peopleplan.org import audiences, selectors, services
from peopleplan.org.forms import AudienceForm, RuleRows
from peopleplan.org.models import Assignment, Audience, AudienceRule, Grade, JobRole

PAGE_SIZE = 50


def audience_list(request):
    gates.require(request.user, "org.audiences")
    on = today()
    found = list(gates.audiences_for_user(request.user))
    counts = audiences.member_counts(found, on)
    described = audiences.describe_audiences(found)
    rows = [{"audience": a, "description": described[a.pk], "count": counts[a.pk]} for a in found]
    return render(request, "org/audiences/list.html", {"rows": rows, "on": on})


def audience_detail(request, audience_id):
    user = request.user
    audience = gates.access_audience_for_user(user, audience_id)
    on = today()
    visible = gates.people_for_user(user, on)
    shown = audiences.audience_preview(audience, on, visible)
    people = Paginator(
        visible.filter(pk__in=audiences.member_ids(audience, on)).order_by(
            "last_name", "first_name", "employee_number"
        ),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    jobs = selectors.current_jobs([p.pk for p in people.object_list], on)
    return render(
        request,
        "org/audiences/detail.html",
        {
            "audience": audience,
            "description": audiences.describe_audiences([audience])[audience.pk],
            "preview": shown,
            "page": people,
            "rows": [(p, jobs.get(p.pk)) for p in people.object_list],
            "on": on,
            "crumbs": [("Audiences", reverse("org:audience_list"))],
        },
    )


def _guide() -> dict:
    """What may be typed for each kind of rule: the short lists in full, and where to find
    the codes of the long ones."""
    return {
        "families": list(
            JobRole.objects.exclude(job_family="")
            .order_by("job_family")
            .values_list("job_family", flat=True)
            .distinct()
        ),
        "grades": list(Grade.objects.order_by("rank").values_list("code", "name")),
        "contracts": Assignment.ContractType.choices,
        "flags": AudienceRule.Flag.choices,
    }


def _initial(audience: Audience) -> tuple[dict, list[dict]]:
    rules = [
        {
            "kind": r.kind,
            "values": ", ".join(r.values),
            "number": r.number,
            "exclude": r.exclude,
        }
        for r in audiences.rules_of(audience)
    ]
    fields = {
        "name": audience.name,
        "code": audience.code,
        "description": audience.description,
        "match": audience.match,
    }
    return fields, rules


def _summary(form: AudienceForm, rows: RuleRows, problems: list[tuple[str, str]]) -> list:
    """The error summary: (link, message) for each problem, in the order of the page."""
    summary = []
    if form.is_bound:
        for name in ("name", "code", "description", "match"):
            summary.extend((f"#{form[name].id_for_label}", e) for e in form[name].errors)
    for rule, name, message in rows.errors:
        summary.append((f"#{rule[name].id_for_label}", message))
    first = f"#{rows.forms[0]['kind'].id_for_label}" if len(rows) else "#audience-form"
    summary.extend((first, message) for _, message in problems)
    return summary


def _sample(shown: audiences.Preview | None, on) -> dict:
    if shown is None:
        return {}
    jobs = selectors.current_jobs([p.pk for p in shown.sample], on)
    if len(shown.sample) == shown.count:
        caption = "Everyone in it"
    else:
        caption = f"The first {len(shown.sample)} by name among the people you may see"
    return {"sample_rows": [(p, jobs.get(p.pk)) for p in shown.sample], "sample_caption": caption}


def _form_page(request, audience: Audience | None):
    user = request.user
    on = today()
    shown = None
    problems: list[tuple[str, str]] = []
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "save")
        rows = RuleRows(request.POST)
        if action == "save":
            form = AudienceForm(request.POST)
        else:
            # Adding, removing and previewing do not check the name and code yet.
            form = AudienceForm(
                initial={k: request.POST.get(k, "") for k in AudienceForm.base_fields}
            )
        if action == "add":
            if not rows.add():
                problems.append(("rules", f"An audience can have at most {RuleRows.MAX} rules"))
                status = 400
        elif action.startswith("remove-") and action[7:].isdigit():
            rows.remove(int(action[7:]))
        elif action == "preview":
            match = request.POST.get("match")
            if match not in Audience.Match.values:
                match = Audience.Match.ALL
            if rows.is_valid():
                try:
                    cleaned = services.audience_rules_clean(rows.rules())
                except services.OrgError as error:
                    problems = rows.refuse(error.errors)
                else:
                    shown = audiences.preview(cleaned, match, on, gates.people_for_user(user, on))
            if request.htmx:
                # Always 200: htmx swaps in only a successful response, and the problems
                # belong in the preview's place.
                context = {"preview": shown, "summary": _summary(form, rows, problems), "on": on}
                return render(request, "org/audiences/_preview.html", context | _sample(shown, on))
            status = 200 if shown is not None else 400
        else:
            valid = form.is_valid() & rows.is_valid()
            if valid:
                values = {**form.cleaned_data, "rules": rows.rules(), "actor": user}
                try:
                    if audience is None:
                        audience = services.audience_create(**values)
                    else:
                        services.audience_update(audience=audience, **values)
                except services.OrgError as error:
                    for field, message in rows.refuse(error.errors):
                        if field in form.fields:
                            form.add_error(field, message)
                        else:
                            problems.append((field, message))
                else:
                    messages.success(request, f"{audience.name} is saved.")
                    return redirect("org:audience_detail", audience_id=audience.pk)
            elif rows.is_valid():
                # Every problem at once: the rules' too, though the name or code is wrong.
                try:
                    services.audience_rules_clean(rows.rules())
                except services.OrgError as error:
                    problems.extend(rows.refuse(error.errors))
            status = 400
    elif audience is not None:
        fields, rules = _initial(audience)
        form = AudienceForm(initial=fields)
        rows = RuleRows(initial=rules)
    else:
        form = AudienceForm()
        rows = RuleRows()
    return render(
        request,
        "org/audiences/form.html",
        {
            "audience": audience,
            "form": form,
            "rows": rows,
            "summary": _summary(form, rows, problems),
            "preview": shown,
            "guide": _guide(),
            "on": on,
            **_sample(shown, on),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def audience_new(request):
    gates.require(request.user, "org.audiences")
    return _form_page(request, None)


@require_http_methods(["GET", "POST"])
def audience_edit(request, audience_id):
    audience = gates.access_audience_for_user(request.user, audience_id)
    return _form_page(request, audience)


@require_http_methods(["GET", "POST"])
def audience_delete(request, audience_id):
    audience = gates.access_audience_for_user(request.user, audience_id)
    error = ""
    if request.method == "POST":
        try:
            services.audience_delete(actor=request.user, audience=audience)
        except services.OrgError as exc:
            error = str(exc)
        else:
            messages.success(request, f"{audience.name} is deleted.")
            return redirect("org:audience_list")
    return render(
        request,
        "org/audiences/delete.html",
        {
            "audience": audience,
            "description": audiences.describe_audiences([audience])[audience.pk],
            "error": error,
        },
        status=400 if error else 200,
    )
