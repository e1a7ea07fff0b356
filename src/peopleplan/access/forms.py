"""The sign-in and password reset forms, with the GOV.UK wording for labels and errors."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm


class LoginForm(AuthenticationForm):
    """Sign in by email address and password. The field is called `username` because
    django-axes counts failures by that field (AXES_USERNAME_FORM_FIELD)."""

    error_messages = {
        "invalid_login": "Enter a correct email address and password",
        "inactive": "This account has been closed",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        username = self.fields["username"]
        username.label = "Email address"
        username.widget = forms.EmailInput(
            attrs={"autocomplete": "email", "spellcheck": "false", "autocapitalize": "none"}
        )
        username.error_messages["required"] = "Enter your email address"
        password = self.fields["password"]
        password.error_messages["required"] = "Enter your password"
        password.widget.attrs.update(
            {"autocomplete": "current-password", "spellcheck": "false", "autocapitalize": "none"}
        )

    def clean_username(self) -> str:
        # Accounts hold their email address in lower case; counting failures on the same
        # lower-case name means "Sam@..." and "sam@..." share one lock-out.
        return self.cleaned_data["username"].strip().lower()


class ResetRequestForm(PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.label = "Email address"
        email.help_text = "The email address you sign in with"
        email.error_messages.update(
            {
                "required": "Enter your email address",
                "invalid": "Enter an email address in the correct format, like name@example.com",
            }
        )
        email.widget.attrs.update({"spellcheck": "false", "autocapitalize": "none"})


class NewPasswordForm(SetPasswordForm):
    error_messages = {"password_mismatch": "The passwords do not match"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        first = self.fields["new_password1"]
        first.label = "New password"
        first.error_messages["required"] = "Enter a new password"
        second = self.fields["new_password2"]
        second.label = "Confirm new password"
        second.help_text = ""
        second.error_messages["required"] = "Enter the new password again"
