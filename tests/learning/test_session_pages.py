"""L&D's session pages: the list with fill rates, a session, setting up and changing one,
opening and cancelling it, offering places, and moving a learner."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from peopleplan.learning import services
from peopleplan.learning.models import Booking, Provider, Session, Venue
from tests.factories import AssignmentFactory, LearningItemFactory, SessionFactory

S = Booking.Status


def book(session, person):
    return services.booking_create(session=session, person=person, actor=None)


def day(days=30):
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def form_data(**changes):
    data = {
        "item_code": "",
        "venue": "",
        "online_url": "https://meet.example/safeguarding",
        "trainers": "",
        "capacity": "12",
        "minimum": "4",
        "booking_opens_at": "",
        "booking_closes_at": "",
        "cancellation_cutoff_at": "",
        "approval": "",
        "offer_hold_hours": "48",
        "part1_date": day(),
        "part1_start": "09:30",
        "part1_end": "16:00",
    }
    data.update(changes)
    return data


# --- the list --------------------------------------------------------------------------------


def test_the_list_shows_fill_rates_and_the_minimum(client, cast):
    people = [AssignmentFactory().person for _ in range(4)]
    session = SessionFactory(capacity=4, minimum=3, item=LearningItemFactory(title="Safeguarding"))
    book(session, people[0])
    book(session, people[1])
    full = SessionFactory(capacity=1, item=LearningItemFactory(title="First aid"))
    book(full, people[2])
    book(full, people[3])
    client.force_login(cast.ld_admin)
    response = client.get(reverse("learning:session_list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Safeguarding" in page and "50%" in page and "Below minimum of 3" in page
    assert "First aid" in page and "100%" in page and ">Full<" in page
    assert reverse("learning:session_detail", args=[session.pk]) in page


def test_the_list_filters(client, cast):
    provider = Provider.objects.create(name="Skills for Care")
    near = SessionFactory(item=LearningItemFactory(title="Moving and handling", provider=provider))
    SessionFactory(item=LearningItemFactory(title="Data protection"))
    SessionFactory(
        item=LearningItemFactory(title="Old course"),
        starts_at=timezone.now() - dt.timedelta(days=40),
    )
    SessionFactory(item=LearningItemFactory(title="Planned one"), status=Session.Status.PLANNED)
    client.force_login(cast.ld_admin)
    url = reverse("learning:session_list")

    def titles(**params):
        response = client.get(url, params)
        assert response.status_code == 200
        return {r["session"].item.title for r in response.context["rows"]}

    assert titles() == {"Moving and handling", "Data protection", "Planned one"}
    assert titles(q="moving") == {"Moving and handling"}
    assert titles(provider=provider.pk) == {"Moving and handling"}
    assert titles(when="past") == {"Old course"}
    assert titles(status="planned") == {"Planned one"}
    assert titles(when="all", date_from=day(29), date_to=day(31)) == {
        "Moving and handling",
        "Data protection",
        "Planned one",
    }
    assert titles(when="all", date_to=day(-30)) == {"Old course"}
    assert near.pk


def test_bad_filters_say_which(client, cast):
    client.force_login(cast.ld_admin)
    response = client.get(
        reverse("learning:session_list"), {"date_from": "31/02/2027", "status": "nonsense"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter the first date as a real date" in page
    assert "Choose a status from the list" in page


def test_the_list_is_a_fixed_number_of_queries(client, cast):
    client.force_login(cast.ld_admin)
    url = reverse("learning:session_list")
    people = [AssignmentFactory().person for _ in range(3)]

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    SessionFactory()
    few = count()
    for _ in range(15):
        session = SessionFactory(venue=Venue.objects.create(name="Hall"))
        for person in people:
            book(session, person)
    assert count() == few


def test_a_trainer_sees_only_their_sessions(client, cast):
    mine = SessionFactory(item=LearningItemFactory(title="Mine"))
    mine.trainers.add(cast.outsider.person)
    SessionFactory(item=LearningItemFactory(title="Not mine"))
    client.force_login(cast.outsider)
    response = client.get(reverse("learning:session_list"))
    assert {r["session"].item.title for r in response.context["rows"]} == {"Mine"}
    assert "Set up a session" not in response.content.decode()
    page = client.get(reverse("learning:session_detail", args=[mine.pk])).content.decode()
    assert "Change the session" not in page and "Cancel the session" not in page
    assert client.get(reverse("learning:session_edit", args=[mine.pk])).status_code == 403


# --- a session -------------------------------------------------------------------------------


def test_the_session_page_shows_bookings_waiting_list_and_registers(client, cast):
    people = [AssignmentFactory().person for _ in range(4)]
    session = SessionFactory(capacity=1)
    book(session, people[0])
    for person in people[1:]:
        book(session, person)
    client.force_login(cast.ld_admin)
    response = client.get(reverse("learning:session_detail", args=[session.pk]))
    assert response.status_code == 200
    waiting = response.context["waiting"]
    assert [b.person for b in waiting] == people[1:]
    assert [b.waitlist_ahead + 1 for b in waiting] == [1, 2, 3]
    page = response.content.decode()
    assert reverse("learning:register", args=[session.parts.get().pk]) in page
    assert people[0].full_name in page
    assert page.count("Move<span") == 4


def test_the_session_page_is_a_fixed_number_of_queries(client, cast):
    session = SessionFactory(capacity=3)
    client.force_login(cast.ld_admin)
    url = reverse("learning:session_detail", args=[session.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    book(session, AssignmentFactory().person)
    few = count()
    for _ in range(8):
        book(session, AssignmentFactory().person)
    assert count() == few


# --- setting up, changing, opening -------------------------------------------------------------


def test_setting_up_a_session(client, cast):
    item = LearningItemFactory(code="SAFE-101")
    trainer = cast.outsider.person
    client.force_login(cast.ld_admin)
    response = client.post(
        reverse("learning:session_new"),
        form_data(
            item_code="safe-101",
            trainers=trainer.employee_number,
            part2_date=day(31),
            part2_start="09:30",
            part2_end="12:30",
        ),
    )
    session = Session.objects.get(item=item)
    assert response.status_code == 302
    assert response["Location"] == reverse("learning:session_detail", args=[session.pk])
    assert session.status == Session.Status.PLANNED
    assert session.parts.count() == 2 and list(session.trainers.all()) == [trainer]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"item_code": "NOPE"}, "No learning item has that code"),
        ({"capacity": "0"}, "The capacity must be at least 1"),
        ({"capacity": "ten"}, "Enter the capacity as a whole number"),
        ({"minimum": "20"}, "The minimum must be no more than the capacity"),
        ({"online_url": ""}, "Choose a venue or give an online link"),
        ({"part1_date": ""}, "Enter the date of part 1"),
        ({"part1_date": "", "part1_start": "", "part1_end": ""}, "Enter the date of the session"),
        ({"part1_end": "08:00"}, "Part 1 must end after it starts"),
        ({"part2_date": day(31)}, "Enter the start time of part 2"),
        ({"trainers": "X999"}, "No one has the employee number X999"),
        ({"cancellation_cutoff_at": f"{day(40)}T09:00"}, "cut-off must be before"),
        (
            {"booking_opens_at": f"{day(5)}T09:00", "booking_closes_at": f"{day(4)}T09:00"},
            "Booking must close after it opens",
        ),
    ],
)
def test_bad_sessions_are_refused_naming_the_field(client, cast, changes, message):
    LearningItemFactory(code="SAFE-101")
    client.force_login(cast.ld_admin)
    response = client.post(
        reverse("learning:session_new"), form_data(**{"item_code": "SAFE-101", **changes})
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'class="govuk-error-summary"' in response.content.decode()
    assert not Session.objects.exists()


def test_lowering_capacity_below_the_booked_names_the_field(client, cast):
    # At nine in the morning, so that the day's part ends the same day whenever this runs.
    nine = (timezone.localtime() + dt.timedelta(days=30)).replace(hour=9, minute=0, second=0)
    session = SessionFactory(capacity=3, online_url="https://meet.example/x", starts_at=nine)
    for _ in range(2):
        book(session, AssignmentFactory().person)
    client.force_login(cast.ld_admin)
    url = reverse("learning:session_edit", args=[session.pk])
    form = client.get(url).context["form"]
    assert form.initial["capacity"] == 3
    start = timezone.localtime(session.parts.get().starts_at)
    data = form_data(
        capacity="1",
        part1_date=start.date().isoformat(),
        part1_start=start.strftime("%H:%M"),
        part1_end=(start + dt.timedelta(hours=7)).strftime("%H:%M"),
        minimum="0",
    )
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "The capacity cannot be less than the 2 places" in page
    assert 'href="#id_capacity"' in page


def test_changing_the_date_sends_updated_invites(client, cast, django_capture_on_commit_callbacks):
    session = SessionFactory(capacity=3, online_url="https://meet.example/x")
    booking = book(session, cast.learner.person)
    client.force_login(cast.ld_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("learning:session_edit", args=[session.pk]),
            form_data(part1_date=day(50), minimum="0"),
        )
    assert response.status_code == 302
    (message,) = [m for m in mail.outbox if m.subject.startswith("Changed:")]
    assert message.to == [booking.person.email]


def test_opening_a_planned_session(client, cast):
    session = SessionFactory(status=Session.Status.PLANNED)
    client.force_login(cast.ld_admin)
    response = client.post(reverse("learning:session_open", args=[session.pk]))
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == Session.Status.OPEN
    again = client.post(reverse("learning:session_open", args=[session.pk]))
    assert again.status_code == 400
    assert "Only a planned session can be opened" in again.content.decode()


def test_offering_places_from_the_page(client, cast):
    session = SessionFactory(capacity=1)
    book(session, AssignmentFactory().person)
    waiting = book(session, AssignmentFactory().person)
    Session.objects.filter(pk=session.pk).update(capacity=2)  # as if a place had freed
    client.force_login(cast.ld_admin)
    response = client.post(reverse("learning:session_offer", args=[session.pk]))
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == S.OFFERED
    again = client.post(reverse("learning:session_offer", args=[session.pk]))
    assert again.status_code == 400
    assert "No one is on the waiting list" in again.content.decode()


# --- cancelling ------------------------------------------------------------------------------


def test_cancelling_a_session_from_the_page(client, cast, django_capture_on_commit_callbacks):
    session = SessionFactory(capacity=3)
    booking = book(session, cast.learner.person)
    client.force_login(cast.ld_admin)
    url = reverse("learning:session_cancel", args=[session.pk])
    page = client.get(url).content.decode()
    assert "govuk-warning-text" in page and "This cancels 1 booking" in page
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400
    assert "Enter the reason the session is cancelled" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "The trainer is ill"})
    assert response.status_code == 302
    session.refresh_from_db()
    booking.refresh_from_db()
    assert session.status == Session.Status.CANCELLED
    assert session.cancelled_reason == "The trainer is ill"
    assert booking.status == S.CANCELLED
    (message,) = mail.outbox
    assert "The reason given: The trainer is ill" in message.body
    assert client.get(url).status_code == 404  # cancelled already


# --- moving a learner ------------------------------------------------------------------------


def test_moving_a_learner_through_the_pages(client, cast, django_capture_on_commit_callbacks):
    item = LearningItemFactory()
    old = SessionFactory(item=item, capacity=1)
    new = SessionFactory(item=item, starts_at=timezone.now() + dt.timedelta(days=60))
    full = SessionFactory(item=item, capacity=1)
    book(full, AssignmentFactory().person)
    SessionFactory(item=LearningItemFactory())  # another item: not offered
    booking = book(old, cast.learner.person)
    client.force_login(cast.ld_admin)
    choose = reverse("learning:booking_move_choose", args=[booking.pk])
    response = client.get(choose)
    assert [t["session"] for t in response.context["targets"]] == [new]
    refused = client.post(choose, {})
    assert refused.status_code == 400
    assert "Select the session to move them to" in refused.content.decode()
    response = client.post(choose, {"to": new.pk})
    check = reverse("learning:booking_move_check", args=[booking.pk]) + f"?to={new.pk}"
    assert response["Location"] == check
    assert "Check your answers" in client.get(check).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(check)
    moved = Booking.objects.get(session=new, person=cast.learner.person)
    assert response["Location"] == reverse("learning:booking_moved", args=[moved.pk])
    assert "is moved" in client.get(response["Location"]).content.decode()
    booking.refresh_from_db()
    assert booking.status == S.CANCELLED
    (message,) = mail.outbox
    assert message.subject.startswith("Moved to another session")


def test_a_move_to_a_full_session_is_refused_on_the_check_page(client, cast):
    item = LearningItemFactory()
    old, full = SessionFactory(item=item), SessionFactory(item=item, capacity=1)
    booking = book(old, cast.learner.person)
    book(full, AssignmentFactory().person)
    client.force_login(cast.ld_admin)
    check = reverse("learning:booking_move_check", args=[booking.pk]) + f"?to={full.pk}"
    response = client.post(check)
    assert response.status_code == 400
    assert "has no place" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == S.BOOKED


def test_a_move_to_another_item_is_not_found(client, cast):
    booking = book(SessionFactory(), cast.learner.person)
    other = SessionFactory()
    client.force_login(cast.ld_admin)
    check = reverse("learning:booking_move_check", args=[booking.pk]) + f"?to={other.pk}"
    assert client.get(check).status_code == 404
    assert client.post(check).status_code == 404


def test_a_session_with_many_parts_keeps_them_all_when_changed(client, cast):
    session = SessionFactory(online_url="https://meet.example/x")
    # Fixed times of day: a part starting late in the evening would end after midnight,
    # which the form rightly refuses, so the test must not depend on when it runs.
    first = timezone.localtime().replace(hour=9, minute=30, second=0, microsecond=0)
    parts = [
        (first + dt.timedelta(days=30 + n), first + dt.timedelta(days=30 + n, hours=3))
        for n in range(5)
    ]
    services.session_update(session=session, parts=parts, actor=None)
    Session.objects.filter(pk=session.pk).update(sequence=0)
    client.force_login(cast.ld_admin)
    url = reverse("learning:session_edit", args=[session.pk])
    form = client.get(url).context["form"]
    assert form.rows == 6
    data = {
        name: form[name].value() for name in form.fields if form[name].value() not in (None, "")
    }
    data = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}
    data = {k: (v[:5] if k.endswith(("_start", "_end")) else v) for k, v in data.items()}
    data["capacity"] = "25"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    session.refresh_from_db()
    assert session.capacity == 25 and session.parts.count() == 5
    assert session.sequence == 0  # the same dates: no invites sent again


def test_the_done_page_is_only_for_a_move(client, cast):
    booking = book(SessionFactory(), cast.learner.person)
    client.force_login(cast.ld_admin)
    assert client.get(reverse("learning:booking_moved", args=[booking.pk])).status_code == 404
