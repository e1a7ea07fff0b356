"""The pages of compliance, under /compliance/. Each part adds its own block."""

from django.urls import path

app_name = "compliance"

urlpatterns: list = []

# --- my compliance, a person's compliance, the team matrix
from . import status_views  # noqa: E402

urlpatterns += [
    path("compliance/", status_views.mine, name="mine"),
    path("compliance/people/<str:person_id>/", status_views.person, name="person"),
    path("compliance/team/", status_views.team, name="team"),
    path("compliance/team/export/", status_views.team_export, name="team_export"),
]

# --- summaries by unit, expiring soon, the leaders' overview, exports
from . import summary_views  # noqa: E402

urlpatterns += [
    path("compliance/summary/", summary_views.summary_page, name="summary"),
    path("compliance/summary/people/", summary_views.people_page, name="summary_people"),
    path("compliance/expiring/", summary_views.expiring_page, name="expiring"),
    path("compliance/overview/", summary_views.overview_page, name="overview"),
    path("compliance/export/", summary_views.full_export, name="full_export"),
]

# --- credentials, status checks, exemptions
from peopleplan.compliance import credential_views  # noqa: E402

urlpatterns += [
    path(
        "compliance/people/<str:person_id>/credentials/",
        credential_views.person_credentials,
        name="person_credentials",
    ),
    path(
        "compliance/people/<str:person_id>/credentials/add/",
        credential_views.person_credential_add,
        name="person_credential_add",
    ),
    path(
        "compliance/people/<str:person_id>/credentials/<str:credential_id>/change/",
        credential_views.person_credential_change,
        name="person_credential_change",
    ),
    path(
        "compliance/people/<str:person_id>/credentials/<str:credential_id>/status-check/",
        credential_views.person_credential_check,
        name="person_credential_check",
    ),
    path(
        "compliance/people/<str:person_id>/exemptions/",
        credential_views.person_exemptions,
        name="person_exemptions",
    ),
    path(
        "compliance/people/<str:person_id>/exemptions/grant/",
        credential_views.exemption_grant,
        name="exemption_grant",
    ),
    path(
        "compliance/people/<str:person_id>/exemptions/<str:exemption_id>/end/",
        credential_views.exemption_end,
        name="exemption_end",
    ),
    path("compliance/credentials/mine/", credential_views.mine, name="credentials_mine"),
    path(
        "compliance/credentials/mine/add/", credential_views.mine_add, name="credentials_mine_add"
    ),
    path("compliance/credentials/verify/", credential_views.verify, name="credentials_verify"),
    path(
        "compliance/credentials/<str:credential_id>/evidence/",
        credential_views.evidence,
        name="credential_evidence",
    ),
]

# --- requirements, credential types, the demand forecast
from peopleplan.compliance import forecast_views, requirement_views  # noqa: E402

urlpatterns += [
    path(
        "compliance/requirements/",
        requirement_views.requirement_list,
        name="requirement_list",
    ),
    path(
        "compliance/requirements/new/",
        requirement_views.requirement_new,
        name="requirement_new",
    ),
    path(
        "compliance/requirements/<str:requirement_id>/",
        requirement_views.requirement_detail,
        name="requirement_detail",
    ),
    path(
        "compliance/requirements/<str:requirement_id>/edit/",
        requirement_views.requirement_edit,
        name="requirement_edit",
    ),
    path(
        "compliance/credential-types/",
        requirement_views.credential_type_list,
        name="credential_type_list",
    ),
    path(
        "compliance/credential-types/new/",
        requirement_views.credential_type_new,
        name="credential_type_new",
    ),
    path(
        "compliance/credential-types/<str:type_id>/edit/",
        requirement_views.credential_type_edit,
        name="credential_type_edit",
    ),
    path("compliance/forecast/", forecast_views.forecast_page, name="forecast"),
    path("compliance/forecast/export/", forecast_views.forecast_export, name="forecast_export"),
]
