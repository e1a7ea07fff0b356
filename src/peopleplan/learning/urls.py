from django.urls import path

from peopleplan.learning import (
    approval_views,
    calendar_views,
    evaluation_views,
    programme_views,
    record_views,
    session_views,
    views,
)

app_name = "learning"

urlpatterns = [
    path("learning/", views.find, name="find"),
    path("learning/items/<str:item_id>/", views.item, name="item"),
    path("learning/programmes/", programme_views.programme_list, name="programmes"),
    path("learning/programmes/<str:programme_id>/", programme_views.programme, name="programme"),
    path("learning/sessions/<str:session_id>/book/", views.book_who, name="book_who"),
    path("learning/sessions/<str:session_id>/book/check/", views.book_check, name="book_check"),
    path("learning/sessions/<str:session_id>/book/many/", views.book_many, name="book_many"),
    path("learning/bookings/", views.bookings, name="bookings"),
    path(
        "learning/bookings/<str:booking_id>/confirmation/",
        views.booking_done,
        name="booking_done",
    ),
    path("learning/bookings/<str:booking_id>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("learning/bookings/<str:booking_id>/accept/", views.offer_accept, name="offer_accept"),
    path("learning/bookings/<str:booking_id>/decline/", views.offer_decline, name="offer_decline"),
    path("learning/calendar/", calendar_views.calendar_feed_reset, name="calendar_feed_reset"),
    path(
        "learning/calendar/<str:token>/bookings.ics",
        calendar_views.calendar_feed,
        name="calendar_feed",
    ),
    path("learning/approvals/", approval_views.approvals_list, name="approvals"),
    path(
        "learning/approvals/<str:booking_id>/decide/",
        approval_views.approval_decide,
        name="approval_decide",
    ),
    # The record of learning and registers (record_views).
    path("learning/record/", record_views.record, name="record"),
    path("learning/record/team/", record_views.record_team, name="record_team"),
    path("learning/record/log/", record_views.record_log, name="record_log"),
    path("learning/record/verify/", record_views.record_verify, name="record_verify"),
    path(
        "learning/record/people/<str:person_id>/",
        record_views.record_person,
        name="record_person",
    ),
    path(
        "learning/record/completions/<str:completion_id>/certificate/",
        record_views.record_certificate,
        name="record_certificate",
    ),
    path(
        "learning/record/completions/<str:completion_id>/evidence/",
        record_views.record_evidence,
        name="record_evidence",
    ),
    path("learning/registers/<str:part_id>/", record_views.register, name="register"),
]

# Evaluation: feedback, impact checks and their results (evaluation_views).
urlpatterns += [
    path("learning/feedback/", evaluation_views.evaluations, name="evaluations"),
    path(
        "learning/feedback/<str:request_id>/",
        evaluation_views.evaluation_respond,
        name="evaluation_respond",
    ),
    path(
        "learning/evaluation/results/",
        evaluation_views.evaluation_results_page,
        name="evaluation_results",
    ),
]

# L&D's sessions: the list, a session, setting up and changing, and moving a learner
# (session_views).
urlpatterns += [
    path("learning/sessions/", session_views.session_list, name="session_list"),
    path("learning/sessions/new/", session_views.session_new, name="session_new"),
    path(
        "learning/sessions/<str:session_id>/", session_views.session_detail, name="session_detail"
    ),
    path(
        "learning/sessions/<str:session_id>/edit/", session_views.session_edit, name="session_edit"
    ),
    path(
        "learning/sessions/<str:session_id>/open/", session_views.session_open, name="session_open"
    ),
    path(
        "learning/sessions/<str:session_id>/cancel/",
        session_views.session_cancel,
        name="session_cancel",
    ),
    path(
        "learning/sessions/<str:session_id>/reserve/",
        session_views.session_reserve,
        name="session_reserve",
    ),
    path(
        "learning/sessions/<str:session_id>/reservations/<str:reservation_id>/remove/",
        session_views.reservation_remove,
        name="reservation_remove",
    ),
    path(
        "learning/sessions/<str:session_id>/offer/",
        session_views.session_offer,
        name="session_offer",
    ),
    path(
        "learning/bookings/<str:booking_id>/move/",
        session_views.booking_move_choose,
        name="booking_move_choose",
    ),
    path(
        "learning/bookings/<str:booking_id>/move/check/",
        session_views.booking_move_check,
        name="booking_move_check",
    ),
    path(
        "learning/bookings/<str:booking_id>/moved/",
        session_views.booking_moved,
        name="booking_moved",
    ),
]
