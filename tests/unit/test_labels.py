"""Every stored code staff can read has a Chinese name: each audit action the code records,
each value of the enums shown in the console; details read as sentences, not Python dicts."""

import re
from enum import StrEnum
from pathlib import Path

import pytest

from bot.labels import AUDIT_KEYS, LABELS, audit_detail, label, wechat_error
from crm_core.model import (
    FollowState,
    LeadStatus,
    LinkReason,
    ManagerRole,
    ManagerState,
    NoticeKind,
    NoticeStatus,
    StaffRole,
)

ROOT = Path(__file__).parents[2]
# The action is the fourth argument of an audit call (unit of work, time, actor, action), or
# the `action=` of an event built by hand.
_AUDIT_CALL = re.compile(r"(?<![A-Za-z])_?audit\(\s*uow,\s*[^,]+,\s*[^,]+,\s*\"([a-z_]+)\""
                         r"|action=\"([a-z_]+)\"")


def recorded_actions() -> set[str]:
    found = set()
    for path in [*ROOT.joinpath("bot").rglob("*.py"), *ROOT.joinpath("crm_core").rglob("*.py")]:
        for match in _AUDIT_CALL.finditer(path.read_text(encoding="utf-8")):
            found.add(match.group(1) or match.group(2))
    return found


def test_every_audit_action_recorded_has_a_chinese_name() -> None:
    actions = recorded_actions()
    assert {"login", "leads_exported", "transfer", "risk_assessed"} <= actions
    assert sorted(actions - set(LABELS["audit_action"])) == []


@pytest.mark.parametrize(("kind", "enum"), [
    ("lead", LeadStatus), ("notice", NoticeStatus), ("notice_kind", NoticeKind),
    ("follow", FollowState), ("manager", ManagerState), ("manager_role", ManagerRole),
    ("link", LinkReason), ("role", StaffRole)])
def test_every_enum_value_shown_has_a_chinese_name(kind: str, enum: type[StrEnum]) -> None:
    assert sorted(set(enum) - set(LABELS[kind])) == []
    assert label(kind, next(iter(enum))) != next(iter(enum)).value


def test_audit_details_read_as_chinese_sentences() -> None:
    assert audit_detail({"ip": "127.0.0.1"}) == "IP 地址：127.0.0.1"
    assert audit_detail({"status": "contacted", "customers": [3, 4]}) == \
        "状态：已联系；客户编号：3、4"
    assert audit_detail({"decisions": [{"code": "WM001", "outcome": "no_assessment"}]}) == \
        "逐项结果：（产品：WM001，结果：未评估）"
    assert audit_detail(None) == ""
    assert set(AUDIT_KEYS) >= {"ip", "limit", "rows", "files", "tokens_revoked"}


def test_a_failed_notice_says_why_by_the_platforms_code() -> None:
    assert wechat_error(43004, "require subscribe rid: 1") == \
        "接收人未关注公众号，请让客户经理关注后重新绑定"
    assert "99999" in wechat_error(99999, "whatever") and "whatever" not in wechat_error(99999, "")
    assert wechat_error(None, "connection reset").startswith("发送失败")
    assert wechat_error(None, None) == ""
