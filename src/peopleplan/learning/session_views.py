"""L&D's pages for sessions: the list with fill rates, a session with its bookings, waiting
list, reservations and history, setting one up and changing it, opening and cancelling it,
offering free places to the waiting list, and moving a learner to another session. Thin: ask
`session_admin` (the gates of these pages), change things only through `learning.services`,
render. Trainers see their own sessions, read only.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from peopleplan.learning import services
from peopleplan.learning import session_admin as admin
from peopleplan.learning.forms import DATE_FORMATS, date_filter, start_of
from peopleplan.learning.models import (
    Approval,
    Booking,
    LearningItem,
    Programme,
    Provider,
    Session,
    Venue,
)
from peopleplan.org.models import Person, Unit

PAGE_SIZE = 25
PARTS = 4  # dated parts a new session's form offers; a session's own, and one more, when changed
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]
S = Booking.Status


# --- forms -----------------------------------------------------------------------------------


class SessionFilterForm(forms.Form):
    q = forms.CharField(
        label="Learning",
        help_text="Words in the title, or its code",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    when = forms.ChoiceField(
        label="When",
        required=False,
        choices=[(admin.UPCOMING, "Coming up"), (admin.PAST, "Past"), ("all", "All")],
    )
    status = forms.ChoiceField(label="Status", required=False)
    provider = forms.TypedChoiceField(
        label="Provider", required=False, coerce=int, empty_value=None
    )
    date_from = date_filter("Starting from", example="27/03/2027", which="first")
    date_to = date_filter("Starting by", example="30/06/2027", which="last")

    def __init__(self, *args, providers: list[Provider], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            ("", "Any status"),
            (Session.Status.PLANNED, "Planned"),
            (Session.Status.OPEN, "Open, with places"),
            (admin.FULL, "Full"),
            (Session.Status.CANCELLED, "Cancelled"),
            (Session.Status.COMPLETED, "Completed"),
        ]
        self.fields["status"].error_messages["invalid_choice"] = "Choose a status from the list"
        self.fields["when"].error_messages["invalid_choice"] = "Choose when from the list"
        self.fields["provider"].choices = [("", "Any provider")] + [
            (p.pk, p.name) for p in providers
        ]
        self.fields["provider"].error_messages["invalid_choice"] = "Choose a provider from the list"

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The last date must be the same as or after the first date")
        return data


def _datetime_field(label: str, help_text: str) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=f"{label} (optional)",
        help_text=help_text,
        required=False,
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"invalid": f"Enter when {label.lower()} as a date and time"},
    )


class SessionForm(forms.Form):
    """A session's details. A new session asks for its item by the item's code."""

    item_code = forms.CharField(
        label="Learning item code",
        help_text="As shown on the page of the item, for example SAFE-101",
        max_length=40,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
        error_messages={"required": "Enter the code of the learning item"},
    )
    venue = forms.TypedChoiceField(label="Venue", required=False, coerce=int, empty_value=None)
    online_url = forms.URLField(
        label="Online link",
        help_text="For a webinar, or a session people can join online. Give a venue, a link, "
        "or both.",
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={"invalid": "Enter the online link as a web address, like https://…"},
    )
    trainers = forms.CharField(
        label="Employee numbers of the trainers (optional)",
        help_text="Separate them with commas. Trainers can see the session and mark its registers.",
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    capacity = forms.IntegerField(
        label="Capacity",
        help_text="The most people who can have a place",
        min_value=1,
        max_value=10000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter the capacity",
            "invalid": "Enter the capacity as a whole number, like 20",
            "min_value": "The capacity must be at least 1",
            "max_value": "The capacity must be 10,000 or fewer",
        },
    )
    minimum = forms.IntegerField(
        label="Minimum number (optional)",
        help_text="With fewer booked than this, the session is flagged as below its minimum",
        required=False,
        min_value=0,
        max_value=10000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": "Enter the minimum as a whole number, like 6",
            "min_value": "The minimum must be 0 or more",
            "max_value": "The minimum must be 10,000 or fewer",
        },
    )
    booking_opens_at = _datetime_field("Booking opens", "Leave blank to open it straight away")
    booking_closes_at = _datetime_field(
        "Booking closes", "Leave blank to take bookings until the session starts"
    )
    cancellation_cutoff_at = _datetime_field(
        "Cancellation cut-off",
        "A cancellation after this is recorded as late. Leave blank: the start of the session",
    )
    approval = forms.ChoiceField(
        label="Who must approve a booking?",
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose who must approve a booking"},
    )
    offer_hold_hours = forms.IntegerField(
        label="Hours an offered place is held",
        help_text="Never more than half the time left before the session starts",
        min_value=1,
        max_value=720,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter the hours an offered place is held",
            "invalid": "Enter the hours as a whole number, like 48",
            "min_value": "Hold an offered place for at least 1 hour",
            "max_value": "Hold an offered place for 720 hours or fewer",
        },
    )
    open_now = forms.BooleanField(label="Open it for booking straight away", required=False)

    def __init__(
        self,
        *args,
        venues: list[Venue],
        session: Session | None = None,
        rows: int = PARTS,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.session = session
        self.rows = rows
        self.item: LearningItem | None = session.item if session else None
        self.parts: list[tuple[dt.datetime, dt.datetime]] = []
        self.fields["venue"].choices = [("", "No venue (online only)")] + [
            (v.pk, v.name) for v in venues
        ]
        self.fields["venue"].error_messages["invalid_choice"] = "Choose a venue from the list"
        as_item = "As the learning item"
        if self.item:
            as_item += f" ({self.item.get_approval_display().lower()})"
        self.fields["approval"].choices = [("", as_item), *Approval.choices]
        for n in range(1, rows + 1):
            self.fields[f"part{n}_date"] = forms.DateField(
                label="Date",
                required=False,
                input_formats=["%Y-%m-%d", *DATE_FORMATS],
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                error_messages={"invalid": f"Enter the date of part {n} as a real date"},
            )
            for end, label in (("start", "Starts at"), ("end", "Ends at")):
                self.fields[f"part{n}_{end}"] = forms.TimeField(
                    label=label,
                    required=False,
                    input_formats=["%H:%M", "%H.%M", "%H:%M:%S"],
                    widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                    error_messages={
                        "invalid": f"Enter the {end} time of part {n} as a time, like 09:30"
                    },
                )
        if session is not None:
            del self.fields["item_code"]
            del self.fields["open_now"]

    def part_rows(self):
        return [
            (n, self[f"part{n}_date"], self[f"part{n}_start"], self[f"part{n}_end"])
            for n in range(1, self.rows + 1)
        ]

    def clean_item_code(self):
        code = self.cleaned_data["item_code"].strip()
        item = LearningItem.objects.filter(code__iexact=code).first()
        if item is None:
            raise forms.ValidationError("No learning item has that code")
        if not item.is_active:
            raise forms.ValidationError("That learning item is retired: it cannot have sessions")
        self.item = item
        return code

    def clean_trainers(self):
        numbers = list(
            dict.fromkeys(n.strip() for n in self.cleaned_data["trainers"].split(",") if n.strip())
        )
        found = {p.employee_number: p for p in Person.objects.filter(employee_number__in=numbers)}
        missing = [n for n in numbers if n not in found]
        if missing:
            raise forms.ValidationError(f"No one has the employee number {', '.join(missing)}")
        return [found[n] for n in numbers]

    def _clean_parts(self, data: dict) -> None:
        tz = timezone.get_current_timezone()
        for n in range(1, self.rows + 1):
            names = {k: f"part{n}_{k}" for k in ("date", "start", "end")}
            given = [k for k, name in names.items() if self.data.get(self.add_prefix(name))]
            if not given:
                continue
            values = {k: data.get(name) for k, name in names.items()}
            for k, name in names.items():
                if values[k] is None and name not in self.errors:
                    words = "date" if k == "date" else f"{k} time"
                    self.add_error(name, f"Enter the {words} of part {n}")
            if None in values.values():
                continue
            if values["end"] <= values["start"]:
                self.add_error(names["end"], f"Part {n} must end after it starts")
                continue
            self.parts.append(
                (
                    dt.datetime.combine(values["date"], values["start"], tzinfo=tz),
                    dt.datetime.combine(values["date"], values["end"], tzinfo=tz),
                )
            )
        if not self.parts and not any(name.startswith("part") for name in self.errors):
            self.add_error("part1_date", "Enter the date of the session")

    def clean(self):
        data = super().clean()
        self._clean_parts(data)
        if data.get("venue") is None and not data.get("online_url") and "venue" not in self.errors:
            self.add_error("venue", "Choose a venue or give an online link, or both")
        capacity, minimum = data.get("capacity"), data.get("minimum")
        if capacity and minimum and minimum > capacity:
            self.add_error("minimum", "The minimum must be no more than the capacity")
        return data

    def values(self, venues: dict[int, Venue]) -> dict:
        data = self.cleaned_data
        return {
            "venue": venues.get(data["venue"]) if data["venue"] else None,
            "online_url": data["online_url"],
            "capacity": data["capacity"],
            "minimum": data["minimum"] or 0,
            "booking_opens_at": data["booking_opens_at"],
            "booking_closes_at": data["booking_closes_at"],
            "cancellation_cutoff_at": data["cancellation_cutoff_at"],
            "approval": data["approval"] or "",
            "offer_hold_hours": data["offer_hold_hours"],
        }

    def refuse(self, error: services.SessionError) -> None:
        """Put a refusal of the services on the field it names."""
        field = {"parts": "part1_date", "item": "item_code"}.get(error.field, error.field)
        self.add_error(field if field in self.fields else None, str(error))


def _initial(session: Session, parts: list) -> dict:
    def local(value):
        return timezone.localtime(value) if value else None

    initial = {
        "venue": session.venue_id,
        "online_url": session.online_url,
        "trainers": ", ".join(p.employee_number for p in session.trainers.all()),
        "capacity": session.capacity,
        "minimum": session.minimum,
        "booking_opens_at": local(session.booking_opens_at),
        "booking_closes_at": local(session.booking_closes_at),
        "cancellation_cutoff_at": local(session.cancellation_cutoff_at),
        "approval": session.approval,
        "offer_hold_hours": session.offer_hold_hours,
    }
    for n, part in enumerate(parts, 1):
        start, end = local(part.starts_at), local(part.ends_at)
        initial[f"part{n}_date"] = start.date()
        initial[f"part{n}_start"] = start.time()
        initial[f"part{n}_end"] = end.time()
    return initial


class CancelSessionForm(forms.Form):
    reason = forms.CharField(
        label="Why is the session cancelled?",
        help_text="Everyone booked, offered a place, waiting or asking for approval is told "
        "this reason",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter the reason the session is cancelled",
            "max_length": "The reason must be 1000 characters or fewer",
        },
    )


class MoveForm(forms.Form):
    to = forms.ChoiceField(
        label="Which session should they move to?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the session to move them to",
            "invalid_choice": "Select one of the sessions listed",
        },
    )

    def __init__(self, *args, targets: list[Session], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [(str(s.pk), str(s.pk)) for s in targets]


# --- the list --------------------------------------------------------------------------------


def _row(session: Session) -> dict:
    label, colour = admin.shown_status(session)
    return {
        "session": session,
        "status": label,
        "colour": colour,
        "fill": admin.fill_rate(session),
        "below_minimum": admin.below_minimum(session),
        "places_left": max(session.capacity - session.held, 0),
    }


def session_list(request):
    """Sessions with their fill rates: L&D sees them all, a trainer the ones they train."""
    user = request.user
    if not admin.may_see_sessions(user):
        raise PermissionDenied
    form = SessionFilterForm(request.GET or None, providers=list(Provider.objects.all()))
    valid = form.is_valid() if request.GET else True
    data = form.cleaned_data if request.GET and valid else {}
    tz = timezone.get_current_timezone()
    date_to = data.get("date_to")
    when = data.get("when") or admin.UPCOMING
    sessions = admin.session_search(
        user,
        now=timezone.now(),
        words=data.get("q") or "",
        status=data.get("status") or "",
        when=when,
        date_from=start_of(data.get("date_from"), tz),
        date_to=start_of(date_to + dt.timedelta(days=1), tz) if date_to else None,
        provider=data.get("provider"),
    )
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "learning/sessions/list.html",
        {
            "form": form,
            "valid": valid,
            "page": page,
            "rows": [_row(s) for s in page.object_list],
            "manage": admin.may_manage_sessions(user),
            "when": when,
        },
        status=200 if valid else 400,
    )


# --- one session -----------------------------------------------------------------------------

GROUPS = [
    ("Booked", (S.BOOKED,)),
    ("Offered a place", (S.OFFERED,)),
    ("Waiting for approval", (S.REQUESTED, S.AWAITING_APPROVAL, S.APPROVED)),
    ("Attendance", (S.ATTENDED, S.PARTLY_ATTENDED, S.NO_SHOW)),
    ("Cancelled or declined", (S.CANCELLED, S.DECLINED)),
]


def _session_page(request, session: Session, *, error: str = "", status: int = 200):
    user = request.user
    now = timezone.now()
    figures = admin.with_figures(Session.objects.filter(pk=session.pk)).get()
    bookings = admin.session_bookings(user, session)
    waiting = sorted(
        (b for b in bookings if b.status == S.WAITLISTED), key=lambda b: b.waitlist_ahead
    )
    groups = [
        {"label": label, "bookings": [b for b in bookings if b.status in statuses]}
        for label, statuses in GROUPS
    ]
    reservations = list(
        session.reservations.select_related("unit", "programme").annotate(
            taken=Count("bookings", filter=Q(bookings__status__in=Booking.HOLDING))
        )
    )
    parts = list(session.parts.all())
    manage = admin.may_manage_sessions(user)
    return render(
        request,
        "learning/sessions/detail.html",
        {
            "session": session,
            "row": _row(figures),
            "parts": parts,
            "trainers": list(session.trainers.all()),
            "groups": groups,
            "waiting": waiting,
            "reservations": reservations,
            "history": admin.session_history(user, session),
            "changes": admin.session_changes(session) if manage else [],
            "manage": manage,
            "live": session.status in (Session.Status.PLANNED, Session.Status.OPEN),
            "started": bool(parts) and parts[0].starts_at <= now,
            "error": error,
            "crumbs": [("Sessions", reverse("learning:session_list"))],
        },
        status=status,
    )


def session_detail(request, session_id):
    session = admin.access_session_for_user(request.user, session_id)
    return _session_page(request, session)


@require_POST
def session_open(request, session_id):
    session = admin.access_session_for_user(request.user, session_id, manage=True)
    try:
        services.session_open(session=session, actor=request.user)
    except services.BookingError as exc:
        return _session_page(request, session, error=str(exc), status=400)
    messages.success(request, "The session is open for booking.")
    return redirect("learning:session_detail", session_id=session.pk)


@require_POST
def session_offer(request, session_id):
    session = admin.access_session_for_user(request.user, session_id, manage=True)
    try:
        offered = services.waitlist_offer(session=session, actor=request.user)
    except services.BookingError as exc:
        return _session_page(request, session, error=str(exc), status=400)
    places = "1 place" if offered == 1 else f"{offered} places"
    messages.success(request, f"{places} offered to the waiting list.")
    return redirect("learning:session_detail", session_id=session.pk)


@require_http_methods(["GET", "POST"])
def session_cancel(request, session_id):
    session = admin.access_session_for_user(request.user, session_id, manage=True)
    if session.status == Session.Status.CANCELLED:
        raise Http404
    form = CancelSessionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_cancel(
                session=session, reason=form.cleaned_data["reason"], actor=request.user
            )
        except services.BookingError as exc:
            form.add_error("reason", str(exc))
        else:
            messages.success(request, "The session is cancelled. Everyone on it has been told why.")
            return redirect("learning:session_detail", session_id=session.pk)
    live = Booking.objects.filter(session=session, status__in=Booking.ACTIVE).count()
    return render(
        request,
        "learning/sessions/cancel.html",
        {"session": session, "form": form, "live": live, "parts": list(session.parts.all())},
        status=400 if form.errors else 200,
    )


# --- setting up and changing -----------------------------------------------------------------


def _venues(session: Session | None = None) -> list[Venue]:
    q = Q(is_active=True)
    if session is not None and session.venue_id:
        q |= Q(pk=session.venue_id)
    return list(Venue.objects.filter(q).order_by("name"))


@require_http_methods(["GET", "POST"])
def session_new(request):
    user = request.user
    if not admin.may_manage_sessions(user):
        raise PermissionDenied
    venues = _venues()
    initial = {"offer_hold_hours": 48, "item_code": request.GET.get("item", "")}
    form = SessionForm(request.POST or None, venues=venues, initial=initial)
    if request.method == "POST" and form.is_valid():
        status = Session.Status.OPEN if form.cleaned_data["open_now"] else Session.Status.PLANNED
        try:
            session = services.session_create(
                item=form.item,
                parts=form.parts,
                trainers=form.cleaned_data["trainers"],
                status=status,
                actor=user,
                **form.values({v.pk: v for v in venues}),
            )
        except services.SessionError as exc:
            form.refuse(exc)
        else:
            messages.success(request, "The session is set up.")
            return redirect("learning:session_detail", session_id=session.pk)
    return render(
        request,
        "learning/sessions/form.html",
        {"form": form, "session": None},
        status=400 if form.errors else 200,
    )


def _same_to_the_minute(given: list, parts: list) -> list:
    """The form shows times to the minute: a part given as it was keeps its exact times, so
    saving other changes does not count as moving it (and send invites again)."""

    def minute(value):
        return value.replace(second=0, microsecond=0)

    kept = {(minute(p.starts_at), minute(p.ends_at)): (p.starts_at, p.ends_at) for p in parts}
    return [kept.get((minute(start), minute(end)), (start, end)) for start, end in given]


@require_http_methods(["GET", "POST"])
def session_edit(request, session_id):
    user = request.user
    session = admin.access_session_for_user(user, session_id, manage=True)
    if session.status in (Session.Status.CANCELLED, Session.Status.COMPLETED):
        raise Http404
    venues = _venues(session)
    parts = list(session.parts.all())
    form = SessionForm(
        request.POST or None,
        venues=venues,
        session=session,
        rows=max(PARTS, len(parts) + 1),
        initial=_initial(session, parts),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(
                session=session,
                parts=_same_to_the_minute(form.parts, parts),
                trainers=form.cleaned_data["trainers"],
                actor=user,
                **form.values({v.pk: v for v in venues}),
            )
        except services.SessionError as exc:
            form.refuse(exc)
        else:
            messages.success(
                request,
                "The session is saved. If its dates, times or place changed, everyone booked "
                "has been sent an updated invite.",
            )
            return redirect("learning:session_detail", session_id=session.pk)
    return render(
        request,
        "learning/sessions/form.html",
        {"form": form, "session": session},
        status=400 if form.errors else 200,
    )


# --- moving a learner ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def booking_move_choose(request, booking_id):
    """Step 1: which session of the same item."""
    booking = admin.access_booking_to_move(request.user, booking_id)
    if not admin.is_movable(booking):
        raise Http404
    targets = admin.move_targets(booking, now=timezone.now())
    form = MoveForm(
        request.POST if request.method == "POST" else None,
        targets=targets,
        initial={"to": request.GET.get("to")},
    )
    if request.method == "POST" and form.is_valid():
        url = reverse("learning:booking_move_check", args=[booking.pk])
        return redirect(f"{url}?to={form.cleaned_data['to']}")
    return render(
        request,
        "learning/sessions/move_choose.html",
        {
            "booking": booking,
            "from_parts": list(booking.session.parts.all()),
            "form": form,
            "targets": [{"session": s, "places_left": s.capacity - s.held} for s in targets],
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def booking_move_check(request, booking_id):
    """Step 2: check the answers, then move."""
    user = request.user
    booking = admin.access_booking_to_move(user, booking_id)
    target = (
        Session.objects.select_related("item", "venue")
        .filter(pk=admin.pk_of(request.GET.get("to")), item_id=booking.session.item_id)
        .first()
    )
    if target is None or not admin.is_movable(booking):
        raise Http404
    error = ""
    if request.method == "POST":
        try:
            moved = services.booking_transfer(booking=booking, to_session=target, actor=user)
        except services.BookingError as exc:
            error = str(exc)
        else:
            return redirect("learning:booking_moved", booking_id=moved.pk)
    return render(
        request,
        "learning/sessions/move_check.html",
        {
            "booking": booking,
            "from_parts": list(booking.session.parts.all()),
            "target": target,
            "to_parts": list(target.parts.all()),
            "error": error,
        },
        status=400 if error else 200,
    )


def booking_moved(request, booking_id):
    """Step 3: done."""
    booking = admin.access_booking_to_move(request.user, booking_id)
    if not booking.events.filter(reason__startswith="Moved from session").exists():
        raise Http404  # not a booking made by a move
    return render(
        request,
        "learning/sessions/moved.html",
        {"booking": booking, "parts": list(booking.session.parts.all())},
    )


# --- reserved places -------------------------------------------------------------------------


class ReserveForm(forms.Form):
    """Places kept for one unit (and everything under it), shared among directorates by
    headcount, or for a programme's cohort, until a release time."""

    UNIT, PRO_RATA, PROGRAMME = "unit", "pro_rata", "programme"
    holder = forms.ChoiceField(
        label="Who are the places for?",
        widget=forms.RadioSelect,
        choices=[
            (UNIT, "The people of one part of the council"),
            (PRO_RATA, "Directorates, shared by their headcount"),
            (PROGRAMME, "A programme's cohort"),
        ],
        error_messages={"required": "Select who the places are for"},
    )
    unit_code = forms.CharField(
        label="Unit code",
        help_text="For one part of the council: its code, for example ADU",
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    directorates = forms.MultipleChoiceField(
        label="Directorates",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    programme = forms.ChoiceField(label="Programme", required=False)
    places = forms.IntegerField(
        label="Number of places",
        min_value=1,
        error_messages={
            "required": "Enter the number of places",
            "invalid": "Enter the number of places as a whole number",
            "min_value": "Reserve at least 1 place",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    release_at = _datetime_field(
        "Open to everyone from", "Unused reserved places open to everyone then"
    )

    def __init__(self, *args, directorates: list, programmes: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["directorates"].choices = [(str(u.pk), u.name) for u in directorates]
        self.fields["programme"].choices = [("", "Choose a programme")] + [
            (str(p.pk), p.title) for p in programmes
        ]
        self.unit = None

    def clean(self):
        data = super().clean()
        holder = data.get("holder")
        if holder == self.UNIT:
            code = (data.get("unit_code") or "").strip()
            units = Unit.objects.filter(code__iexact=code, is_active=True)
            self.unit = units.first() if code else None
            if not code:
                self.add_error("unit_code", "Enter the code of the unit")
            elif self.unit is None:
                self.add_error("unit_code", f"There is no unit with the code {code}")
        elif holder == self.PRO_RATA and not data.get("directorates"):
            self.add_error("directorates", "Select the directorates to share the places among")
        elif holder == self.PROGRAMME and not data.get("programme"):
            self.add_error("programme", "Choose the programme")
        return data


@require_http_methods(["GET", "POST"])
def session_reserve(request, session_id):
    session = admin.access_session_for_user(request.user, session_id, manage=True)
    if session.status not in (Session.Status.PLANNED, Session.Status.OPEN):
        raise Http404
    directorates = list(
        Unit.objects.filter(unit_type__iexact="directorate", is_active=True).order_by("name")
    )
    programmes = list(Programme.objects.order_by("title"))
    form = ReserveForm(
        request.POST if request.method == "POST" else None,
        directorates=directorates,
        programmes=programmes,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["holder"] == ReserveForm.PRO_RATA:
                chosen = [u for u in directorates if str(u.pk) in data["directorates"]]
                made = services.reservations_pro_rata(
                    session=session,
                    units=chosen,
                    places=data["places"],
                    release_at=data["release_at"],
                    actor=request.user,
                )
                shares = ", ".join(f"{r.places} for {r.unit.name}" for r in made)
                done = f"Places reserved by headcount: {shares}." if made else ""
            else:
                programme = (
                    Programme.objects.get(pk=data["programme"])
                    if data["holder"] == ReserveForm.PROGRAMME
                    else None
                )
                made = [
                    services.reservation_add(
                        session=session,
                        places=data["places"],
                        unit=form.unit,
                        programme=programme,
                        release_at=data["release_at"],
                        actor=request.user,
                    )
                ]
                done = f"{data['places']} places reserved for {made[0].holder_name}."
        except services.BookingError as exc:
            form.add_error("places", str(exc))
        else:
            if done:
                messages.success(request, done)
            else:
                messages.info(request, "No one is in post in those directorates: nothing reserved.")
            return redirect("learning:session_detail", session_id=session.pk)
    return render(
        request,
        "learning/sessions/reserve.html",
        {"session": session, "form": form, "parts": list(session.parts.all())},
        status=400 if form.errors else 200,
    )


@require_POST
def reservation_remove(request, session_id, reservation_id):
    session = admin.access_session_for_user(request.user, session_id, manage=True)
    reservation = (
        session.reservations.select_related("unit", "programme")
        .filter(pk=admin.pk_of(reservation_id))
        .first()
    )
    if reservation is None:
        raise Http404
    name = reservation.holder_name
    services.reservation_remove(reservation=reservation, actor=request.user)
    messages.success(request, f"Places for {name} are no longer reserved.")
    return redirect("learning:session_detail", session_id=session.pk)
