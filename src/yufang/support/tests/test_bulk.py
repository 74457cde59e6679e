from __future__ import annotations

import gc
import threading

import pytest

from yufang.support.bulk import collector_paused, while_database_runs


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


@pytest.mark.django_db
def test_work_meanwhile_runs_until_the_database_is_done():
    released = threading.Event()
    calls: list[int] = []

    def wait_for_release(cursor):
        assert released.wait(10), "meanwhile never ran"

    def meanwhile() -> bool:
        calls.append(1)
        if len(calls) == 3:
            released.set()
        return True

    done = while_database_runs([(wait_for_release, (), None)], lambda: "checked", None, meanwhile)
    assert done == "checked"
    assert len(calls) >= 3


@pytest.mark.django_db
def test_work_meanwhile_stops_when_it_has_nothing_left():
    released = threading.Event()
    calls: list[int] = []

    def wait_for_release(cursor):
        assert released.wait(10)

    def meanwhile() -> bool:
        calls.append(1)
        released.set()
        return False

    while_database_runs([(wait_for_release, (), None)], lambda: "checked", None, meanwhile)
    assert calls == [1]
