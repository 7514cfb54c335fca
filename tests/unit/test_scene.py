"""The onboarding scene format printed into every QR code."""

import pytest

from crm_core.model import Scene, SceneError, format_scene, parse_scene


@pytest.mark.parametrize(("text", "scene"), [
    ("b:SH001", Scene(branch="SH001")),
    ("m:SH001-07", Scene(manager="SH001-07")),
    ("c:SPRING26;b:SH001", Scene(branch="SH001", campaign="SPRING26")),
    ("b:SH001;m:SH001-07;c:EXPO_2026", Scene("SH001", "SH001-07", "EXPO_2026")),
])
def test_scene_strings_name_branch_manager_and_campaign(text: str, scene: Scene) -> None:
    assert parse_scene(text) == scene


@pytest.mark.parametrize("text", [
    "", "123123", "b:", "x:SH001", "b:SH001;b:SH002", "c:ONLY", "b:上海", "b:SH 001",
    "b:" + "A" * 25, "b:SH001;" + "c:" + "C" * 60,
])
def test_anything_else_is_a_foreign_scene(text: str) -> None:
    with pytest.raises(SceneError):
        parse_scene(text)


def test_formatted_scene_round_trips_and_fits_the_platform_limit() -> None:
    scene = Scene(branch="B" * 24, manager="M" * 24, campaign="C" * 5)
    text = format_scene(scene)
    assert len(text) <= 64 and parse_scene(text) == scene
    with pytest.raises(SceneError):
        format_scene(Scene(branch="B" * 24, manager="M" * 24, campaign="C" * 24))
