"""Small-number suppression: hand-worked rows, and properties over every row of counts."""

from hypothesis import given
from hypothesis import strategies as st

from peopleplan.core.suppression import FEWER, HIDDEN, suppress_row


def test_rows_worked_by_hand():
    row = suppress_row([12, 3, 40, 7])
    assert [c.shown for c in row.cells] == ["12", FEWER, "40", HIDDEN]  # 7: the smallest other
    assert row.total.shown == "62"
    assert row.share(0) == 19.4 and row.share(1) is None and row.share(3) is None
    row = suppress_row([12, 3, 40, 2])  # two under 5 already: neither can be worked out
    assert [c.shown for c in row.cells] == ["12", FEWER, "40", FEWER]
    row = suppress_row([0, 3, 0])  # nothing else to hide: the total goes (it is under 5 too)
    assert row.total.suppressed and [c.shown for c in row.cells] == ["0", FEWER, "0"]
    row = suppress_row([0, 0, 20])
    assert [c.value for c in row.cells] == [0, 0, 20] and row.total.value == 20


@given(st.lists(st.integers(0, 60), min_size=1, max_size=8))
def test_no_count_under_five_can_be_seen_or_worked_out(counts):
    row = suppress_row(counts)
    for n, cell in zip(counts, row.cells, strict=True):
        if 0 < n < 5:
            assert cell.suppressed and cell.value is None
        if not cell.suppressed:
            assert cell.value == n
    hidden = sum(1 for c in row.cells if c.suppressed)
    if not row.total.suppressed:
        assert hidden != 1  # one hidden cell beside a shown total could be subtracted out
        assert row.total.value == sum(counts)
    for index, cell in enumerate(row.cells):
        if cell.suppressed:
            assert row.share(index) is None
