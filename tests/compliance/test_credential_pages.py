"""The pages of credentials, status checks and exemptions: HR keep a person's credentials, a
person adds their own with evidence for HR to verify, HR grant and end exemptions. Every rule
of the forms puts its error on its field, with the error summary."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from peopleplan.compliance import services, status
from peopleplan.compliance.models import Credential, CredentialType, Exemption, StatusCheck
from peopleplan.compliance.rules import StatusCode
from peopleplan.core.models import AuditEntry
from peopleplan.org.models import Audience, AudienceRule

D = dt.date


@pytest.fixture
def types(db):
    return {
        "dbs": CredentialType.objects.create(
            code="DBS-ENH", name="Enhanced DBS check", kind="dbs", recheck_months=36
        ),
        "swe": CredentialType.objects.create(
            code="SWE",
            name="Social Work England registration",
            kind="registration",
            body="Social Work England",
            expiry_required=True,
        ),
        "fa": CredentialType.objects.create(code="FA", name="First aid", kind="certificate"),
    }


@pytest.fixture
def dbs_requirement(cast, types):
    audience = Audience.objects.create(code="everyone", name="Everyone")
    AudienceRule.objects.create(audience=audience, kind="unit", values=["CNL"])
    return services.requirement_create(
        actor=None,
        code="DBS",
        name="Enhanced DBS check",
        audience=audience,
        credential_type=types["dbs"],
        grace_days=0,
    )


def code_of(person, req):
    return status.statuses(person_ids=[person.pk], requirements=[req], as_of=dt.date.today())[
        (person.pk, req.pk)
    ].code


def add_url(cast, who="learner", ctype=None):
    url = reverse("compliance:person_credential_add", args=[getattr(cast, who).person_id])
    return f"{url}?type={ctype.pk}" if ctype else url


DBS_FORM = {
    "number": "001234567890",
    "issued_on": "2025-05-01",
    "expires_on": "",
    "dbs_level": "enhanced",
    "workforce": "child",
    "update_service": "on",
    "update_service_renews_on": "2026-05-01",
    "notes": "",
}


def record(cast, ctype, **fields):
    values = {"issued_on": D(2025, 5, 1)} | fields
    return services.credential_record(
        person=cast.learner.person, type=ctype, actor=cast.hr_officer, **values
    )


def dbs(cast, types, **fields):
    values = {
        "number": "001234567890",
        "dbs_level": "enhanced",
        "workforce": "child",
        "update_service": True,
    } | fields
    return record(cast, types["dbs"], **values)


# --- HR record a person's credentials --------------------------------------------------------


def test_hr_choose_the_kind_then_record_a_dbs_check_and_the_person_is_compliant(
    client, cast, types, dbs_requirement
):
    learner = cast.learner.person
    assert code_of(learner, dbs_requirement) == StatusCode.OVERDUE
    client.force_login(cast.hr_officer)
    page = client.get(add_url(cast))
    assert page.status_code == 200
    assert b"What kind of credential is it?" in page.content
    form = client.get(add_url(cast) + f"?choose=1&type={types['dbs'].pk}")
    assert b"Level of the check" in form.content and b"Update Service" in form.content
    response = client.post(add_url(cast, ctype=types["dbs"]), DBS_FORM)
    assert response.status_code == 302, response.content.decode()
    credential = Credential.objects.get()
    assert credential.status == Credential.Status.VERIFIED
    assert (credential.number, credential.dbs_level, credential.update_service) == (
        "001234567890",
        "enhanced",
        True,
    )
    assert code_of(learner, dbs_requirement) == StatusCode.COMPLIANT
    listing = client.get(reverse("compliance:person_credentials", args=[learner.pk]))
    assert b"001234567890" in listing.content
    assert b"Re-check by" in listing.content and b"1 May 2028" in listing.content


def test_choosing_no_kind_is_an_error(client, cast, types):
    client.force_login(cast.hr_officer)
    response = client.get(add_url(cast) + "?choose=1")
    assert b"Select the kind of credential" in response.content
    assert b"govuk-error-summary" in response.content
    assert client.get(add_url(cast) + "?type=99999").status_code == 404


def test_the_dbs_fields_are_only_for_a_dbs_check(client, cast, types):
    client.force_login(cast.hr_officer)
    page = client.get(add_url(cast, ctype=types["fa"]))
    assert b"Level of the check" not in page.content
    assert b"Update Service" not in page.content
    response = client.post(
        add_url(cast, ctype=types["fa"]), {"number": "", "issued_on": "1/2/2024", "expires_on": ""}
    )
    assert response.status_code == 302
    assert Credential.objects.get().issued_on == D(2024, 2, 1)


def _errors(response):
    return response.content.decode()


@pytest.mark.parametrize(
    ("kind", "change", "field", "message"),
    [
        ("dbs", {"number": "12345"}, "number", "A DBS certificate number is 12 digits"),
        ("dbs", {"number": ""}, "number", "Enter the certificate number"),
        ("dbs", {"dbs_level": ""}, "dbs_level", "Select the level of the DBS check"),
        ("dbs", {"workforce": ""}, "workforce", "Select the workforce the DBS check is for"),
        ("dbs", {"issued_on": ""}, "issued_on", "Enter the date of issue"),
        ("dbs", {"issued_on": "31/02/2025"}, "issued_on", "Enter a real date"),
        ("dbs", {"issued_on": "2099-01-01"}, "issued_on", "today or in the past"),
        (
            "dbs",
            {"expires_on": "2024-01-01"},
            "expires_on",
            "The expiry date must be on or after the issue date",
        ),
        (
            "dbs",
            {"update_service": "", "update_service_renews_on": "2026-05-01"},
            "update_service_renews_on",
            "only for a subscription to the Update Service",
        ),
        ("swe", {"expires_on": ""}, "expires_on", "Enter the expiry date"),
        ("swe", {"number": ""}, "number", "Enter the registration number"),
    ],
)
def test_each_rule_of_the_form_names_its_field(client, cast, types, kind, change, field, message):
    client.force_login(cast.hr_officer)
    data = (
        DBS_FORM
        if kind == "dbs"
        else {"number": "SW1", "issued_on": "2025-05-01", "expires_on": "2027-05-01"}
    ) | change
    response = client.post(add_url(cast, ctype=types[kind]), data)
    assert response.status_code == 400
    html = _errors(response)
    assert message in html
    assert f'href="#id_{field}"' in html  # the error summary links to the field
    assert f'id="id_{field}-error"' in html  # and the field carries it
    assert not Credential.objects.exists()


def test_hr_change_a_credential_in_the_audit_log(client, cast, types):
    credential = record(cast, types["swe"], number="SW1", expires_on=D(2026, 5, 1))
    client.force_login(cast.hr_officer)
    url = reverse(
        "compliance:person_credential_change", args=[cast.learner.person_id, credential.pk]
    )
    page = client.get(url)
    assert b'value="SW1"' in page.content and b'value="01/05/2026"' in page.content
    response = client.post(
        url, {"number": "SW1", "issued_on": "2025-05-01", "expires_on": "2028-05-01", "notes": ""}
    )
    assert response.status_code == 302
    credential.refresh_from_db()
    assert credential.expires_on == D(2028, 5, 1)
    assert AuditEntry.objects.filter(object_type="compliance.credential", action="update").exists()
    bad = client.post(url, {"number": "SW1", "issued_on": "2025-05-01", "expires_on": "2020-01-01"})
    assert bad.status_code == 400 and b"on or after the issue date" in bad.content


def test_a_credential_of_someone_else_is_not_found_under_this_person(client, cast, types):
    credential = record(cast, types["fa"])
    client.force_login(cast.hr_officer)
    url = reverse(
        "compliance:person_credential_change", args=[cast.manager.person_id, credential.pk]
    )
    assert client.get(url).status_code == 404


def test_record_an_update_service_status_check(client, cast, types, dbs_requirement):
    credential = dbs(cast, types)
    client.force_login(cast.hr_officer)
    url = reverse(
        "compliance:person_credential_check", args=[cast.learner.person_id, credential.pk]
    )
    bad = client.post(url, {"checked_on": "2024-01-01", "result": "clear"})
    assert bad.status_code == 400
    assert b'href="#id_checked_on"' in bad.content
    missing = client.post(url, {"checked_on": "2025-06-01"})
    assert b"Select what the status check found" in missing.content
    today = dt.date.today().isoformat()
    assert client.post(url, {"checked_on": today, "result": "changed"}).status_code == 302
    assert StatusCheck.objects.get().result == "changed"
    # New information ends the check that day.
    assert code_of(cast.learner.person, dbs_requirement) != StatusCode.COMPLIANT
    listing = client.get(reverse("compliance:person_credentials", args=[cast.learner.person_id]))
    assert b"New information" in listing.content


def test_no_status_check_without_the_update_service(client, cast, types):
    credential = dbs(cast, types, update_service=False)
    client.force_login(cast.hr_officer)
    url = reverse(
        "compliance:person_credential_check", args=[cast.learner.person_id, credential.pk]
    )
    assert client.get(url).status_code == 404


def test_the_list_makes_the_same_queries_whatever_the_number_of_credentials(client, cast, types):
    client.force_login(cast.hr_officer)
    url = reverse("compliance:person_credentials", args=[cast.learner.person_id])
    dbs(cast, types)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for year in range(2015, 2020):
        c = dbs(cast, types, issued_on=D(year, 1, 1), update_service=True)
        services.status_check_record(
            credential=c, checked_on=D(year, 6, 1), result="clear", actor=None
        )
        record(
            cast,
            types["swe"],
            number=f"S{year}",
            issued_on=D(year, 1, 1),
            expires_on=D(year + 2, 1, 1),
        )
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(one)


def test_hr_over_adults_cannot_reach_childrens_people(client, cast, types):
    client.force_login(cast.adults_hr)
    assert (
        client.get(
            reverse("compliance:person_credentials", args=[cast.learner.person_id])
        ).status_code
        == 200
    )
    assert (
        client.get(
            reverse("compliance:person_credentials", args=[cast.outsider.person_id])
        ).status_code
        == 404
    )


def test_a_manager_never_sees_the_certificate_numbers(client, cast, types):
    dbs(cast, types)
    client.force_login(cast.manager)
    url = reverse("compliance:person_credentials", args=[cast.learner.person_id])
    assert client.get(url).status_code == 403
    assert b"001234567890" not in client.get(reverse("compliance:credentials_mine")).content


# --- a person adds their own, HR verify ------------------------------------------------------


def upload(name="certificate.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 certificate", content_type="application/pdf")


def test_a_person_adds_their_own_and_it_counts_once_hr_verify_it(
    client, cast, types, dbs_requirement
):
    learner = cast.learner.person
    client.force_login(cast.learner)
    url = reverse("compliance:credentials_mine_add") + f"?type={types['dbs'].pk}"
    page = client.get(url)
    assert b"Upload the certificate" in page.content and b"Notes" not in page.content
    missing = client.post(url, DBS_FORM)
    assert missing.status_code == 400
    assert b'href="#id_evidence"' in missing.content
    wrong = client.post(url, DBS_FORM | {"evidence": upload("virus.exe")})
    assert b"must be a PDF, image or document" in wrong.content
    response = client.post(url, DBS_FORM | {"evidence": upload()})
    assert response.status_code == 302
    credential = Credential.objects.get()
    assert credential.status == Credential.Status.PENDING
    assert code_of(learner, dbs_requirement) == StatusCode.OVERDUE
    mine = client.get(reverse("compliance:credentials_mine"))
    assert b"Waiting for verification" in mine.content

    client.force_login(cast.adults_hr)
    queue = client.get(reverse("compliance:credentials_verify"))
    assert learner.full_name.encode() in queue.content
    assert (
        client.get(reverse("compliance:credential_evidence", args=[credential.pk])).status_code
        == 200
    )
    verify = reverse("compliance:credentials_verify")
    refused = client.post(verify, {"credential": credential.pk, "decision": "reject"})
    assert refused.status_code == 400 and b"Give a reason for not verifying it" in refused.content
    assert (
        client.post(verify, {"credential": credential.pk, "decision": "verify"}).status_code == 302
    )
    credential.refresh_from_db()
    assert credential.status == Credential.Status.VERIFIED
    assert code_of(learner, dbs_requirement) == StatusCode.COMPLIANT


def test_hr_reject_with_a_reason_the_person_reads(client, cast, types):
    credential = services.credential_record(
        person=cast.learner.person,
        type=types["fa"],
        actor=cast.learner,
        verified=False,
        evidence=upload(),
        issued_on=D(2025, 1, 1),
    )
    client.force_login(cast.hr_officer)
    response = client.post(
        reverse("compliance:credentials_verify"),
        {"credential": credential.pk, "decision": "reject", "reason": "The scan is unreadable"},
    )
    assert response.status_code == 302
    client.force_login(cast.learner)
    mine = client.get(reverse("compliance:credentials_mine"))
    assert b"Not verified" in mine.content and b"The scan is unreadable" in mine.content


def test_the_queue_holds_only_the_people_the_user_keeps(client, cast, types):
    theirs = services.credential_record(
        person=cast.outsider.person,
        type=types["fa"],
        actor=cast.outsider,
        verified=False,
        evidence=upload(),
        issued_on=D(2025, 1, 1),
    )
    client.force_login(cast.adults_hr)
    assert (
        cast.outsider.person.full_name.encode()
        not in client.get(reverse("compliance:credentials_verify")).content
    )
    response = client.post(
        reverse("compliance:credentials_verify"), {"credential": theirs.pk, "decision": "verify"}
    )
    assert response.status_code == 404
    client.force_login(cast.learner)
    assert client.get(reverse("compliance:credentials_verify")).status_code == 403


def test_evidence_is_for_the_person_and_their_keepers_only(client, cast, types):
    credential = services.credential_record(
        person=cast.learner.person,
        type=types["fa"],
        actor=cast.learner,
        verified=False,
        evidence=upload(),
        issued_on=D(2025, 1, 1),
    )
    url = reverse("compliance:credential_evidence", args=[credential.pk])
    expected = {
        "learner": 200,
        "hr_officer": 200,
        "adults_hr": 200,
        "manager": 404,
        "senior_manager": 404,
        "ld_admin": 404,
        "outsider": 404,
        "sysadmin": 404,
    }
    for who, code in expected.items():
        client.force_login(getattr(cast, who))
        response = client.get(url)
        assert response.status_code == code, who
        if code == 200:
            assert b"".join(response.streaming_content) == b"%PDF-1.4 certificate"


# --- exemptions ------------------------------------------------------------------------------


def test_hr_grant_an_exemption_and_end_it_early(client, cast, types, dbs_requirement):
    learner = cast.learner.person
    client.force_login(cast.hr_officer)
    url = reverse("compliance:exemption_grant", args=[learner.pk])
    today = dt.date.today()
    response = client.post(
        url,
        {
            "requirement": dbs_requirement.pk,
            "reason": "On long-term leave",
            "starts_on": (today - dt.timedelta(days=10)).isoformat(),
            "ends_on": (today + dt.timedelta(days=60)).isoformat(),
        },
    )
    assert response.status_code == 302
    exemption = Exemption.objects.get()
    assert code_of(learner, dbs_requirement) == StatusCode.EXEMPT
    listing = client.get(reverse("compliance:person_exemptions", args=[learner.pk]))
    assert b"On long-term leave" in listing.content and b"Exempt" in listing.content
    end = reverse("compliance:exemption_end", args=[learner.pk, exemption.pk])
    bad = client.post(end, {"on": (today + dt.timedelta(days=90)).isoformat()})
    assert bad.status_code == 400 and b'href="#id_on"' in bad.content
    yesterday = (today - dt.timedelta(days=1)).isoformat()
    assert client.post(end, {"on": yesterday}).status_code == 302
    exemption.refresh_from_db()
    assert exemption.ends_on == today - dt.timedelta(days=1)
    assert code_of(learner, dbs_requirement) != StatusCode.EXEMPT


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"reason": ""}, "reason", "Give the reason for the exemption"),
        ({"reason": "   "}, "reason", "Give the reason for the exemption"),
        ({"requirement": ""}, "requirement", "Choose the requirement"),
        ({"starts_on": ""}, "starts_on", "Enter the date the exemption starts"),
        ({"ends_on": "2020-01-01"}, "ends_on", "The end date must be on or after the start date"),
    ],
)
def test_each_rule_of_the_exemption_form_names_its_field(
    client, cast, types, dbs_requirement, change, field, message
):
    client.force_login(cast.hr_officer)
    data = {
        "requirement": dbs_requirement.pk,
        "reason": "Leave",
        "starts_on": "2026-01-01",
        "ends_on": "2026-06-30",
    } | change
    response = client.post(
        reverse("compliance:exemption_grant", args=[cast.learner.person_id]), data
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert f'href="#id_{field}"' in response.content.decode()


def test_an_overlapping_exemption_is_refused(client, cast, types, dbs_requirement):
    services.exemption_grant(
        person=cast.learner.person,
        requirement=dbs_requirement,
        reason="Leave",
        starts_on=D(2026, 1, 1),
        ends_on=D(2026, 6, 30),
        actor=None,
    )
    client.force_login(cast.hr_officer)
    response = client.post(
        reverse("compliance:exemption_grant", args=[cast.learner.person_id]),
        {
            "requirement": dbs_requirement.pk,
            "reason": "Again",
            "starts_on": "2026-03-01",
            "ends_on": "2026-09-30",
        },
    )
    assert response.status_code == 400 and b"already exempt" in response.content


def test_the_queue_and_my_credentials_make_the_same_queries_whatever_their_length(
    client, cast, types
):
    def own(who, year):
        return services.credential_record(
            person=getattr(cast, who).person,
            type=types["fa"],
            actor=None,
            verified=False,
            evidence=upload(),
            issued_on=D(year, 1, 1),
        )

    own("learner", 2015)
    pages = {
        "learner": reverse("compliance:credentials_mine"),
        "hr_officer": reverse("compliance:credentials_verify"),
    }
    counts = {}
    for who, url in pages.items():
        client.force_login(getattr(cast, who))
        client.get(url)
        with CaptureQueriesContext(connection) as one:
            assert client.get(url).status_code == 200
        counts[who] = len(one)
    for year in range(2016, 2021):
        own("learner", year)
        own("manager", year)
    for who, url in pages.items():
        client.force_login(getattr(cast, who))
        with CaptureQueriesContext(connection) as many:
            assert client.get(url).status_code == 200
        assert len(many) == counts[who], who
