"""Pages of the record of learning and of registers. Thin: ask the gates, call the services
and selectors of `records` and `attendance`, render.

A record, a completion or a register the user may not see is the same 404 as one that does
not exist.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from peopleplan.access import gates
from peopleplan.core.dates import today
from peopleplan.learning import attendance, programmes, records
from peopleplan.learning.models import AttendanceMark, Completion

PAGE_SIZE = 50
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
EVIDENCE_SUFFIXES = (".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx", ".odt", ".txt")


# --- forms -----------------------------------------------------------------------------------


class LogLearningForm(forms.Form):
    title = forms.CharField(
        label="What was the learning?",
        help_text="For example, the name of a course, conference or book.",
        max_length=200,
        error_messages={"required": "Enter what the learning was"},
    )
    completed_on = forms.DateField(
        label="When did you finish it?",
        help_text="For example, 27 3 2025 or 2025-03-27.",
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y", "%d-%m-%Y"],
        error_messages={
            "required": "Enter the date you finished the learning",
            "invalid": "Enter a real date, like 2025-03-27",
        },
    )
    hours = forms.DecimalField(
        label="How many hours of learning?",
        min_value=Decimal("0"),
        max_value=Decimal("9999"),
        decimal_places=2,
        error_messages={
            "required": "Enter the hours of learning",
            "invalid": "Enter the hours as a number, like 3.5",
            "min_value": "The hours must be 0 or more",
            "max_value": "The hours must be 9999 or fewer",
            "max_decimal_places": "Enter the hours to at most 2 decimal places",
        },
    )
    development_days = forms.DecimalField(
        label="Development days (optional)",
        help_text="Leave blank when it was less than a day.",
        required=False,
        min_value=Decimal("0"),
        max_value=Decimal("99"),
        decimal_places=2,
        error_messages={
            "invalid": "Enter the development days as a number, like 1 or 0.5",
            "min_value": "The development days must be 0 or more",
            "max_value": "The development days must be 99 or fewer",
            "max_decimal_places": "Enter the development days to at most 2 decimal places",
        },
    )
    learning_notes = forms.CharField(
        label="What did you learn?",
        help_text="How it will change your practice.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter what you learnt"},
    )
    evidence = forms.FileField(
        label="Upload evidence (optional)",
        help_text="A certificate or notes: PDF, image or document, up to 10 MB.",
        required=False,
    )

    def clean_completed_on(self):
        value = self.cleaned_data["completed_on"]
        if value > today():
            raise forms.ValidationError("The date must be today or in the past")
        return value

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if not upload:
            return None
        if not upload.name.lower().endswith(EVIDENCE_SUFFIXES):
            raise forms.ValidationError("The evidence must be a PDF, image or document")
        if upload.size > MAX_EVIDENCE_BYTES:
            raise forms.ValidationError("The evidence must be smaller than 10 MB")
        return upload


class VerifyForm(forms.Form):
    completion = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label="Do you verify this learning?",
        choices=[("verify", "Yes, verify it"), ("reject", "No")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you verify this learning"},
    )
    reason = forms.CharField(
        label="Reason (needed if you do not verify it)", required=False, max_length=2000
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Give a reason for not verifying it")
        return data


# --- the record ------------------------------------------------------------------------------


def _record_page(request, person, *, is_me: bool):
    completions = Paginator(records.person_completions(person), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "person": person,
        "is_me": is_me,
        "page": completions,
        "summary": records.year_summary(person),
        "non_attendance": attendance.non_attendance_by_person([person.pk]).get(
            person.pk, attendance.NonAttendance()
        ),
        "programmes": programmes.person_programmes(person.pk),
        "sees_evidence": records.can_see_evidence_of(request.user, person.pk),
    }
    return render(request, "learning/record.html", context)


def record(request):
    """My learning record."""
    user = request.user
    if not user.person_id:
        return render(request, "learning/record_no_person.html")
    return _record_page(request, user.person, is_me=True)


def record_person(request, person_id):
    person = gates.access_learning_record_person(request.user, person_id)
    return _record_page(request, person, is_me=person.pk == request.user.person_id)


def record_team(request):
    """My team's learning: development days, CPD hours and non-attendance of everyone who
    reports to the user, a fixed number of queries whatever the size of the team."""
    user = request.user
    on = today()
    rows = records.team_learning(user.person_id, on) if user.person_id else []
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "has_person": bool(user.person_id),
        "page": page,
        "target": records.development_days_target(),
        "year": records.year_summary(user.person_id, on) if user.person_id else None,
    }
    return render(request, "learning/record_team.html", context)


@require_http_methods(["GET", "POST"])
def record_log(request):
    user = request.user
    if not user.person_id:
        raise Http404
    form = LogLearningForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            records.completion_log(
                person=user.person,
                title=data["title"],
                completed_on=data["completed_on"],
                hours=data["hours"],
                development_days=data["development_days"] or Decimal("0"),
                learning_notes=data["learning_notes"],
                evidence=data["evidence"],
                actor=user,
            )
        except records.RecordError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, "Your learning is logged. It counts once it has been verified."
            )
            return redirect("learning:record")
    return render(request, "learning/record_log.html", {"form": form})


@require_http_methods(["GET", "POST"])
def record_verify(request):
    user = request.user
    if not records.may_verify_anyone(user):
        raise PermissionDenied
    form = VerifyForm(request.POST or None)
    failed = None
    if request.method == "POST":
        if form.is_valid():
            completion = (
                records.verify_queue(user).filter(pk=form.cleaned_data["completion"]).first()
            )
            if completion is None:
                raise Http404
            approve = form.cleaned_data["decision"] == "verify"
            try:
                records.completion_verify(
                    completion=completion,
                    approve=approve,
                    reason=form.cleaned_data["reason"],
                    actor=user,
                )
            except records.RecordError as exc:
                form.add_error(None, str(exc))
            else:
                name = completion.person.full_name
                messages.success(
                    request,
                    f"{completion.title} is verified for {name}."
                    if approve
                    else f"{completion.title} is not verified. {name} can see your reason.",
                )
                return redirect("learning:record_verify")
        failed = request.POST.get("completion")
    page = Paginator(records.verify_queue(user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "learning/record_verify.html",
        {"page": page, "form": form, "failed": str(failed or "")},
        status=400 if request.method == "POST" else 200,
    )


def record_certificate(request, completion_id):
    completion = records.access_completion_for_user(request.user, completion_id)
    if completion.status != Completion.Status.VERIFIED:
        raise Http404
    return render(
        request,
        "learning/record_certificate.html",
        {"completion": completion},
    )


def record_evidence(request, completion_id):
    completion = records.access_completion_for_user(request.user, completion_id)
    if not completion.evidence or not records.can_see_evidence(request.user, completion):
        raise Http404
    name = completion.evidence.name.rsplit("/", 1)[-1]
    return FileResponse(completion.evidence.open("rb"), as_attachment=True, filename=name)


# --- registers -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def register(request, part_id):
    user = request.user
    part = attendance.access_part_for_user(user, part_id)
    session = part.session
    error = ""
    if request.method == "POST":
        bookings = list(attendance.register_bookings(part))
        everyone = request.POST.get("all") == AttendanceMark.Mark.ATTENDED
        marks: dict[int, str] = {}
        for booking in bookings:
            value = (
                AttendanceMark.Mark.ATTENDED if everyone else request.POST.get(f"mark-{booking.pk}")
            )
            if value:
                marks[booking.pk] = value
        results = {
            b.pk: request.POST.get(f"result-{b.pk}", "")
            for b in bookings
            if request.POST.get(f"result-{b.pk}")
        }
        if not marks:
            error = "Select attended, partly attended or did not attend for at least one person"
        else:
            try:
                attendance.register_mark(part=part, marks=marks, results=results, actor=user)
            except attendance.AttendanceError as exc:
                error = str(exc)
            else:
                messages.success(request, f"The register is saved: {len(marks)} marked.")
                return redirect("learning:register", part_id=part.pk)
    bookings = list(attendance.register_bookings(part))
    if session.item.is_assessed:
        results = dict(
            Completion.objects.filter(booking__in=bookings).values_list("booking_id", "result")
        )
        for booking in bookings:
            booking.result = results.get(booking.pk, "")
    parts = list(session.parts.all())
    context = {
        "part": part,
        "session": session,
        "parts": parts,
        "part_number": next(i for i, p in enumerate(parts, 1) if p.pk == part.pk),
        "bookings": bookings,
        "marks": AttendanceMark.Mark.choices,
        "error": error,
        "unmarked": sum(1 for b in bookings if not b.part_mark),
        "started": part.starts_at <= timezone.now(),
        "assessed": session.item.is_assessed,
    }
    return render(request, "learning/register.html", context, status=400 if error else 200)
