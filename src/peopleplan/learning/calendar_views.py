"""A member of staff's booked sessions as a calendar feed at a secret address, which their
calendar (Outlook, Google, a phone) subscribes to. The address is the credential: the feed
answers without a login, and a new address makes the old one stop working."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from peopleplan.learning import selectors, services
from peopleplan.learning.messages import feed_calendar


@login_not_required
@require_GET
def calendar_feed(request, token):
    bookings = selectors.feed_bookings(token, now=timezone.now())
    if bookings is None:
        raise Http404
    council = settings.PEOPLEPLAN.get("COUNCIL_NAME", "peopleplan")
    response = HttpResponse(
        feed_calendar(bookings, name=f"Learning bookings ({council})"),
        content_type="text/calendar; charset=utf-8",
    )
    response["Cache-Control"] = "private, max-age=900"
    return response


@require_POST
def calendar_feed_reset(request):
    """Make the user's calendar address (or a new one, which stops the old one working)."""
    if not request.user.person_id:
        raise Http404
    had = hasattr(request.user, "calendar_feed")
    services.calendar_feed_reset(user=request.user)
    messages.success(
        request,
        "Your calendar address has changed: the old one no longer works."
        if had
        else "Your calendar address is ready: copy it into your calendar.",
    )
    return redirect("learning:bookings")
