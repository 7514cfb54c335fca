"""Shares: who shared which product to whom, what each share brought, and who gets credit.

A sharer is named by a reference: `c<customer id>`, `m<manager code>` or `v<visitor id>` (a
browser we only know by its cookie). Each (sharer, product, parent share) has one share link,
so a chain of shares is a tree; its root customer and manager get the credit for every open,
follow and lead it brings. Nothing is ever rewarded: these counts are for service only.
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from crm_core.model import (
    Customer,
    NoticeKind,
    NoticeStatus,
    Scope,
    ShareEventKind,
    ShareLink,
    StaffRole,
    parse_scene,
)
from crm_core.model.campaigns import sharer_campaign
from crm_core.model.scene import SceneError
from crm_core.services.customers import customer_label
from crm_core.services.leases import within_cap
from crm_core.services.notices import enqueue_notice
from crm_core.unit_of_work import UnitOfWork

SCENE_CAMPAIGN_PREFIX = "S-"  # a follow through the share
INTEREST_CAMPAIGN_PREFIX = "L-"  # the same, and "please contact me about the product" (a lead)
_SHARE_CAMPAIGN = re.compile(r"([SL])-([0-9a-f]{16})")
EPOCH = datetime(1970, 1, 1)


class NotShareable(ValueError):
    """The product does not exist or may not be shared (private placement)."""


@dataclass(frozen=True)
class ShareClaim:
    """What a verified share token says."""

    sharer: str
    product: str
    parent: str | None = None
    direct: bool = False  # handed by the bot to the sharer themselves


@dataclass(frozen=True)
class MintCaps:
    """How many forwarded shares (ones with a parent) opens may create in each window: per
    client address (`client`: the one asking) and per chain of shares (root and product)."""

    client: str
    per_client: int
    per_share: int
    window: timedelta


@dataclass(frozen=True)
class OpenOutcome:
    """An open of a share link: whether it counted, and the claim the visitor's page carries."""

    share_key: str
    counted: bool
    customer_id: int | None
    page_claim: ShareClaim


@dataclass(frozen=True)
class ShareCredit:
    """A follow or scan credited to a share; `interest` if its scene asked for a contact."""

    share_key: str
    product_code: str
    interest: bool


def share_key(sharer: str, product: str, parent: str | None) -> str:
    """Return the stable key of one sharer's link to one product under one parent."""
    return hashlib.sha256(f"{sharer}|{product}|{parent or ''}".encode()).hexdigest()[:16]


def customer_sharer(uow: UnitOfWork, openid: str) -> str:
    """Return the sharer reference of a customer."""
    customer = uow.customers.by_openid(openid)
    if customer is None:
        raise LookupError(f"no customer with openid {openid!r}")
    return f"c{customer.id}"


def check_shareable(uow: UnitOfWork, product_code: str) -> None:
    """Raise NotShareable unless the product exists and is not a private placement."""
    product = uow.products.by_code(product_code)
    if product is None or product.private_placement:
        raise NotShareable(f"product {product_code} cannot be shared")


def record_open(uow: UnitOfWork, claim: ShareClaim, visitor: str, visitor_customer: int | None,
                now: datetime, batch: timedelta, *, verified: bool = False,
                caps: MintCaps | None = None) -> OpenOutcome:
    """Record an open of a share link by a visitor; the sharer's own opens are not counted.

    `verified`: the channel proved who the visitor is (WeChat web authorisation), so
    `visitor_customer` (None: not a customer) decides. Otherwise the visitor is known by a
    cookie only and the first open of a link handed to a customer is taken to be theirs.
    `caps`: a forwarded share is created only within them; past them the open counts for the
    share it was forwarded from (the same root is credited).
    """
    check_shareable(uow, claim.product)
    share = _ensure(uow, claim, caps, now)
    own = _sharer_customer(claim.sharer)
    # Only a guess: the link may have been forwarded before its owner ever opened it.
    guessed = bool(not verified and visitor_customer is None and claim.direct and own
                   and not uow.shares.has_events(share))
    if guessed:
        visitor_customer = own
    if guessed or (verified and own is not None and visitor_customer == own):
        # The owner's own open also tells later cookie-only opens that the guess is spent.
        uow.shares.record(_event(share, ShareEventKind.SELF, f"v{visitor}", own, now))
    counted = claim.sharer != f"v{visitor}" and (visitor_customer is None
                                                  or visitor_customer != own)
    if counted and uow.shares.record(_event(share, ShareEventKind.OPEN, f"v{visitor}",
                                            visitor_customer, now)):
        _notify_opens(uow, share, now, batch)
    page_sharer = f"c{visitor_customer}" if visitor_customer else f"v{visitor}"
    parent = None if page_sharer == claim.sharer else share.key
    page = ShareClaim(page_sharer, claim.product, claim.parent if parent is None else parent)
    return OpenOutcome(share.key, counted, visitor_customer, page)


def share_scene(uow: UnitOfWork, key: str, *, interest: bool = False) -> str | None:
    """Return the QR scene that credits a follow to this share (and links to its manager);
    an interest scene also asks the manager to contact the follower about the product."""
    share = uow.shares.by_key(key)
    if share is None:
        return None
    prefix = INTEREST_CAMPAIGN_PREFIX if interest else SCENE_CAMPAIGN_PREFIX
    campaign = f"c:{prefix}{share.key}"
    manager = share.root_manager
    return f"m:{manager.code};{campaign}" if manager else campaign


def opened_share_scene(uow: UnitOfWork, visitor: str, since: datetime) -> str | None:
    """Return the follow scene of the share a visitor last opened since `since`: a follow
    without a QR scene (the account searched, say) by someone the platform identified on a
    shared page is credited to that share, and links them to its manager."""
    share = uow.shares.last_opened_by(visitor, since)
    return share_scene(uow, share.key) if share else None


def page_share_scene(uow: UnitOfWork, claim: ShareClaim, visitor: str, *,
                     interest: bool = False) -> str | None:
    """Return the scene a visitor of a page scans to follow through the share they opened.

    The visitor's own page token (sharer `v<id>`) names that share as its parent; any other
    token is itself the share opened. None if no such share was ever recorded.
    """
    own = share_key(claim.sharer, claim.product, claim.parent)
    if claim.sharer == visitor or uow.shares.by_key(own) is None:
        # A token of a visitor whose cookie is gone, never opened by anyone else: its parent.
        own = claim.parent or ""
    return share_scene(uow, own, interest=interest)


def credit_follow(uow: UnitOfWork, openid: str, scene: str | None,
                  now: datetime) -> ShareCredit | None:
    """Credit a follow or scan through a share scene to the share; None if it was not one."""
    found = _share_of_scene(uow, scene)
    customer = uow.customers.by_openid(openid)
    if found is None or customer is None:
        return None
    share, interest = found
    uow.shares.record(_event(share, ShareEventKind.FOLLOW, f"c{customer.id}", customer.id, now))
    return ShareCredit(share.key, share.product_code, interest)


def credit_lead(uow: UnitOfWork, key: str, customer_id: int, now: datetime) -> None:
    """Credit a lead opened from a shared page to that share."""
    share = uow.shares.by_key(key)
    if share is not None:
        uow.shares.record(_event(share, ShareEventKind.LEAD, f"c{customer_id}", customer_id,
                                 now))


def _share_of_scene(uow: UnitOfWork, scene: str | None) -> tuple[ShareLink, bool] | None:
    try:
        campaign = parse_scene(scene).campaign if scene else None
    except SceneError:
        campaign = _bare_campaign(scene or "")
    found = _SHARE_CAMPAIGN.fullmatch(campaign or "")
    if found is None:
        return None
    share = uow.shares.by_key(found.group(2))
    return (share, f"{found.group(1)}-" == INTEREST_CAMPAIGN_PREFIX) if share else None


def _bare_campaign(scene: str) -> str | None:
    # A root without a manager gives a scene of just "c:S<key>", foreign to onboarding.
    tag, _, code = scene.partition(":")
    return code if tag == "c" else None


def _ensure(uow: UnitOfWork, claim: ShareClaim, caps: MintCaps | None,
            now: datetime) -> ShareLink:
    key = share_key(claim.sharer, claim.product, claim.parent)
    existing = uow.shares.by_key(key)
    if existing is not None:
        return existing
    parent = uow.shares.by_key(claim.parent) if claim.parent else None
    if parent is not None and caps is not None and not _may_mint(uow, caps, parent, now):
        return parent
    root_customer, root_manager = _roots(uow, claim.sharer, parent)
    return uow.shares.ensure({"key": key, "product_code": claim.product,
                              "sharer": claim.sharer, "parent_id": parent.id if parent else None,
                              "root_customer_id": root_customer, "root_manager_id": root_manager,
                              "campaign_id": sharer_campaign(claim.sharer)})


def _may_mint(uow: UnitOfWork, caps: MintCaps, parent: ShareLink, now: datetime) -> bool:
    # Counted per chain (its root and product), so a chain of forwards is capped as a whole;
    # a client past its own cap does not use up the chain's: others may still forward it.
    chain = f"{parent.root_customer_id}:{parent.root_manager_id}:{parent.product_code}"
    return (within_cap(uow, f"share-mint:client:{caps.client}", caps.per_client, caps.window,
                       now)
            and within_cap(uow, f"share-mint:chain:{chain}", caps.per_share, caps.window, now))


def _roots(uow: UnitOfWork, sharer: str, parent: ShareLink | None) -> tuple[int | None,
                                                                               int | None]:
    if parent is not None:
        return parent.root_customer_id, parent.root_manager_id
    if sharer.startswith("m"):
        manager = uow.managers.by_code(sharer[1:])
        return None, manager.id if manager else None
    customer_id = _sharer_customer(sharer)
    customer = uow.products.customers([customer_id]).get(customer_id) if customer_id else None
    return (customer.id, _manager_id(customer)) if customer else (None, None)


def _manager_id(customer: Customer) -> int | None:
    link = customer.current_link
    return link.manager_id if link else None


def _sharer_customer(sharer: str) -> int | None:
    return int(sharer[1:]) if sharer.startswith("c") and sharer[1:].isdigit() else None


def _event(share: ShareLink, kind: ShareEventKind, visitor: str, customer: int | None,
           now: datetime) -> dict[str, Any]:
    return {"share_id": share.id, "kind": kind.value, "visitor": visitor[:40],
            "customer_id": customer, "first_at": now, "last_at": now}


def _notify_opens(uow: UnitOfWork, share: ShareLink, now: datetime, batch: timedelta) -> None:
    # One notice per manager, customer, product and batch window: created at the first open,
    # sent at the window's end with the count as it then stands.
    customer, manager = share.root_customer, share.root_manager
    if customer is None or manager is None:
        return
    window = int((now - EPOCH) / batch)
    key = f"shares:{manager.id}:{customer.id}:{share.product_code}:{window}"
    product = uow.products.by_code(share.product_code)
    payload = {"customer": customer.display_name or customer_label(customer.openid),
               "customer_id": customer.id,
               "product": product.name if product else share.product_code,
               "opens": uow.shares.unique_opens(customer.id, share.product_code),
               "at": now.isoformat()}
    notice = uow.notices.by_key(key)
    if notice is None and enqueue_notice(uow, key, NoticeKind.SHARE_OPENS, manager, payload,
                                         now):
        notice = uow.notices.by_key(key)
        if notice is not None:
            notice.next_attempt_at = EPOCH + batch * (window + 1)
    elif notice is not None and notice.status in (NoticeStatus.PENDING, NoticeStatus.HELD):
        notice.payload = payload


def share_leaderboard(uow: UnitOfWork,
                      scope: Scope | None = None) -> dict[str, list[dict[str, Any]]]:
    """Return opens (unique visitors), follows and leads brought by shares, per manager and
    per customer, most opens first: of the shares credited to the scope's manager or branch
    (a manager, a branch head), or all of them (head office; no scope: the CLI)."""
    manager_id = branch_id = None
    if scope is not None and scope.role is StaffRole.MANAGER:
        manager_id = scope.manager_id if scope.manager_id is not None else -1
    elif scope is not None and scope.role is StaffRole.BRANCH_HEAD:
        branch_id = scope.branch_id if scope.branch_id is not None else -1
    return {"managers": _board(uow, "manager", manager_id, branch_id),
            "customers": _board(uow, "customer", manager_id, branch_id)}


def _board(uow: UnitOfWork, by: str, manager_id: int | None,
           branch_id: int | None) -> list[dict[str, Any]]:
    totals: dict[int, dict[str, int]] = {}
    for root, kind, visitors, _links in uow.shares.board(by, manager_id, branch_id):
        if kind == ShareEventKind.SELF:
            continue
        totals.setdefault(int(root), {"opens": 0, "follows": 0, "leads": 0})[kind + "s"] = \
            int(visitors)
    rows = [{**_who(uow, by, root), **counts} for root, counts in totals.items()]
    return sorted(rows, key=lambda r: (-r["opens"], -r["follows"], -r["leads"], str(r)))


def _who(uow: UnitOfWork, by: str, root: int) -> dict[str, Any]:
    if by == "manager":
        manager = uow.managers.get(root)
        return {"manager": manager.code if manager else None,
                "name": manager.name if manager else None}
    customer = uow.products.customers([root]).get(root)
    return {"customer_id": root,
            "customer": customer_label(customer.openid) if customer else None}
