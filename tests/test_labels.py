"""The zh/en catalogue of words a person reads."""

from __future__ import annotations

import re

import pytest

from patrol.labels import shift_label

SHIFTS = ("day", "morning", "afternoon", "evening", "night")


@pytest.mark.parametrize(
    ("name", "zh", "en"),
    [("day", "白班", "day"), ("afternoon", "午班", "afternoon"), ("night", "夜班", "night")],
)
def test_shift_label_gives_the_catalogue_word(name: str, zh: str, en: str) -> None:
    assert shift_label(name) == zh  # Chinese is the default
    assert shift_label(name, "zh") == zh
    assert shift_label(name, "en") == en


def test_shift_label_in_chinese_shows_no_raw_codes() -> None:
    for name in SHIFTS:
        assert not re.search(r"[A-Za-z_]", shift_label(name, "zh")), name


def test_shift_label_of_a_shift_the_catalogue_lacks_is_its_own_name() -> None:
    assert shift_label("早高峰") == "早高峰"
    assert shift_label("late", "en") == "late"
