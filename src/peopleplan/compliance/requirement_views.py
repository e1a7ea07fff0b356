"""The requirements admin: the list of requirements (what meets each, how long it lasts, how
many people it applies to today), a requirement in plain English with who is in it, the form
to create or change one with a preview of who is in and how they stand before saving, and
the credential types. For `compliance.requirements` users (council-wide HR officers, L&D
administrators and system administrators); anyone else gets a 403. Thin: the gates, the
forms, `services` to write, `previews` to preview, render.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods

from peopleplan.access import gates
from peopleplan.compliance import rules, services
from peopleplan.compliance.models import CredentialType, Requirement
from peopleplan.compliance.previews import requirement_preview
from peopleplan.compliance.requirement_forms import CredentialTypeForm, RequirementForm
from peopleplan.core.dates import today
from peopleplan.org import audiences
from peopleplan.org.models import Audience

CAPABILITY = "compliance.requirements"


def url_or_none(name: str, *args) -> str | None:
    """The address of a page another part of the project may not have yet (the audience
    pages, the compliance summary), or None."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _requirement(requirement_id) -> Requirement:
    try:
        pk = int(requirement_id)
    except (TypeError, ValueError):
        raise Http404 from None
    req = (
        Requirement.objects.select_related("audience", "credential_type")
        .prefetch_related("items")
        .filter(pk=pk)
        .first()
    )
    if req is None:
        raise Http404
    return req


def how_met(req: Requirement) -> str:
    """What meets it, in words: "Completing Safeguarding level 2 (SG2) or ...", "Holding a
    valid Enhanced DBS check"."""
    parts = []
    items = list(req.items.all())
    if items:
        titles = [f"{i.title} ({i.code})" for i in items]
        joined = titles[0] if len(titles) == 1 else f"{', '.join(titles[:-1])} or {titles[-1]}"
        parts.append(f"Completing {joined}")
    if req.credential_type_id:
        parts.append(f"holding a valid {req.credential_type.name}")
    text = ", or ".join(parts)
    return text[:1].upper() + text[1:]


def lasts(req: Requirement) -> str:
    if req.validity_months is None:
        return "Once only"
    return rules.months_text(req.validity_months).capitalize()


def rule_lines(req: Requirement) -> list[tuple[str, str]]:
    """The requirement's rules in plain English, as rows of a summary list."""
    rows = [("What meets it", how_met(req)), ("How long it lasts", lasts(req))]
    if req.validity_months is not None:
        rows.append(
            (
                "Renewal",
                f"Due soon from {rules.days_text(req.window_days)} before it runs out. A "
                "renewal inside that window runs "
                + (
                    "on from the old expiry date"
                    if req.renew_from == Requirement.RenewFrom.EXPIRY
                    else "from the date it was completed"
                )
                + ".",
            )
        )
    rows.append(
        (
            "New starters and movers",
            f"Have {rules.days_text(req.grace_days)} from the day they join the audience.",
        )
    )
    if req.applies_from:
        rows.append(
            (
                "Applies from",
                f"{req.applies_from.day} {req.applies_from:%B %Y}: nobody is due before "
                f"{rules.days_text(req.grace_days)} after that.",
            )
        )
    rows.append(
        (
            "Escalation",
            f"Still overdue {rules.days_text(req.escalate_after_days)} after it was due: the "
            "manager's manager is told.",
        )
    )
    rows.append(("In force", "Yes" if req.is_active else "No: it applies to nobody"))
    return rows


# --- requirements ----------------------------------------------------------------------------


def requirement_list(request):
    gates.require(request.user, CAPABILITY)
    on = today()
    reqs = list(
        Requirement.objects.select_related("audience", "credential_type").prefetch_related("items")
    )
    counts = audiences.member_counts({r.audience_id: r.audience for r in reqs}.values(), on)
    rows = [
        {"req": r, "how_met": how_met(r), "lasts": lasts(r), "people": counts[r.audience_id]}
        for r in reqs
    ]
    return render(
        request,
        "compliance/requirements/list.html",
        {"rows": rows, "on": on, "forecast_url": reverse("compliance:forecast")},
    )


def requirement_detail(request, requirement_id):
    gates.require(request.user, CAPABILITY)
    req = _requirement(requirement_id)
    on = today()
    shown = audiences.audience_preview(req.audience, on, gates.people_for_user(request.user, on))
    return render(
        request,
        "compliance/requirements/detail.html",
        {
            "req": req,
            "rules": rule_lines(req),
            "description": audiences.describe_audiences([req.audience])[req.audience_id],
            "preview": shown,
            "on": on,
            "audience_url": url_or_none("org:audience_detail", req.audience_id),
            "summary_url": url_or_none("compliance:summary_requirement", req.pk),
            "crumbs": [("Requirements", reverse("compliance:requirement_list"))],
        },
    )


def _form(request, req: Requirement | None):
    data = request.POST if request.method == "POST" else None
    form = RequirementForm(
        data,
        initial=RequirementForm.initial_for(req),
        audiences=list(Audience.objects.order_by("name")),
        credential_types=list(CredentialType.objects.order_by("name")),
    )
    if req is not None:
        form.fields["code"].disabled = True
        form.fields["code"].help_text = "The code does not change"
    return form


def _preview(request, form: RequirementForm, req: Requirement | None):
    fields = form.service_fields()
    rule = Requirement(
        validity_months=fields["validity_months"],
        window_days=fields["window_days"],
        renew_from=fields["renew_from"],
        grace_days=fields["grace_days"],
        applies_from=fields["applies_from"],
    ).rule
    on = today()
    return requirement_preview(
        audience=fields["audience"],
        rule=rule,
        items=fields["items"],
        credential_type=fields["credential_type"],
        on=on,
        visible=gates.people_for_user(request.user, on),
        requirement=req,
    )


@require_http_methods(["GET", "POST"])
def requirement_new(request):
    gates.require(request.user, CAPABILITY)
    return _change(request, None)


@require_http_methods(["GET", "POST"])
def requirement_edit(request, requirement_id):
    gates.require(request.user, CAPABILITY)
    return _change(request, _requirement(requirement_id))


def _change(request, req: Requirement | None):
    form = _form(request, req)
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = _preview(request, form, req)
        else:
            fields = form.service_fields()
            try:
                if req is None:
                    saved = services.requirement_create(actor=request.user, **fields)
                    messages.success(request, f"{saved.name} is set up.")
                else:
                    fields.pop("code")
                    saved = services.requirement_update(
                        requirement=req, actor=request.user, **fields
                    )
                    messages.success(request, f"{saved.name} is changed.")
                return redirect("compliance:requirement_detail", saved.pk)
            except services.ComplianceError as error:
                form.refused(error)
    back = (
        reverse("compliance:requirement_detail", args=[req.pk])
        if req
        else reverse("compliance:requirement_list")
    )
    return render(
        request,
        "compliance/requirements/form.html",
        {
            "form": form,
            "req": req,
            "preview": preview,
            "on": today(),
            "back": back,
            "audience_new_url": url_or_none("org:audience_new"),
            "audience_list_url": url_or_none("org:audience_list"),
        },
        status=200,
    )


# --- credential types ------------------------------------------------------------------------


def credential_type_list(request):
    gates.require(request.user, CAPABILITY)
    kinds = list(CredentialType.objects.order_by("name"))
    used: dict[int, list[str]] = {}
    for type_id, name in Requirement.objects.filter(credential_type__isnull=False).values_list(
        "credential_type_id", "name"
    ):
        used.setdefault(type_id, []).append(name)
    rows = [{"kind": k, "requirements": used.get(k.pk, [])} for k in kinds]
    return render(request, "compliance/requirements/credential_types.html", {"rows": rows})


def _credential_type(type_id) -> CredentialType:
    try:
        pk = int(type_id)
    except (TypeError, ValueError):
        raise Http404 from None
    found = CredentialType.objects.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@require_http_methods(["GET", "POST"])
def credential_type_new(request):
    gates.require(request.user, CAPABILITY)
    return _change_type(request, None)


@require_http_methods(["GET", "POST"])
def credential_type_edit(request, type_id):
    gates.require(request.user, CAPABILITY)
    return _change_type(request, _credential_type(type_id))


def _change_type(request, kind: CredentialType | None):
    form = CredentialTypeForm(
        request.POST if request.method == "POST" else None,
        initial=CredentialTypeForm.initial_for(kind),
    )
    if request.method == "POST" and form.is_valid():
        try:
            if kind is None:
                saved = services.credential_type_create(actor=request.user, **form.cleaned_data)
                messages.success(request, f"{saved.name} is set up.")
            else:
                saved = services.credential_type_update(
                    credential_type=kind, actor=request.user, **form.cleaned_data
                )
                messages.success(request, f"{saved.name} is changed.")
            return redirect("compliance:credential_type_list")
        except services.ComplianceError as error:
            form.refused(error)
    return render(
        request,
        "compliance/requirements/credential_type_form.html",
        {"form": form, "kind": kind},
    )
