from __future__ import annotations

import gc

from yufang.lib.bulk import collector_paused


def test_collector_is_paused_in_the_block_and_back_after():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_collector_comes_back_after_an_error():
    try:
        with collector_paused():
            raise ValueError("bad row")
    except ValueError:
        pass
    assert gc.isenabled()
