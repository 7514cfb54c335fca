"""Builders for organisations and callback XML used across the tests."""

from urllib.parse import urlencode

from bot.wechat.simulator import Platform, event_xml, text_xml
from crm_core import services
from crm_core.model import ManagerState
from crm_core.unit_of_work import UnitOfWork

__all__ = ["event_xml", "org", "post", "subscribe_xml", "text_xml"]


def org(uow: UnitOfWork, branches: dict[str, list[str]],
        states: dict[str, ManagerState] | None = None) -> None:
    """Create branches with managers: {"SH001": ["SH001-01", ...]}, then set states."""
    for branch, managers in branches.items():
        services.add_branch(uow, branch, f"{branch}支行")
        uow.flush()
        for code in managers:
            services.add_manager(uow, code, f"经理{code}", branch)
    uow.flush()
    for code, state in (states or {}).items():
        services.set_manager_state(uow, code, state)


def subscribe_xml(openid: str, scene: str | None = None, at: int | None = None) -> str:
    """A follow, through a parametric QR code when `scene` is given."""
    return event_xml(openid, "subscribe", f"qrscene_{scene}" if scene else None, at=at)


def post(client, platform: Platform, xml: str, mode: str = "plain"):  # type: ignore[no-untyped-def]
    """Sign (and in compat/safe mode encrypt) a callback and post it to /wechat."""
    signed = platform.sign(xml, mode)
    return client.post(f"/wechat?{urlencode(signed.query)}", data=signed.body)
