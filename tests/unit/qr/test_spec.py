"""PosterSpec refuses what could only print a broken poster."""

from __future__ import annotations

from typing import Any

import pytest

from qr import DEFAULT_FOOTER
from tests.unit.qr.builders import a_poster_spec


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"payload": " "}, "payload"),
        ({"branch_name": ""}, "branch_name"),
        ({"slogan": "  "}, "slogan"),
        ({"footer": ""}, "footer"),
        ({"manager_name": None, "manager_title": "理财经理"}, "manager_title"),
        ({"size": "A3"}, "size"),
        ({"error_correction": "Z"}, "error_correction"),
        ({"accent": "red"}, "accent"),
    ],
)
def test_a_spec_that_cannot_print_is_refused(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        a_poster_spec(**overrides)


def test_the_footer_defaults_to_the_no_recommendation_notice() -> None:
    assert a_poster_spec().footer == DEFAULT_FOOTER


def test_printed_texts_leave_out_missing_optional_fields() -> None:
    spec = a_poster_spec(manager_name=None, manager_title=None, campaign=None)

    assert set(spec.texts()) == {"branch_name", "slogan", "footer"}


def test_accent_colour_converts_to_rgb() -> None:
    assert a_poster_spec(accent="#0B4F8A").accent_rgb == (11, 79, 138)
