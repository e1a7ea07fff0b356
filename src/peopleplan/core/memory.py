"""Pausing Python's cyclic garbage collector while a computation builds hundreds of thousands
of small objects that all live on (the workforce measures read a council's jobs, spells and
people as tuples). Each burst of allocations would otherwise set the collector walking
everything built so far, again and again, for nothing: none of it is cyclic garbage.
Reference counting still frees what goes out of use, and the collector runs as usual after.

    @collector_paused()
    def read(...): ...
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the collector inside; whoever paused it first starts it again (so nested and
    concurrent uses always leave it running)."""
    was_running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_running:
            gc.enable()
