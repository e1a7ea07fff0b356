"""Signing in by email and password, the lock-out after repeated failures, signing out, and
resetting a forgotten password by email."""

import re

import pytest
from axes.utils import reset as axes_reset
from django.core import mail
from django.urls import reverse

from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def fresh_lockouts(db):
    axes_reset()
    yield
    axes_reset()


def sign_in(client, email, password=PASSWORD, **extra):
    return client.post(reverse("access:login"), {"username": email, "password": password, **extra})


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_sign_in_page_is_a_govuk_form(client, db):
    response = client.get(reverse("access:login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="username"' in html and 'type="email"' in html
    assert 'autocomplete="current-password"' in html
    assert "govuk-password-input" in html
    assert reverse("access:password_reset") in html
    assert "govuk-header__crown" not in html and "govuk-logo" not in html


def test_sign_in_with_email_and_password(client, cast):
    response = sign_in(client, "learner@council.example")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert signed_in(client)
    assert client.get(reverse("home")).status_code == 200


def test_sign_in_ignores_the_case_of_the_email(client, cast):
    sign_in(client, "  Learner@Council.EXAMPLE ")
    assert signed_in(client)


def test_sign_in_goes_on_to_the_page_asked_for(client, cast):
    target = reverse("org:my_team")
    response = client.get(target)
    assert response["Location"] == f"{reverse('access:login')}?next={target}"
    response = sign_in(client, "manager@council.example", next=target)
    assert response["Location"] == target


def test_wrong_password_shows_the_error_summary(client, cast):
    response = sign_in(client, "learner@council.example", "wrong password")
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert 'href="#id_username"' in html
    assert "Enter a correct email address and password" in html
    assert "<title>Error: Sign in" in html
    assert not signed_in(client)


def test_empty_form_says_what_to_enter(client, db):
    html = sign_in(client, "", "").content.decode()
    assert "Enter your email address" in html
    assert "Enter your password" in html
    assert 'href="#id_password"' in html


def test_locked_out_after_five_failures(client, cast):
    for attempt in range(4):
        response = sign_in(client, "learner@council.example", f"wrong {attempt}")
        assert response.status_code == 200
    response = sign_in(client, "LEARNER@council.example", "wrong again")
    assert response.status_code == 429
    # Now even the right password is refused, and the page says what to do.
    response = sign_in(client, "learner@council.example")
    assert response.status_code == 429
    assert not signed_in(client)
    html = response.content.decode()
    assert "Your account is locked for now" in html
    assert "30 minutes" in html
    assert reverse("access:password_reset") in html
    # Other accounts are not locked.
    assert sign_in(client, "manager@council.example").status_code == 302


def test_a_password_reset_ends_the_lock_out(client, cast):
    for attempt in range(5):
        sign_in(client, "learner@council.example", f"wrong {attempt}")
    assert sign_in(client, "learner@council.example").status_code == 429
    link = request_reset_link(client, "learner@council.example")
    choose_new_password(client, link, "a brand new passphrase 42")
    assert (
        sign_in(client, "learner@council.example", "a brand new passphrase 42").status_code == 302
    )


def test_sign_out_is_a_post_from_the_header(client, cast):
    sign_in(client, "learner@council.example")
    html = client.get(reverse("home")).content.decode()
    assert f'action="{reverse("access:logout")}"' in html
    assert client.get(reverse("access:logout")).status_code == 405
    response = client.post(reverse("access:logout"))
    assert response["Location"] == reverse("access:login")
    assert not signed_in(client)
    assert "You have signed out" in client.get(reverse("access:login")).content.decode()
    assert client.get(reverse("home")).status_code == 302


# --- password reset --------------------------------------------------------------------------


def request_reset_link(client, email) -> str:
    response = client.post(reverse("access:password_reset"), {"email": email})
    assert response.status_code == 302
    assert response["Location"] == reverse("access:password_reset_done")
    message = mail.outbox[-1]
    match = re.search(r"https?://[^/\s]+(/password-reset/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def choose_new_password(client, link, password):
    response = client.get(link, follow=True)
    assert response.status_code == 200
    assert "Choose a new password" in response.content.decode()
    url = response.redirect_chain[-1][0] if response.redirect_chain else link
    response = client.post(url, {"new_password1": password, "new_password2": password})
    assert response.status_code == 302
    assert response["Location"] == reverse("access:password_reset_complete")


def test_password_reset_pages_open_without_signing_in(client, db):
    for name in (
        "access:password_reset",
        "access:password_reset_done",
        "access:password_reset_complete",
    ):
        assert client.get(reverse(name)).status_code == 200, name
    response = client.get(reverse("access:password_reset_confirm", args=["xx", "set-password"]))
    assert response.status_code == 200
    assert "The link has expired" in response.content.decode()


def test_password_reset_sends_a_plain_text_email(client, cast):
    link = request_reset_link(client, "Learner@council.example")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["learner@council.example"]
    assert message.subject == "Reset your peopleplan password"
    assert not message.alternatives
    assert "<" not in message.body
    choose_new_password(client, link, "another long passphrase 7")
    assert (
        "Your password has been changed"
        in client.get(reverse("access:password_reset_complete")).content.decode()
    )
    assert (
        sign_in(client, "learner@council.example", "another long passphrase 7").status_code == 302
    )


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, cast):
    response = client.post(reverse("access:password_reset"), {"email": "nobody@council.example"})
    assert response["Location"] == reverse("access:password_reset_done")
    assert mail.outbox == []


def test_new_password_must_pass_the_validators(client, cast):
    link = request_reset_link(client, "learner@council.example")
    response = client.get(link, follow=True)
    url = response.redirect_chain[-1][0]
    response = client.post(url, {"new_password1": "short", "new_password2": "short"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert 'href="#id_new_password1"' in html or 'href="#id_new_password2"' in html
