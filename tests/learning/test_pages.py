"""The learning pages: find learning, an item, the booking journey, My bookings."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from peopleplan.access import gates
from peopleplan.learning import selectors, services
from peopleplan.learning.models import Approval, Booking, Topic, Venue
from tests.factories import AssignmentFactory, LearningItemFactory, SessionFactory

S = Booking.Status
FULL = "Full \N{EN DASH} join the waiting list"


def get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def book(session, person):
    return services.booking_create(session=session, person=person, actor=None)


# --- the gate ------------------------------------------------------------------------------


def test_who_may_book_for_whom(cast):
    learner = cast.learner.person
    assert gates.can_book_for(cast.learner, learner)
    assert gates.can_book_for(cast.manager, learner)
    assert gates.can_book_for(cast.senior_manager, learner)  # a report through the manager
    assert gates.can_book_for(cast.ld_admin, learner)
    assert gates.can_book_for(cast.ld_admin, cast.outsider.person)
    assert not gates.can_book_for(cast.outsider, learner)
    assert not gates.can_book_for(cast.hr_officer, learner)  # sees, but does not book
    assert not gates.can_book_for(cast.learner, cast.manager.person)
    assert gates.may_book_for_others(cast.manager)
    assert gates.may_book_for_others(cast.ld_admin)
    assert not gates.may_book_for_others(cast.learner)
    assert not gates.may_book_for_others(cast.hr_officer)
    assert gates.booking_capacity_of(cast.learner, learner) == "learner"
    assert gates.booking_capacity_of(cast.manager, learner) == "manager"
    assert gates.booking_capacity_of(cast.ld_admin, learner) == "admin"
    assert gates.booking_capacity_of(cast.outsider, learner) is None


def test_an_ld_admin_of_one_directorate_books_only_there(cast):
    from tests.factories import RoleGrantFactory

    RoleGrantFactory(user=cast.outsider, role="ld_admin", unit=cast.childrens)
    assert not gates.can_book_for(cast.outsider, cast.learner.person)
    other = AssignmentFactory(unit=cast.childrens_team).person
    assert gates.can_book_for(cast.outsider, other)


# --- find learning -------------------------------------------------------------------------


def test_find_learning_searches_and_filters(client, cast):
    topic = Topic.objects.create(name="Safeguarding", slug="safeguarding")
    venue = Venue.objects.create(name="Civic Centre")
    soon = timezone.now() + dt.timedelta(days=10)
    later = timezone.now() + dt.timedelta(days=60)
    safe = LearningItemFactory(title="Safeguarding adults", summary="Level 2", kind="workshop")
    safe.topics.add(topic)
    SessionFactory(item=safe, venue=venue, starts_at=soon, capacity=3)
    webinar = LearningItemFactory(title="Budgets explained", description="money and safeguards")
    SessionFactory(item=webinar, online_url="https://meet.example/x", starts_at=later)
    LearningItemFactory(title="Writing reports")
    LearningItemFactory(title="Retired course", is_active=False)

    def titles(**params):
        response = get(client, cast.learner, reverse("learning:find"), **params)
        assert response.status_code == 200
        return [r["item"].title for r in response.context["rows"]]

    assert titles() == ["Budgets explained", "Safeguarding adults", "Writing reports"]
    assert titles(q="safeguard") == ["Budgets explained", "Safeguarding adults"]
    assert titles(q="safeguarding level") == ["Safeguarding adults"]
    assert titles(kind="workshop") == ["Safeguarding adults"]
    assert titles(topic=topic.pk) == ["Safeguarding adults"]
    assert titles(mode="online") == ["Budgets explained"]
    assert titles(mode="in_person") == ["Safeguarding adults"]
    assert titles(upcoming="on") == ["Budgets explained", "Safeguarding adults"]
    in_a_month = (timezone.now() + dt.timedelta(days=30)).date().isoformat()
    assert titles(date_from=in_a_month) == ["Budgets explained"]
    assert titles(date_to=in_a_month) == ["Safeguarding adults"]

    response = get(client, cast.learner, reverse("learning:find"), q="safeguarding level")
    html = response.content.decode()
    assert "3 places left" in html
    assert "Workshop" in html and "6.5 hours" in html and "1 development day" in html


@pytest.mark.django_db
def test_find_learning_words_ignore_case_and_stay_in_one_part():
    """Every word, in any case, in the title, summary or description; a word never spans two
    of them; LIKE's wildcards are plain characters; no accent is ignored (the same on SQLite
    and PostgreSQL for English text)."""
    LearningItemFactory(title="Safeguarding Adults", summary="LEVEL 2", description="")
    LearningItemFactory(title="Managing data", summary="Base camp", description="")
    LearningItemFactory(title="Café culture", summary="", description="Naïve questions welcome")
    LearningItemFactory(title="Online only", summary="100% online", description="")
    LearningItemFactory(title="Percentages", summary="", description="100 per cent")

    def titles(words):
        now = timezone.now()
        return [i.title for i in selectors.catalogue_search(now=now, words=words)]

    assert titles("safeguarding adults") == ["Safeguarding Adults"]
    assert titles("SAFEGUARDING level") == ["Safeguarding Adults"]
    assert titles("  sAfEgUaRdInG\tadults  ") == ["Safeguarding Adults"]
    assert titles("safeguarding children") == []
    assert titles("database") == []
    assert titles("data base") == ["Managing data"]
    assert titles("café") == ["Café culture"]
    assert titles("CULTURE naïve") == ["Café culture"]
    assert titles("cafe") == []
    assert titles("100%") == ["Online only"]
    assert titles("1_0") == []


@pytest.mark.django_db
def test_find_learning_searches_an_item_as_it_is_now():
    item = LearningItemFactory(title="Budgets", summary="", description="")
    item.description = "Spreadsheets for managers"
    item.save()
    assert [i.pk for i in selectors.catalogue_search(now=timezone.now(), words="SPREAD")] == [
        item.pk
    ]
    type(item).objects.filter(pk=item.pk).update(summary="Forecasting", description="")
    now = timezone.now()
    assert not selectors.catalogue_search(now=now, words="spreadsheets").exists()
    assert selectors.catalogue_search(now=now, words="forecast").get() == item


def test_an_item_changed_in_the_admin_is_found_by_its_new_words(client, cast):
    item = LearningItemFactory(title="Budgets", description="Old words")
    client.force_login(cast.sysadmin)
    response = client.post(
        reverse("admin:learning_learningitem_change", args=[item.pk]),
        {
            "code": item.code,
            "title": "Budgets for managers",
            "kind": "workshop",
            "summary": "",
            "description": "Forecasting and VARIANCE",
            "outcomes": "",
            "duration_hours": "3",
            "development_days": "0.5",
            "cost_per_delegate": "0",
            "audience": "",
            "hosted_url": "",
            "approval": "none",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    now = timezone.now()
    assert selectors.catalogue_search(now=now, words="variance managers").get() == item
    assert not selectors.catalogue_search(now=now, words="old").exists()


def test_find_learning_refuses_bad_dates(client, cast):
    response = get(
        client, cast.learner, reverse("learning:find"), date_from="2027-05-01", date_to="2027-04-01"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "The last date must be the same as or after the first date" in html
    response = get(client, cast.learner, reverse("learning:find"), date_from="31/02/2027")
    assert "Enter the first date as a real date" in response.content.decode()


def test_a_full_session_says_so(client, cast):
    session = SessionFactory(capacity=1)
    book(session, cast.manager.person)
    response = get(client, cast.learner, reverse("learning:find"))
    assert FULL in response.content.decode()


def _catalogue(n: int) -> None:
    topic = Topic.objects.get_or_create(name="Leadership", slug="leadership")[0]
    people = [AssignmentFactory().person for _ in range(2)]
    for _ in range(n):
        session = SessionFactory(capacity=5)
        session.item.topics.add(topic)
        SessionFactory(item=session.item)
        for person in people:
            book(session, person)


def _queries(client, user, **params) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("learning:find"), params).status_code == 200
    return len(queries)


def test_find_learning_makes_a_fixed_number_of_queries(client, cast):
    _catalogue(3)
    small = _queries(client, cast.learner, upcoming="on")
    _catalogue(30)
    assert _queries(client, cast.learner, upcoming="on") == small
    assert _queries(client, cast.learner, upcoming="on", page=2) == small


# --- an item -------------------------------------------------------------------------------


def test_the_item_page(client, cast):
    venue = Venue.objects.create(name="Civic Centre", address="1 High Street")
    item = LearningItemFactory(
        title="Safeguarding adults",
        description="All about it",
        outcomes="Spot the signs",
        audience="Everyone in Adults",
        cost_per_delegate=Decimal("120"),
        approval=Approval.MANAGER,
    )
    item.prerequisites.add(LearningItemFactory(title="Safeguarding basics"))
    SessionFactory(item=item, venue=venue, capacity=2)
    full = SessionFactory(
        item=item,
        online_url="https://meet.example/y",
        capacity=1,
        starts_at=timezone.now() + dt.timedelta(days=40),
    )
    book(full, cast.manager.person)
    services.booking_decide(booking=full.bookings.get(), approve=True, actor=None)
    SessionFactory(item=item, status="cancelled")
    SessionFactory(item=item, starts_at=timezone.now() - dt.timedelta(days=1))
    response = get(client, cast.outsider, reverse("learning:item", args=[item.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "All about it",
        "Spot the signs",
        "Everyone in Adults",
        "Safeguarding basics",
        "£120.00",
        "line manager must approve",
        "Civic Centre",
        "Online",
        "2 places left",
        FULL,
    ):
        assert text in html, text
    assert len(response.context["sessions"]) == 2


def test_an_inactive_or_missing_item_is_not_found(client, cast):
    item = LearningItemFactory(is_active=False)
    assert get(client, cast.ld_admin, reverse("learning:item", args=[item.pk])).status_code == 404
    assert get(client, cast.learner, reverse("learning:item", args=["x"])).status_code == 404


# --- the booking journey -------------------------------------------------------------------


def test_a_learner_skips_who_and_books_a_place(client, cast):
    session = SessionFactory()
    client.force_login(cast.learner)
    response = client.get(reverse("learning:book_who", args=[session.pk]))
    check = reverse("learning:book_check", args=[session.pk])
    assert response.status_code == 302
    assert response["Location"] == f"{check}?person={cast.learner.person_id}"
    response = client.get(response["Location"])
    html = response.content.decode()
    assert "Check your answers before booking" in html
    assert "A place will be booked" in html
    response = client.post(check, {"person": cast.learner.person_id})
    booking = Booking.objects.get()
    assert booking.status == S.BOOKED and booking.requested_by == cast.learner
    assert response["Location"] == reverse("learning:booking_done", args=[booking.pk])
    assert "Booking confirmed" in client.get(response["Location"]).content.decode()


def test_a_full_session_puts_the_learner_on_the_waiting_list(client, cast):
    session = SessionFactory(capacity=1)
    book(session, cast.manager.person)
    client.force_login(cast.learner)
    check = reverse("learning:book_check", args=[session.pk])
    assert "waiting list at number 1" in client.get(check).content.decode()
    response = client.post(check, {"person": cast.learner.person_id}, follow=True)
    html = response.content.decode()
    assert "You are on the waiting list" in html and "Number 1 on the list" in html


def test_approval_is_requested(client, cast):
    session = SessionFactory(item=LearningItemFactory(approval=Approval.MANAGER))
    client.force_login(cast.learner)
    check = reverse("learning:book_check", args=[session.pk])
    response = client.post(check, {"person": cast.learner.person_id}, follow=True)
    assert "Request sent for approval" in response.content.decode()
    assert Booking.objects.get().status == S.AWAITING_APPROVAL


def test_a_manager_books_for_a_report(client, cast):
    session = SessionFactory()
    client.force_login(cast.manager)
    who = reverse("learning:book_who", args=[session.pk])
    response = client.get(who)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Who is this booking for?" in html and cast.learner.person.full_name in html
    assert "Someone else" not in html
    response = client.post(who, {})
    assert "Select who this booking is for" in response.content.decode()
    response = client.post(who, {"person": cast.outsider.person_id})
    assert "Select who this booking is for" in response.content.decode()
    response = client.post(who, {"person": cast.learner.person_id})
    assert response["Location"].endswith(f"?person={cast.learner.person_id}")
    client.post(response["Location"], {"person": cast.learner.person_id})
    booking = Booking.objects.get()
    assert booking.person == cast.learner.person and booking.requested_by == cast.manager


def test_an_ld_admin_books_for_anyone_by_employee_number(client, cast):
    session = SessionFactory()
    client.force_login(cast.ld_admin)
    who = reverse("learning:book_who", args=[session.pk])
    response = client.post(who, {"person": "other", "employee_number": ""})
    assert "Enter the employee number of the person" in response.content.decode()
    response = client.post(who, {"person": "other", "employee_number": "NOBODY"})
    assert "No one you can book for has that employee number" in response.content.decode()
    number = cast.outsider.person.employee_number
    response = client.post(who, {"person": "other", "employee_number": number})
    assert response["Location"].endswith(f"?person={cast.outsider.person_id}")


def test_no_booking_for_someone_you_may_not_book_for(client, cast):
    session = SessionFactory()
    client.force_login(cast.outsider)
    check = reverse("learning:book_check", args=[session.pk])
    assert client.get(check, {"person": cast.learner.person_id}).status_code == 404
    response = client.post(check, {"person": cast.learner.person_id})
    assert response.status_code == 404
    assert client.post(check, {"person": "nonsense"}).status_code == 403
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    ("session_kwargs", "message"),
    [
        ({"booking_closes_at": timezone.now() - dt.timedelta(days=1)}, "Booking closed on"),
        ({"starts_at": timezone.now() - dt.timedelta(hours=1)}, "This session has started."),
        ({"status": "planned"}, "This session is planned."),
    ],
)
def test_a_refused_booking_shows_the_reason(client, cast, session_kwargs, message):
    session = SessionFactory(**session_kwargs)
    client.force_login(cast.learner)
    check = reverse("learning:book_check", args=[session.pk])
    response = client.post(check, {"person": cast.learner.person_id})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and message in html
    assert not Booking.objects.exists()


def test_a_second_booking_is_refused(client, cast):
    session = SessionFactory()
    book(session, cast.learner.person)
    client.force_login(cast.learner)
    check = reverse("learning:book_check", args=[session.pk])
    html = client.post(check, {"person": cast.learner.person_id}).content.decode()
    assert "already has a booking on this session" in html
    assert Booking.objects.count() == 1


def test_a_clash_is_warned_of(client, cast):
    start = timezone.now() + dt.timedelta(days=5)
    book(
        SessionFactory(starts_at=start, item=LearningItemFactory(title="Other")),
        cast.learner.person,
    )
    session = SessionFactory(starts_at=start + dt.timedelta(hours=2))
    html = get(
        client, cast.learner, reverse("learning:book_check", args=[session.pk])
    ).content.decode()
    assert "This clashes with your booking on Other" in html


# --- my bookings ---------------------------------------------------------------------------


def test_my_bookings_shows_status_position_and_offers(client, cast):
    booked = book(SessionFactory(item=LearningItemFactory(title="Booked one")), cast.learner.person)
    full = SessionFactory(capacity=1, item=LearningItemFactory(title="Full one"))
    book(full, cast.manager.person)
    waiting = book(full, cast.learner.person)
    offered_session = SessionFactory(capacity=1, item=LearningItemFactory(title="Offered one"))
    other = book(offered_session, cast.manager.person)
    offered = book(offered_session, cast.learner.person)
    services.booking_cancel(booking=other, actor=None, by="learner")
    html = get(client, cast.learner, reverse("learning:bookings")).content.decode()
    assert "Booked one" in html and "Full one" in html and "Offered one" in html
    assert "Number 1 on the waiting list" in html
    assert "Accept the place" in html and "Decline" in html
    assert waiting.pk and booked.pk

    client.post(reverse("learning:offer_accept", args=[offered.pk]))
    offered.refresh_from_db()
    assert offered.status == S.BOOKED
    response = client.post(reverse("learning:offer_accept", args=[offered.pk]), follow=True)
    assert "There is no place offered on this booking." in response.content.decode()
    assert client.get(reverse("learning:offer_accept", args=[offered.pk])).status_code == 405


def test_declining_an_offer(client, cast):
    session = SessionFactory(capacity=1)
    other = book(session, cast.manager.person)
    offered = book(session, cast.learner.person)
    services.booking_cancel(booking=other, actor=None, by="learner")
    client.force_login(cast.learner)
    client.post(reverse("learning:offer_decline", args=[offered.pk]))
    offered.refresh_from_db()
    assert offered.status == S.DECLINED


def test_cancelling_my_booking(client, cast):
    booking = book(SessionFactory(), cast.learner.person)
    client.force_login(cast.learner)
    url = reverse("learning:booking_cancel", args=[booking.pk])
    html = client.get(url).content.decode()
    assert "Are you sure you want to cancel this booking?" in html
    assert "late cancellation" not in html
    response = client.post(url, {"reason": "Clashes with a visit"}, follow=True)
    assert "Booking cancelled" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == S.CANCELLED and booking.cancelled_by == "learner"
    assert booking.events.last().reason == "Clashes with a visit"
    assert booking.events.last().actor == cast.learner
    # once cancelled, the page says so instead
    response = client.get(url, follow=True)
    assert "This booking is cancelled already." in response.content.decode()


def test_a_late_cancellation_is_said_and_kept(client, cast):
    session = SessionFactory(cancellation_cutoff_at=timezone.now() - dt.timedelta(days=1))
    booking = book(session, cast.learner.person)
    client.force_login(cast.learner)
    url = reverse("learning:booking_cancel", args=[booking.pk])
    assert "This will be recorded as a late cancellation" in client.get(url).content.decode()
    client.post(url, {"reason": ""})
    booking.refresh_from_db()
    assert booking.is_late_cancellation


def test_a_manager_and_ld_cancel_for_others(client, cast):
    first = book(SessionFactory(), cast.learner.person)
    second = book(SessionFactory(), cast.learner.person)
    client.force_login(cast.manager)
    client.post(reverse("learning:booking_cancel", args=[first.pk]))
    client.force_login(cast.ld_admin)
    client.post(reverse("learning:booking_cancel", args=[second.pk]))
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.cancelled_by, second.cancelled_by) == ("manager", "admin")


def test_someone_elses_booking_is_not_found(client, cast):
    booking = book(SessionFactory(), cast.learner.person)
    client.force_login(cast.outsider)
    for name in ("booking_cancel", "booking_done"):
        assert client.get(reverse(f"learning:{name}", args=[booking.pk])).status_code == 404
    response = client.post(reverse("learning:booking_cancel", args=[booking.pk]))
    assert response.status_code == 404
    booking.refresh_from_db()
    assert booking.status == S.BOOKED
    html = get(client, cast.outsider, reverse("learning:bookings")).content.decode()
    assert "You have no bookings coming up" in html


def test_a_manager_sees_the_bookings_they_made_for_others(client, cast):
    services.booking_create(
        session=SessionFactory(item=LearningItemFactory(title="Team course")),
        person=cast.learner.person,
        actor=cast.manager,
    )
    html = get(client, cast.manager, reverse("learning:bookings")).content.decode()
    assert "Bookings you made for others" in html and "Team course" in html


def test_the_navigation_offers_learning(client, cast):
    html = get(client, cast.learner, reverse("home")).content.decode()
    assert reverse("learning:find") in html and "My bookings" in html


def test_a_trainer_finds_their_registers_in_my_bookings(client, cast):
    session = SessionFactory(starts_at=timezone.now() + dt.timedelta(days=3))
    session.trainers.add(cast.outsider.person)
    client.force_login(cast.outsider)
    page = client.get(reverse("learning:bookings")).content.decode()
    assert "Sessions you train" in page
    assert reverse("learning:register", args=[session.parts.get().pk]) in page
    client.force_login(cast.learner)
    assert "Sessions you train" not in client.get(reverse("learning:bookings")).content.decode()
