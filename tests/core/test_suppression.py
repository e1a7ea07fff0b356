"""Small-number suppression: hand-worked rows, and properties over every row of counts."""

from hypothesis import given
from hypothesis import strategies as st

from peopleplan.core.suppression import FEWER, HIDDEN, suppress_row, suppress_table


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


def test_a_table_worked_by_hand():
    # Two grade bands of a workforce, by three groups. Band B's 3 is hidden; its row then hides
    # its smallest other (6); the first two columns are each left with one hidden, so band A's
    # 10 and 20 go too.
    table = suppress_table([[10, 20, 30], [3, 6, 50]])
    shown = [[c.shown for c in r.cells] for r in table.rows]
    assert shown == [[HIDDEN, HIDDEN, "30"], [FEWER, HIDDEN, "50"]]
    assert [c.shown for c in table.total.cells] == ["13", "26", "80"]
    assert table.total.total.shown == "119" and table.rows[0].total.shown == "60"
    # Nothing under five: nothing hidden.
    table = suppress_table([[5, 6], [7, 8]])
    assert not any(c.suppressed for r in [*table.rows, table.total] for c in [*r.cells, r.total])


def _sums(table):
    """Every sum the table shows: (total cell, part cells), across and down."""
    lines = [*table.rows, table.total]
    for line in lines:
        yield line.total, line.cells
    for j in range(len(table.total.cells)):
        yield table.total.cells[j], [r.cells[j] for r in table.rows]
    yield table.total.total, [r.total for r in table.rows]


@given(
    st.integers(1, 5).flatmap(
        lambda width: st.lists(
            st.lists(st.integers(0, 40), min_size=width, max_size=width), min_size=1, max_size=6
        )
    )
)
def test_no_count_in_a_table_under_five_can_be_seen_or_worked_out_from_one_sum(rows):
    table = suppress_table(rows)
    for r, counts in zip(table.rows, rows, strict=True):
        for cell, n in zip(r.cells, counts, strict=True):
            assert cell.count == n
            assert cell.suppressed or not 0 < n < 5
    assert [c.count for c in table.total.cells] == [sum(col) for col in zip(*rows, strict=True)]
    for total, parts in _sums(table):
        assert total.count == sum(c.count for c in parts)
        assert sum(1 for c in (total, *parts) if c.suppressed) != 1
