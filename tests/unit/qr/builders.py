"""Builders for poster specs and realistic payloads."""

from __future__ import annotations

from typing import Any

from qr import PosterSpec

# The shape of the `url` WeChat returns with a qrcode/create ticket.
WECHAT_TICKET_URL = "http://weixin.qq.com/q/02sZFjEvhGeXk1TjQRNx1s"
CHINESE_PAYLOAD = "https://bank.example.cn/关注?网点=陆家嘴支行&经理=张伟"


def a_poster_spec(**overrides: Any) -> PosterSpec:
    """Return a manager poster for a Shanghai branch, with any field overridden."""
    fields: dict[str, Any] = {
        "payload": WECHAT_TICKET_URL,
        "branch_name": "中国工商银行上海分行陆家嘴支行",
        "slogan": "扫码关注，专属客户经理一对一服务",
        "manager_name": "张伟",
        "manager_title": "理财经理",
        "campaign": "新客户开户享专属礼遇，详询网点工作人员",
    }
    fields.update(overrides)
    return PosterSpec(**fields)


def a_branch_poster_spec(**overrides: Any) -> PosterSpec:
    """Return a branch poster (no manager, no campaign), with any field overridden."""
    fields: dict[str, Any] = {"manager_name": None, "manager_title": None, "campaign": None}
    fields.update(overrides)
    return a_poster_spec(**fields)


VARIANTS = ["a4-manager-logo", "a4-branch-chinese", "tent-manager", "tent-branch-logo-chinese"]


def variants(logo: bytes) -> dict[str, PosterSpec]:
    """Return every poster shape worth printing: each size, with/without manager and logo."""
    return {
        "a4-manager-logo": a_poster_spec(logo=logo),
        "a4-branch-chinese": a_branch_poster_spec(payload=CHINESE_PAYLOAD),
        "tent-manager": a_poster_spec(size="A5_TENT", error_correction="Q"),
        "tent-branch-logo-chinese": a_branch_poster_spec(
            size="A5_TENT", payload=CHINESE_PAYLOAD, logo=logo
        ),
    }


def a_busy_poster_spec(**overrides: Any) -> PosterSpec:
    """Return a poster with every text as long as a real branch would make it."""
    fields: dict[str, Any] = {
        "branch_name": "中国建设银行股份有限公司北京市分行朝阳区建国门外大街营业部",
        "slogan": "扫码关注我们的公众号，网点动态、理财讲座、专属活动第一时间通知您",
        "campaign": "即日起至12月31日，新关注客户可预约免费资产配置咨询服务，"
        "名额有限，详询大堂经理",
        "manager_name": "欧阳晓明",
        "manager_title": "高级个人客户经理",
        "footer": "本海报仅用于客户关注公众号，不构成任何产品推荐或收益承诺。"
        "理财非存款，产品有风险，投资须谨慎。具体以网点公示为准。",
    }
    fields.update(overrides)
    return a_poster_spec(**fields)
