"""The unit tree: any depth, several top-level organisations, one indexed query for a subtree,
moves that keep their history."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from peopleplan.access import gates
from peopleplan.org import services
from peopleplan.org.models import Unit, UnitMove
from tests.factories import AssignmentFactory, RoleGrantFactory, UnitFactory, UserFactory


@pytest.fixture
def deep(db):
    """A county and a district sharing the platform; the county ten levels deep."""
    county = UnitFactory(code="COUNTY", unit_type="council")
    district = UnitFactory(code="DISTRICT", unit_type="council")
    chain = [county]
    for level in range(10):
        chain.append(UnitFactory(code=f"L{level}", parent=chain[-1]))
    side = UnitFactory(code="SIDE", parent=chain[3])
    return {"county": county, "district": district, "chain": chain, "side": side}


def test_everything_under_a_unit_is_one_query_however_deep(deep):
    with CaptureQueriesContext(connection) as queries:
        codes = {u.code for u in Unit.objects.subtree(deep["chain"][3])}
    assert len(queries) == 1
    assert codes == {"L2", "SIDE", *(f"L{n}" for n in range(3, 10))}
    assert "DISTRICT" not in {u.code for u in Unit.objects.subtree(deep["county"])}


def test_the_subtree_query_uses_the_path_index(deep):
    query = Unit.objects.subtree(deep["chain"][3]).values("id").query
    sql, params = query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "org_unit_path" in plan, plan


def test_a_move_rewrites_the_subtree_and_keeps_history(deep):
    moved = deep["chain"][5]
    services.unit_move(unit=moved, new_parent=deep["district"], moved_on=dt.date(2026, 4, 1))
    below = Unit.objects.get(code="L9")
    assert below.is_under(deep["district"]) and not below.is_under(deep["county"])
    assert below.depth == deep["district"].depth + 1 + (9 - 4)
    assert Unit.objects.get(code="SIDE").is_under(deep["county"])  # a sibling branch stays
    move = UnitMove.objects.get(unit=moved)
    assert (move.from_parent.code, move.to_parent.code) == ("L3", "DISTRICT")


def test_a_unit_cannot_move_under_itself(deep):
    with pytest.raises(services.OrgError, match="below it"):
        services.unit_move(
            unit=deep["chain"][2], new_parent=deep["chain"][7], moved_on=dt.date.today()
        )


def test_roles_scoped_to_one_organisation_keep_them_apart(deep):
    in_county = AssignmentFactory(unit=deep["side"]).person
    in_district = AssignmentFactory(unit=deep["district"]).person
    hr = UserFactory()
    RoleGrantFactory(user=hr, role="hr_officer", unit=deep["county"])
    seen = set(gates.people_for_user(hr))
    assert in_county in seen and in_district not in seen
    assert deep["district"] not in set(gates.units_for_user(hr))
