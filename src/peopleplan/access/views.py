"""Signing in and out, and resetting a forgotten password by email.

Django's own views, with GOV.UK templates and forms. Every view that a person who is not signed
in must reach is marked `login_not_required` (LoginRequiredMiddleware guards the rest).
"""

from axes.utils import reset as axes_reset
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator

from peopleplan.access.forms import LoginForm, NewPasswordForm, ResetRequestForm


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "access/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """Sign out (a POST from the button in the header), then back to the sign-in page."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.success(request, "You have signed out")
        return response


@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    template_name = "access/password_reset_form.html"
    form_class = ResetRequestForm
    email_template_name = "access/emails/password_reset.txt"
    subject_template_name = "access/emails/password_reset_subject.txt"
    success_url = reverse_lazy("access:password_reset_done")


@method_decorator(login_not_required, name="dispatch")
class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "access/password_reset_done.html"


@method_decorator(login_not_required, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "access/password_reset_confirm.html"
    form_class = NewPasswordForm
    success_url = reverse_lazy("access:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # A new password ends a lock-out: the person has proved they hold the mailbox.
        axes_reset(username=form.user.email)
        return response


@method_decorator(login_not_required, name="dispatch")
class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "access/password_reset_complete.html"
