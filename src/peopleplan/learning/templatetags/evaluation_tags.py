"""`{% evaluation_waiting %}`: a notice, on the pages a learner visits, that feedback forms are
waiting for their answers, with a link to "Your feedback". One query; nothing when none wait."""

from __future__ import annotations

from django import template

from peopleplan.learning.evaluation import requests_for_user

register = template.Library()


@register.inclusion_tag("learning/_evaluation_waiting.html", takes_context=True)
def evaluation_waiting(context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    waiting = requests_for_user(user).filter(responded_at__isnull=True).count() if user else 0
    return {"waiting": waiting}
