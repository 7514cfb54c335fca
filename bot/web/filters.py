"""The Jinja filters that put stored codes into words: `value|zh('notice_kind')` for any code
table of bot.labels, `detail|audit_detail`, and `scene|scene` for a QR scene named by its
branch, manager and campaign (names looked up once per request)."""

import re
from typing import Any

from flask import Flask, g

from bot import labels
from bot.web.edge import current_runtime
from crm_core import services
from crm_core.model import SceneError, parse_scene
from crm_core.unit_of_work import SqlUnitOfWork

QR_PREFIX = "qrscene_"  # how the platform prefixes the scene of a follow through a code
# A timeline entry names its scene in full-width brackets: 关注（qrscene_b:SH001）.
SCENE_IN_TEXT = re.compile(r"（([^（）]{1,80})）")
SCENE_BRANCH = "{name}"
SCENE_MANAGER = "客户经理{name}"
SCENE_CAMPAIGN = "活动{code}"
SCENE_JOIN = "·"


def init_filters(app: Flask) -> None:
    """Register the filters (and the older `label(kind, value)` global) on the app."""
    app.jinja_env.filters["zh"] = lambda value, kind: labels.label(kind, value)
    app.jinja_env.filters["audit_detail"] = labels.audit_detail
    app.jinja_env.filters["rule_words"] = labels.describe_rule
    app.jinja_env.filters["wechat_error"] = labels.wechat_error
    app.jinja_env.filters["scene"] = scene_words
    app.jinja_env.filters["scenes_in"] = scenes_in
    app.jinja_env.globals["label"] = labels.label


def remember_scene_names(uow: SqlUnitOfWork, scenes: list[str]) -> None:
    """Look up the names of many scenes' codes at once, for the page being rendered."""
    _known().update({kind: {**_known().get(kind, {}), **names}
                     for kind, names in services.scene_names(uow, scenes).items()})


def scene_words(text: str | None) -> str:
    """Name a scene's branch, manager and campaign ("客户经理张伟·SH001支行"); other text as is."""
    try:
        scene = parse_scene((text or "").removeprefix(QR_PREFIX))
    except SceneError:
        return text or labels.EMPTY
    _lookup(text or "")
    known = _known()
    parts = [SCENE_MANAGER.format(name=known["manager"].get(scene.manager, scene.manager))
             if scene.manager else "",
             SCENE_BRANCH.format(name=known["branch"].get(scene.branch, scene.branch))
             if scene.branch else "",
             SCENE_CAMPAIGN.format(code=scene.campaign) if scene.campaign else ""]
    return SCENE_JOIN.join(part for part in parts if part)


def scenes_in(text: str | None) -> str:
    """Replace each scene inside a sentence (a timeline entry) by its names."""
    return SCENE_IN_TEXT.sub(lambda found: f"（{scene_words(found.group(1))}）", text or "")


def _known() -> dict[str, dict[str, Any]]:
    if "zh_scene_names" not in g:
        g.zh_scene_names = {"branch": {}, "manager": {}}
    names: dict[str, dict[str, Any]] = g.zh_scene_names
    return names


def _lookup(text: str) -> None:
    scene = parse_scene(text.removeprefix(QR_PREFIX))
    known = _known()
    if (scene.branch or "") in known["branch"] | {"": ""} and \
            (scene.manager or "") in known["manager"] | {"": ""}:
        return
    try:
        with current_runtime().uow() as uow:
            assert isinstance(uow, SqlUnitOfWork)  # noqa: S101 - the console reads SQL
            remember_scene_names(uow, [text])
    except RuntimeError:  # rendered inside a view's own unit of work (SQLite): codes stay
        pass
    for kind, code in (("branch", scene.branch), ("manager", scene.manager)):
        if code:
            known[kind].setdefault(code, code)  # unknown codes are not looked up again
