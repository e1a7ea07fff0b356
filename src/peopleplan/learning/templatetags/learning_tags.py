"""Template helpers of the learning pages."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def govuk_time(value: dt.datetime | None) -> str:
    """A time the GOV.UK way, in local time: 9am, 2:30pm, midday."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    if value.hour == 12 and value.minute == 0:
        return "midday"
    hour = value.hour % 12 or 12
    minutes = f":{value.minute:02d}" if value.minute else ""
    return f"{hour}{minutes}{'am' if value.hour < 12 else 'pm'}"


@register.filter
def status_label(value: str) -> str:
    """A booking status in words: "waitlisted" is "On the waiting list"."""
    from peopleplan.learning.models import Booking

    return str(Booking.Status(value).label) if value in Booking.Status.values else value
