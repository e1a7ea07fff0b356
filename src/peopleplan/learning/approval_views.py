"""The approvers' queue: the requests this user may decide now, each with approve and decline
(a reason needed to decline). Decisions go through `services.booking_decide`."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from peopleplan.learning import approvals, services


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "Approve"), ("decline", "Decline")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select approve or decline"},
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed to decline; the learner sees it.",
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "decline" and not data.get("reason", "").strip():
            self.add_error("reason", "Give a reason for declining")
        return data


def approvals_list(request):
    queue = list(
        approvals.approval_queue(request.user, now=timezone.now()).select_related("session__venue")
    )
    return render(
        request,
        "learning/approvals.html",
        {"queue": queue, "escalated_after": approvals.escalate_after().days},
    )


@require_POST
def approval_decide(request, booking_id):
    try:
        pk = int(booking_id)
    except ValueError:
        raise Http404 from None
    booking = approvals.approval_queue(request.user).filter(pk=pk).first()
    if booking is None:
        raise Http404
    form = DecisionForm(request.POST)
    if not form.is_valid():
        queue = list(approvals.approval_queue(request.user))
        return render(
            request,
            "learning/approvals.html",
            {
                "queue": queue,
                "failed": booking.pk,
                "form": form,
                "escalated_after": approvals.escalate_after().days,
            },
            status=400,
        )
    approve = form.cleaned_data["decision"] == "approve"
    try:
        services.booking_decide(
            booking=booking,
            approve=approve,
            reason=form.cleaned_data["reason"],
            actor=request.user,
            ld_step=booking.as_ld,
        )
    except services.BookingError as refused:
        messages.info(request, str(refused))
    else:
        word = "approved" if approve else "declined"
        messages.success(
            request,
            f"{booking.person.full_name}'s request for {booking.session.item.title} was {word}.",
        )
    return redirect("learning:approvals")
