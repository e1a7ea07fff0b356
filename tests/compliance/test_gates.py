"""Who sees whose compliance and credentials (access/gates.py), for every role of the cast."""

from peopleplan.access import gates


def ids(qs):
    return set(qs.values_list("pk", flat=True))


def test_whose_compliance_each_role_sees(cast):
    learner, manager, outsider = cast.learner.person, cast.manager.person, cast.outsider.person
    assert ids(gates.compliance_people_for_user(cast.learner)) == {learner.pk}
    seen = ids(gates.compliance_people_for_user(cast.manager))
    assert {learner.pk, manager.pk} <= seen and outsider.pk not in seen
    assert {learner.pk, outsider.pk} <= ids(gates.compliance_people_for_user(cast.hr_officer))
    assert {learner.pk, outsider.pk} <= ids(gates.compliance_people_for_user(cast.ld_admin))
    adults_hr = ids(gates.compliance_people_for_user(cast.adults_hr))
    assert learner.pk in adults_hr and outsider.pk not in adults_hr
    for user in (cast.senior_leader, cast.budget_holder, cast.hr_equality, cast.outsider):
        assert learner.pk not in ids(gates.compliance_people_for_user(user))


def test_whose_credentials_each_role_keeps(cast):
    learner = cast.learner.person
    assert learner.pk in ids(gates.credential_keeper_people(cast.hr_officer))
    assert cast.hr_officer.person_id not in ids(gates.credential_keeper_people(cast.hr_officer))
    assert learner.pk in ids(gates.credential_keeper_people(cast.adults_hr))
    assert cast.outsider.person_id not in ids(gates.credential_keeper_people(cast.adults_hr))
    for user in (cast.manager, cast.ld_admin, cast.senior_leader, cast.learner, cast.sysadmin):
        assert learner.pk not in ids(gates.credential_keeper_people(user))


def test_compliance_capabilities(cast):
    assert gates.can(cast.hr_officer, "compliance.requirements")
    assert gates.can(cast.ld_admin, "compliance.requirements")
    assert not gates.can(cast.adults_hr, "compliance.requirements")  # needs the whole council
    assert gates.can(cast.adults_hr, "compliance.credentials")
    assert not gates.can(cast.ld_admin, "compliance.credentials")
    assert gates.compliance_summary_paths(cast.senior_leader) is None
    assert gates.compliance_summary_paths(cast.adults_hr) == [cast.adults.path]
    assert gates.compliance_summary_paths(cast.manager) == []
    for user in (cast.learner, cast.manager, cast.budget_holder, cast.outsider):
        assert not gates.can(user, "compliance.summary")


def test_whose_demand_forecast_each_role_sees(cast):
    import pytest
    from django.core.exceptions import PermissionDenied

    for user in (cast.hr_officer, cast.ld_admin, cast.sysadmin, cast.senior_leader):
        assert gates.compliance_forecast_paths(user) is None
    assert gates.compliance_forecast_paths(cast.adults_hr) == [cast.adults.path]
    for user in (cast.learner, cast.manager, cast.budget_holder, cast.hr_equality):
        with pytest.raises(PermissionDenied):
            gates.compliance_forecast_paths(user)


def test_whose_units_each_role_sees_on_the_team_matrix(cast):
    every = {cast.council.pk, cast.adults.pk, cast.adults_team.pk}
    every |= {cast.childrens.pk, cast.childrens_team.pk}
    assert ids(gates.compliance_units_for_user(cast.ld_admin)) == every
    assert ids(gates.compliance_units_for_user(cast.hr_officer)) == every
    adults = {cast.adults.pk, cast.adults_team.pk}
    assert ids(gates.compliance_units_for_user(cast.adults_hr)) == adults
    for user in (cast.manager, cast.senior_leader, cast.budget_holder, cast.sysadmin):
        assert ids(gates.compliance_units_for_user(user)) == set()
