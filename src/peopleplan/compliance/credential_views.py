"""Pages of credentials, Update Service status checks and exemptions. Thin: ask the gates
(through `credential_selectors`), call the services, render.

- HR keep a person's credentials (`/compliance/people/<id>/credentials/`): the list, add (first
  the kind, then one page for it), change, record a status check; and their exemptions.
- A person adds their own with evidence (`/compliance/credentials/mine/`), which waits for HR
  to verify it (`/compliance/credentials/verify/`).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from peopleplan.access import gates
from peopleplan.core.dates import today

from . import credential_selectors as selectors
from . import services
from .credential_forms import (
    ChooseTypeForm,
    CredentialForm,
    ExemptionEndForm,
    ExemptionForm,
    StatusCheckForm,
    VerifyCredentialForm,
    place_error,
)
from .models import CredentialType

PAGE_SIZE = 50
TEMPLATES = "compliance/credentials/"


def _chosen_type(request) -> CredentialType | None:
    """The kind chosen on the first question (`?type=`), or None to ask it."""
    value = request.GET.get("type", "")
    if not value:
        return None
    try:
        return CredentialType.objects.get(pk=int(value))
    except (ValueError, CredentialType.DoesNotExist):
        raise Http404 from None


def _credential_form_page(request, *, person, own: bool, back: str, done: str):
    """Add a credential: which kind, then the page for that kind."""
    ctype = _chosen_type(request)
    if ctype is None:
        # The question was answered with no kind chosen: say so.
        choose = ChooseTypeForm(request.GET if "choose" in request.GET else None)
        choose.is_valid()
        return render(
            request,
            TEMPLATES + "choose_type.html",
            {"form": choose, "person": person, "own": own, "back": back},
        )
    form = CredentialForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        ctype=ctype,
        own=own,
    )
    if request.method == "POST" and form.is_valid():
        values = form.values()
        try:
            services.credential_record(
                person=person,
                type=ctype,
                actor=request.user,
                verified=not own,
                evidence=form.cleaned_data.get("evidence"),
                **values,
            )
        except services.ComplianceError as exc:
            place_error(form, exc)
        else:
            messages.success(
                request,
                f"Your {ctype.name} is added. It counts once HR have verified it."
                if own
                else f"{ctype.name} recorded for {person.full_name}.",
            )
            return redirect(done)
    return render(
        request,
        TEMPLATES + "form.html",
        {
            "form": form,
            "ctype": ctype,
            "person": person,
            "own": own,
            "back": request.path,
            "heading": f"Add {'your' if own else 'a'} {ctype.name}",
        },
        status=400 if request.method == "POST" else 200,
    )


# --- HR: a person's credentials ---------------------------------------------------------------


def person_credentials(request, person_id):
    person = selectors.keeper_person(request.user, person_id)
    on = today()
    rows = [selectors.shown(c, on) for c in selectors.credentials_of([person.pk])]
    return render(
        request,
        TEMPLATES + "list.html",
        {"person": person, "rows": rows, "pending": sum(r.state == "pending" for r in rows)},
    )


@require_http_methods(["GET", "POST"])
def person_credential_add(request, person_id):
    person = selectors.keeper_person(request.user, person_id)
    back = reverse("compliance:person_credentials", args=[person.pk])
    return _credential_form_page(request, person=person, own=False, back=back, done=back)


@require_http_methods(["GET", "POST"])
def person_credential_change(request, person_id, credential_id):
    person = selectors.keeper_person(request.user, person_id)
    credential = selectors.kept_credential(request.user, credential_id, person)
    back = reverse("compliance:person_credentials", args=[person.pk])
    initial = {name: getattr(credential, name) for name in services.CREDENTIAL_FIELDS}
    form = CredentialForm(
        request.POST if request.method == "POST" else None, ctype=credential.type, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.credential_update(credential=credential, actor=request.user, **form.values())
        except services.ComplianceError as exc:
            place_error(form, exc)
        else:
            messages.success(request, f"{credential.type.name} changed for {person.full_name}.")
            return redirect(back)
    return render(
        request,
        TEMPLATES + "form.html",
        {
            "form": form,
            "ctype": credential.type,
            "person": person,
            "own": False,
            "back": back,
            "heading": f"Change the {credential.type.name}",
            "credential": credential,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def person_credential_check(request, person_id, credential_id):
    person = selectors.keeper_person(request.user, person_id)
    credential = selectors.kept_credential(request.user, credential_id, person)
    if credential.type.kind != CredentialType.Kind.DBS or not credential.update_service:
        raise Http404
    back = reverse("compliance:person_credentials", args=[person.pk])
    form = StatusCheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.status_check_record(
                credential=credential, actor=request.user, **form.cleaned_data
            )
        except services.ComplianceError as exc:
            place_error(form, exc)
        else:
            messages.success(request, f"Status check recorded for {person.full_name}.")
            return redirect(back)
    return render(
        request,
        TEMPLATES + "check.html",
        {"form": form, "person": person, "credential": credential, "back": back},
        status=400 if request.method == "POST" else 200,
    )


# --- a person's own ------------------------------------------------------------------------


def mine(request):
    user = request.user
    if not user.person_id:
        raise Http404
    on = today()
    rows = [selectors.shown(c, on) for c in selectors.own_credentials(user)]
    return render(request, TEMPLATES + "mine.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
def mine_add(request):
    user = request.user
    if not user.person_id:
        raise Http404
    back = reverse("compliance:credentials_mine")
    return _credential_form_page(request, person=user.person, own=True, back=back, done=back)


def evidence(request, credential_id):
    credential = selectors.evidence_credential(request.user, credential_id)
    name = credential.evidence.name.rsplit("/", 1)[-1]
    return FileResponse(credential.evidence.open("rb"), as_attachment=True, filename=name)


# --- HR: verify --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def verify(request):
    user = request.user
    gates.require(user, "compliance.credentials")
    form = VerifyCredentialForm(request.POST or None)
    failed = None
    if request.method == "POST":
        if form.is_valid():
            credential = (
                selectors.verify_queue(user).filter(pk=form.cleaned_data["credential"]).first()
            )
            if credential is None:
                raise Http404
            approve = form.cleaned_data["decision"] == "verify"
            try:
                services.credential_verify(
                    credential=credential,
                    approve=approve,
                    reason=form.cleaned_data["reason"],
                    actor=user,
                )
            except services.ComplianceError as exc:
                place_error(form, exc)
            else:
                name = credential.person.full_name
                messages.success(
                    request,
                    f"{credential.type.name} is verified for {name}."
                    if approve
                    else f"{credential.type.name} is not verified. {name} can see your reason.",
                )
                return redirect("compliance:credentials_verify")
        failed = request.POST.get("credential")
    page = Paginator(selectors.verify_queue(user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        TEMPLATES + "verify.html",
        {"page": page, "form": form, "failed": str(failed or "")},
        status=400 if request.method == "POST" else 200,
    )


# --- HR: exemptions -------------------------------------------------------------------------


def person_exemptions(request, person_id):
    person = selectors.keeper_person(request.user, person_id)
    on = today()
    rows = [
        (
            e,
            "current"
            if e.starts_on <= on <= e.ends_on
            else ("ended" if e.ends_on < on else "future"),
        )
        for e in selectors.exemptions_of(person)
    ]
    return render(
        request, TEMPLATES + "exemptions.html", {"person": person, "rows": rows, "on": on}
    )


@require_http_methods(["GET", "POST"])
def exemption_grant(request, person_id):
    person = selectors.keeper_person(request.user, person_id)
    back = reverse("compliance:person_exemptions", args=[person.pk])
    form = ExemptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.exemption_grant(person=person, actor=request.user, **form.cleaned_data)
        except services.ComplianceError as exc:
            place_error(form, exc)
        else:
            messages.success(
                request,
                f"{person.full_name} is exempt from {form.cleaned_data['requirement'].name}.",
            )
            return redirect(back)
    return render(
        request,
        TEMPLATES + "exemption_form.html",
        {"form": form, "person": person, "back": back},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def exemption_end(request, person_id, exemption_id):
    person = selectors.keeper_person(request.user, person_id)
    exemption = selectors.kept_exemption(request.user, person, exemption_id)
    back = reverse("compliance:person_exemptions", args=[person.pk])
    form = ExemptionEndForm(request.POST or None, initial={"on": today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.exemption_end(
                exemption=exemption, on=form.cleaned_data["on"], actor=request.user
            )
        except services.ComplianceError as exc:
            exc.field = "on" if exc.field == "ends_on" else exc.field
            place_error(form, exc)
        else:
            messages.success(request, f"The exemption from {exemption.requirement.name} is ended.")
            return redirect(back)
    return render(
        request,
        TEMPLATES + "exemption_end.html",
        {"form": form, "person": person, "exemption": exemption, "back": back},
        status=400 if request.method == "POST" else 200,
    )
