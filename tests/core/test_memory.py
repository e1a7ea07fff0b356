"""The collector is paused inside and running again after, however the uses nest or fail."""

import gc

import pytest

from peopleplan.core.memory import collector_paused


@collector_paused()
def _inner():
    assert not gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()  # the outer use started it, so it stays paused


def test_the_collector_runs_again_after_nested_and_failing_uses():
    assert gc.isenabled()
    _inner()
    assert gc.isenabled()
    with pytest.raises(ValueError), collector_paused():
        raise ValueError
    assert gc.isenabled()
