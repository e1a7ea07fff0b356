"""Find learning, an item, the booking journey and My bookings. Thin: ask the access gates,
read through the selectors, change bookings only through `learning.services`, render.

The booking journey for a session: "Who is this booking for?" (only for users who may book for
others), "Check your answers", then the confirmation. The person chosen travels in the query
string and is checked against the gates at every step.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from peopleplan.access import gates
from peopleplan.core.templatetags.govuk import fte, govuk_date
from peopleplan.learning import hooks, selectors, services
from peopleplan.learning.forms import CancelForm, FindLearningForm, ManyForm, WhoForm, start_of
from peopleplan.learning.models import Approval, Booking
from peopleplan.org.models import Person

PAGE_SIZE = 20

# How a result that is mandatory for the learner is tagged: (words, GOV.UK tag colour).
MANDATORY_TAGS = {
    hooks.URGENT: ("Mandatory for you: overdue", "govuk-tag--red"),
    hooks.SOON: ("Mandatory for you: due soon", "govuk-tag--yellow"),
    hooks.HELD: ("Mandatory for you: up to date", "govuk-tag--green"),
}

APPROVAL_WORDS = {
    Approval.NONE: "No approval is needed: a place is booked straight away if there is one.",
    Approval.MANAGER: "The line manager must approve the booking before a place is given.",
    Approval.MANAGER_THEN_LD: (
        "The line manager, then the learning and development team, must approve the booking "
        "before a place is given."
    ),
}


def _places(session) -> int:
    return max(session.capacity - session.held, 0)


def _window(session, now) -> tuple[bool, str]:
    """Whether the session may be booked now, and the booking window in words."""
    if session.booking_opens_at and now < session.booking_opens_at:
        return False, f"Booking opens on {govuk_date(session.booking_opens_at)}"
    if session.booking_closes_at and now > session.booking_closes_at:
        return False, f"Booking closed on {govuk_date(session.booking_closes_at)}"
    if session.booking_closes_at:
        return True, f"Book by {govuk_date(session.booking_closes_at)}"
    return True, "Book until the session starts"


def find(request):
    """Search the catalogue: every member of staff may."""
    now = timezone.now()
    form = FindLearningForm(request.GET or None, topics=selectors.topics())
    valid = form.is_valid() if request.GET else True
    tz = timezone.get_current_timezone()
    value = form.value if request.GET else (lambda name: None)
    date_from = start_of(value("date_from"), tz)
    date_to = value("date_to")
    date_end = start_of(date_to + dt.timedelta(days=1), tz) if date_to else None
    mode = value("mode") or ""
    # What is mandatory for me, and how urgent (compliance answers through `hooks`).
    mandatory = (
        hooks.mandatory_items(request.user.person_id, timezone.localdate(now))
        if request.user.person_id
        else {}
    )
    items = selectors.catalogue_search(
        now=now,
        words=value("q") or "",
        kind=value("kind") or "",
        topic=form.selected_topic if request.GET else None,
        mode=mode,
        date_from=date_from,
        date_to=date_end,
        upcoming_only=bool(value("upcoming")),
        only=mandatory if value("mandatory") else None,
    )
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    found = list(page.object_list)
    sessions = selectors.next_sessions(
        found, now=now, date_from=date_from, date_to=date_end, mode=mode
    )
    rows = []
    for item in found:
        session = sessions.get(item.pk)
        rows.append(
            {
                "item": item,
                "session": session,
                "places": _places(session) if session else None,
                "mandatory": MANDATORY_TAGS.get(mandatory.get(item.pk)),
            }
        )
    return render(
        request,
        "learning/find.html",
        {
            "form": form,
            "valid": valid,
            "page": page,
            "rows": rows,
            "filtered": any(v for k, v in request.GET.items() if k != "page"),
        },
    )


def item(request, item_id):
    item = selectors.access_item(item_id)
    now = timezone.now()
    sessions = []
    for session in selectors.item_sessions(item, now=now):
        bookable, window = _window(session, now)
        sessions.append(
            {
                "session": session,
                "parts": list(session.parts.all()),
                "places": _places(session),
                "bookable": bookable,
                "window": window,
                "approval": APPROVAL_WORDS[session.approval]
                if session.approval and session.approval != item.approval
                else "",
            }
        )
    topics = list(item.topics.all())
    hours, days = fte(item.duration_hours), fte(item.development_days)
    return render(
        request,
        "learning/item.html",
        {
            "item": item,
            "crumbs": [("Find learning", reverse("learning:find"))],
            "sessions": sessions,
            "approval": APPROVAL_WORDS[item.approval],
            "length": f"{hours} hour{'' if hours == '1' else 's'}, "
            f"{days} development day{'' if days == '1' else 's'}",
            "cost": f"£{item.cost_per_delegate:,.2f}" if item.cost_per_delegate else "Free",
            "topics": topics,
            "topic_names": ", ".join(t.name for t in topics),
            "prerequisites": [p for p in item.prerequisites.all() if p.is_active],
        },
    )


# --- the booking journey ---------------------------------------------------------------------


def _check_url(session_id: int, person_id: int) -> str:
    return reverse("learning:book_check", args=[session_id]) + f"?person={person_id}"


def book_who(request, session_id):
    """Step 1: who the booking is for, only for users who may book for others."""
    user = request.user
    session = selectors.access_session(session_id)
    if not gates.may_book_for_others(user):
        if not user.person_id:
            raise PermissionDenied
        return redirect(_check_url(session.pk, user.person_id))
    choices: list[tuple[str, str]] = []
    if user.person_id:
        choices.append((str(user.person_id), f"Myself ({user.person.full_name})"))
        reports = Person.objects.filter(pk__in=gates.report_ids(user.person_id)).order_by(
            "last_name", "first_name"
        )
        choices += [(str(p.pk), p.full_name) for p in reports]
    anyone = gates.booking_people_for_user(user) if gates.has_role(user, gates.LD_ADMIN) else None
    initial = {"person": request.GET.get("person")} if request.GET.get("person") else None
    form = WhoForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        choices=choices,
        anyone=anyone,
    )
    if request.method == "POST" and form.is_valid():
        if not gates.can_book_for(user, form.person_id):
            raise PermissionDenied
        return redirect(_check_url(session.pk, form.person_id))
    return render(
        request,
        "learning/book_who.html",
        {"form": form, "session": session, "other": WhoForm.OTHER},
    )


def book_many(request, session_id):
    """Book several people at once: a manager ticks members of their team, and a manager or an
    L&D administrator pastes a list of employee numbers. Check, confirm, then see what came of
    each booking."""
    user = request.user
    session = selectors.access_session(session_id)
    if not gates.may_book_for_others(user):
        raise PermissionDenied
    team = (
        list(
            Person.objects.filter(pk__in=gates.report_ids(user.person_id)).order_by(
                "last_name", "first_name", "pk"
            )
        )
        if user.person_id
        else []
    )
    form = ManyForm(
        request.POST if request.method == "POST" else None,
        team=team,
        anyone=gates.booking_people_for_user(user),
    )
    context = {"form": form, "session": session, "parts": selectors.session_parts(session)}
    if request.method != "POST" or not form.is_valid():
        return render(request, "learning/book_many.html", context, status=200)
    if not request.POST.get("confirm"):
        needed = {
            services.approval_still_needed(session.approval_rule, capacity)
            for capacity in gates.booking_capacities(user, [p.pk for p in form.chosen]).values()
        }
        context |= {
            "chosen": form.chosen,
            "places": _places(session),
            "approval": APPROVAL_WORDS[session.approval_rule],
            "needs_approval": needed - {""},
        }
        return render(request, "learning/book_many_check.html", context)
    capacities = gates.booking_capacities(user, [p.pk for p in form.chosen])
    try:
        outcomes = services.bookings_create_many(
            session=session,
            people=[(p, capacities[p.pk] or services.LEARNER) for p in form.chosen],
            actor=user,
        )
    except services.BookingError as refused:
        form.add_error(None, str(refused))
        return render(request, "learning/book_many.html", context, status=200)
    ahead = dict(
        services.with_waitlist_position(
            Booking.objects.filter(pk__in=[o.booking.pk for o in outcomes if o.booking])
        ).values_list("pk", "waitlist_ahead")
    )
    rows = [
        {
            "outcome": outcome,
            "position": ahead[outcome.booking.pk] + 1
            if outcome.booking and outcome.booking.status == Booking.Status.WAITLISTED
            else None,
        }
        for outcome in outcomes
    ]
    booked = sum(1 for o in outcomes if o.booking and o.booking.status == Booking.Status.BOOKED)
    return render(
        request, "learning/book_many_done.html", context | {"rows": rows, "booked": booked}
    )


def _chosen_person(request, session) -> Person:
    user = request.user
    wanted = request.POST.get("person") or request.GET.get("person") or user.person_id
    if not wanted:
        raise PermissionDenied
    try:
        pk = int(wanted)
    except (TypeError, ValueError):
        raise PermissionDenied from None
    person = gates.bookable_person(user, pk)
    if person is None:
        raise Http404
    return person


def book_check(request, session_id):
    """Check your answers, then book through the booking rules."""
    user = request.user
    session = selectors.access_session(session_id)
    person = _chosen_person(request, session)
    booked_as = gates.booking_capacity_of(user, person) or services.LEARNER
    error = ""
    if request.method == "POST":
        try:
            booking = services.booking_create(
                session=session, person=person, actor=user, booked_as=booked_as
            )
        except services.BookingError as refused:
            error = str(refused)
        else:
            return redirect("learning:booking_done", booking.pk)
    now = timezone.now()
    places = _places(session)
    approval = session.approval_rule
    needed = services.approval_still_needed(approval, booked_as)
    if needed == "manager":
        outcome = (
            "The request goes to the line manager for approval. "
            "A place is given when it is approved."
        )
    elif needed == "ld":
        outcome = (
            "Your booking counts as the manager's approval. The request goes to learning and "
            "development, and a place is given when they approve it."
        )
    elif places:
        outcome = f"A place will be booked ({places} left)."
    else:
        position = selectors.waitlist_length(session) + 1
        who = "you" if person.pk == user.person_id else person.first_name
        outcome = f"The session is full, so {who} will join the waiting list at number {position}."
    _bookable, window = _window(session, now)
    return render(
        request,
        "learning/book_check.html",
        {
            "session": session,
            "item": session.item,
            "parts": selectors.session_parts(session),
            "person": person,
            "is_me": person.pk == user.person_id,
            "can_change": gates.may_book_for_others(user),
            "approval": APPROVAL_WORDS[approval],
            "outcome": outcome,
            "window": window,
            "error": error,
            "clashes": selectors.clashes(person, session),
        },
        status=200,
    )


def booking_done(request, booking_id):
    booking = selectors.access_booking_for_user(request.user, booking_id)
    return render(
        request,
        "learning/booking_done.html",
        {
            "booking": booking,
            "is_me": booking.person_id == request.user.person_id,
            "position": services.waitlist_position(booking),
        },
    )


# --- my bookings -----------------------------------------------------------------------------


def bookings(request):
    user = request.user
    now = timezone.now()
    mine = selectors.bookings_for_person(user.person_id, now=now)
    live = [
        {
            "booking": b,
            "position": services.waitlist_position(b),
            "late": services.is_late(b, b.session, now=now, starts=b.first),
        }
        for b in mine.live
    ]
    past = Paginator(mine.past, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "learning/bookings.html",
        {
            "has_person": bool(user.person_id),
            "live": live,
            "past": past,
            "for_others": selectors.bookings_made_for_others(user, now=now),
            "to_train": selectors.parts_to_train(user.person_id, now=now),
            "now": now,
            "feed_url": request.build_absolute_uri(
                reverse("learning:calendar_feed", args=[user.calendar_feed.token])
            )
            if hasattr(user, "calendar_feed")
            else "",
        },
    )


def booking_cancel(request, booking_id):
    user = request.user
    booking = selectors.access_booking_for_user(user, booking_id)
    if booking.status not in Booking.ACTIVE:
        messages.info(request, f"This booking is {booking.get_status_display().lower()} already.")
        return redirect("learning:bookings")
    now = timezone.now()
    form = CancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        by = gates.booking_capacity_of(user, booking.person_id) or "learner"
        try:
            services.booking_cancel(
                booking=booking, actor=user, by=by, reason=form.cleaned_data["reason"]
            )
        except services.BookingError as refused:
            messages.info(request, str(refused))
        else:
            messages.success(
                request,
                f"Booking cancelled: {booking.session.item.title}"
                + (
                    ""
                    if booking.person_id == user.person_id
                    else f" for {booking.person.full_name}"
                ),
            )
        return redirect("learning:bookings")
    starts = services.session_starts_at(booking.session)
    cutoff = booking.session.cancellation_cutoff_at or starts
    return render(
        request,
        "learning/booking_cancel.html",
        {
            "booking": booking,
            "form": form,
            "is_me": booking.person_id == user.person_id,
            "late": services.is_late(booking, booking.session, now=now, starts=starts),
            "cutoff": cutoff,
        },
    )


@require_POST
def offer_accept(request, booking_id):
    booking = selectors.access_booking_for_user(request.user, booking_id)
    try:
        services.offer_accept(booking=booking, actor=request.user)
    except services.BookingError as refused:
        messages.info(request, str(refused))
    else:
        messages.success(request, f"Place accepted: {booking.session.item.title}")
    return redirect("learning:bookings")


@require_POST
def offer_decline(request, booking_id):
    booking = selectors.access_booking_for_user(request.user, booking_id)
    try:
        services.offer_decline(booking=booking, actor=request.user)
    except services.BookingError as refused:
        messages.info(request, str(refused))
    else:
        messages.success(request, f"Place declined: {booking.session.item.title}")
    return redirect("learning:bookings")
