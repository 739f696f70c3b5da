"""Parses and analyses pause the cyclic garbage collector while they run and always resume it."""

from __future__ import annotations

import gc

import pytest

from harmonize.collector import CollectorPause


def test_paused_inside_resumed_after_the_last_of_overlapping_analyses() -> None:
    pause = CollectorPause()
    assert gc.isenabled()
    with pause():
        assert not gc.isenabled()
        with pause():  # another analysis overlapping (another thread)
            assert not gc.isenabled()
        assert not gc.isenabled()  # the first one still runs
    assert gc.isenabled()


def test_resumed_when_the_analysis_fails() -> None:
    pause = CollectorPause()
    with pytest.raises(ValueError), pause():
        raise ValueError("reference not loaded")
    assert gc.isenabled()


def test_a_collector_paused_by_the_caller_stays_paused() -> None:
    pause = CollectorPause()
    gc.disable()
    try:
        with pause():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
