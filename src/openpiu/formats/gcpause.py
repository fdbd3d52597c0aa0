"""Pause the cyclic garbage collector during a parse, and settle what it kept.

Parsers build many small objects and no reference cycles; see :func:`gc_paused`.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a parse builds many small objects.

    A parse creates hundreds of thousands of lists and strings and no reference
    cycles; the collector's repeated passes over them cost about half the parse
    time.  Reference counting still frees everything as usual.  On the way out, what
    the parse kept is settled by :func:`_settle_young` rather than scanned.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            _settle_young()
            gc.enable()


# Objects moved to the oldest generation by _settle_young since the last full collection
# (an estimate from the young generations' counts), and the full-collection count then.
_settled = 0
_full_collections = 0
# About 100 parsed pushes of 100 PNRs; a full collection of a worker's heap every so
# often costs far less than the young scans it replaces.
_SETTLE_LIMIT = 1_000_000
_someone_froze = False


def _settle_young() -> None:
    """Move the young generations to the oldest one without scanning them.

    While the collector was paused, every container the parse kept (the result,
    about 9,000 objects per 100 PNRs) piled up in generation 0.  Re-enabling it
    makes the next allocation scan all of them, and generation 1 scans them again
    later, though the caller still holds them all: in the PNRGOV benchmark that was
    about 15 % of the parse.  ``gc.freeze()`` then ``gc.unfreeze()`` moves
    generations 0 and 1 to generation 2 in constant time, so they are scanned only
    by full collections, like any long-lived data.

    Why this stays safe in a long-running worker:

    * the parsers build no reference cycles, so their garbage is freed by reference
      counting whatever generation it sits in;
    * other code's young garbage cycles moved along only wait for the next full
      collection.  CPython starts full collections by counting what its own young
      collections promote, which does not include these objects, so they are counted
      here and a full collection is run once they pass ``_SETTLE_LIMIT``: cyclic
      garbage can wait, but never accumulate without bound;
    * a process that froze objects itself (``gc.freeze()`` before ``fork`` to keep
      pages shared) is left alone, since ``unfreeze`` would thaw its objects too.
    """
    global _settled, _full_collections, _someone_froze
    if _someone_froze or gc.get_freeze_count():  # O(1) while nothing is frozen
        _someone_froze = True  # checking would cost a walk of the frozen objects
        return
    young, gen1_runs, _ = gc.get_count()
    threshold0 = gc.get_threshold()[0]
    full = gc.get_stats()[2]["collections"]
    if full != _full_collections:  # a full collection ran since: start counting again
        _full_collections, _settled = full, 0
    _settled += young + gen1_runs * threshold0
    gc.freeze()
    gc.unfreeze()
    if _settled > _SETTLE_LIMIT:
        gc.collect()
        _full_collections, _settled = gc.get_stats()[2]["collections"], 0
