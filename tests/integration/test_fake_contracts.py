"""The fakes answer every repository question as the SQL repositories do.

One scenario drives the services through each unit of work; then every query of every
repository protocol is asked of each, and the answers must be the same.
"""

import hashlib
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from crm_core import services
from crm_core.db import make_engine, make_session_factory
from crm_core.model import (
    Direction,
    Lead,
    LeadStatus,
    ManagerState,
    NoticeStatus,
    SealedPhone,
    StaffRole,
)
from crm_core.model.conversations import Presence
from crm_core.services import Choice, CodeToCreate, ShareClaim
from crm_core.services import conversations as talk
from crm_core.unit_of_work import DuplicateDelivery, SqlUnitOfWork, UnitOfWork
from tests.builders import org
from tests.fakes import FakeUnitOfWork

T0 = datetime(2026, 11, 28, 9, 0)
SLA, BATCH = timedelta(hours=2), timedelta(minutes=10)
LIMITS = services.LoginLimits(per_account=3, per_address=3, window=timedelta(minutes=15))
CATALOGUE = """code,name,category,risk,rate,term,summary,private
WM001,稳盈90天理财,理财,R2,{rate},90天,固收类理财,false
DP001,三年期大额存单,存款,R1,2.35%,3年,大额存单,false
"""
FAQ = """key,topic,question,answer,keywords,active
fees,费用,理财有哪些费用？,{answer},费用 手续费,true
hours,流程,几点营业？,工作日九点至五点。,营业时间 几点,{active}
"""
Opener = Callable[[], UnitOfWork]


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def catalogue(uow: UnitOfWork, rate: str, at: datetime) -> None:
    rows = services.read_rows(CATALOGUE.format(rate=rate), "csv", "product")
    services.import_products(uow, rows, "t.csv", at)


def customers(uow: UnitOfWork) -> list[Any]:
    arrivals = [services.follow(uow, f"o{i}", scene, T0 + timedelta(minutes=i)) for i, scene
                in enumerate(["m:SH001-01", "b:SH001", "b:BJ001", "m:SH001-03;c:SPRING"])]
    arrivals.append(services.scan(uow, "o0", "b:BJ001", T0 + timedelta(days=1)))
    for n, minute in enumerate((1, 2, 2)):
        services.record_interaction(uow, "o0", Direction.IN, "text", f"问{n}",
                                    T0 + timedelta(minutes=minute))
    services.set_customer_details(uow, "o1", "张三", SealedPhone("cipher", "1234", "digest"),
                                  "admin", T0)
    services.set_risk_level(uow, "o0", 3, date(2026, 1, 5), "li", T0)
    services.set_risk_level(uow, "o0", 2, date(2026, 6, 5), "li", T0)
    services.set_personalised(uow, "o1", False, T0)
    return list(arrivals)


def leads(uow: UnitOfWork) -> list[Any]:
    opened = [services.open_lead(uow, "o0", "contact", T0, SLA),
              services.open_lead(uow, "o1", "contact", T0 + timedelta(minutes=1), SLA),
              services.open_lead(uow, "o2", "product_interest", T0, SLA, "WM001"),
              services.open_lead(uow, "o0", "contact", T0, SLA)]
    services.update_lead(uow, opened[1].lead_id, LeadStatus.CONTACTED, T0 + timedelta(hours=1))
    chased = services.chase_overdue_leads(uow, T0 + SLA, timedelta(hours=4))
    return [(o.lead_id, o.duplicate, o.manager) for o in opened] + [chased]


def racing_leads(uow: UnitOfWork) -> list[Any]:
    """Leads inserted as a request sent twice at once would: only the first of each is open.

    Asked last and answered without ids: PostgreSQL's sequence moves on at each skipped insert.
    """
    o0, o2 = uow.customers.by_openid("o0"), uow.customers.by_openid("o2")
    assert o0 is not None and o2 is not None
    requests = [(o0, "contact", None), (o2, "product_interest", "WM001"),
                (o0, "product_interest", "WM001"), (o0, "product_interest", "WM001"),
                (o0, "product_interest", None), (o0, "product_interest", None)]
    added = [uow.leads.add_unless_open(Lead(
        customer_id=customer.id, source=source, product_code=product, status=LeadStatus.NEW,
        created_at=T0, due_at=T0 + SLA)) for customer, source, product in requests]
    lost = added[2]
    assert lost is not None
    services.update_lead(uow, lost.id, LeadStatus.LOST, T0)  # a closed lead binds nothing
    again = uow.leads.add_unless_open(Lead(
        customer_id=o0.id, source="product_interest", product_code="WM001",
        status=LeadStatus.NEW, created_at=T0, due_at=T0 + SLA))
    return [None if lead is None else (lead.customer_id, lead.source, lead.product_code,
                                       lead.status, lead.manager_id, lead.due_at)
            for lead in [*added, again]]


def staff(uow: UnitOfWork) -> tuple[list[Any], dict[str, str]]:
    bind = services.issue_bind_code(uow, "SH001-01", T0, timedelta(minutes=30), "admin")
    results = [services.bind_manager(uow, "o-mgr", "00000000", T0, 5, timedelta(minutes=15)),
               services.bind_manager(uow, "o-mgr", bind, T0, 5, timedelta(minutes=15))]
    services.add_staff(uow, "li", "李", "hash", StaffRole.MANAGER, "SH001-01", None, "admin", T0)
    services.add_staff(uow, "hq", "总行", "hash", StaffRole.HEAD_OFFICE, None, None, "admin", T0)
    token = services.issue_api_token(uow, "li", "sync", T0, "admin")
    for name in ("laptop", "phone"):
        services.issue_api_token(uow, "hq", name, T0, "admin")
    revoked = services.revoke_api_tokens(uow, "hq", [2], "admin", T0)
    logins = [login(uow, "li", address, ok, T0 + timedelta(minutes=minute))
              for minute, address, ok in [(0, "10.0.0.1", False), (1, "10.0.0.1", False),
                                          (2, "10.0.0.2", True), (3, "10.0.0.1", False),
                                          (4, "10.0.0.1", False)]]
    services.log_out(uow, 1, "10.0.0.2", T0)
    return [*results, revoked, logins, services.staff_listing(uow)], {"bind": bind,
                                                                      "token": token}


def login(uow: UnitOfWork, username: str, address: str, ok: bool, now: datetime) -> str:
    refused = services.admit_login(uow, username, address, now, LIMITS)
    if refused:
        return refused
    services.record_login(uow, username, address, ok, now, LIMITS.window)
    return str(ok)


def codes_and_shares(uow: UnitOfWork) -> list[Any]:
    infos = [services.record_code(uow, CodeToCreate("b:SH001", True, None), "t1", "u1", None, T0),
             services.record_code(uow, CodeToCreate("m:SH001-03;c:SPRING", False, 3600), "t2",
                                  "u2", 3600, T0),
             services.record_code(uow, CodeToCreate("m:SH001-03;c:SPRING", False, 3600), "t3",
                                  "u3", 3600, T0 + timedelta(hours=2))]
    handed, managers = ShareClaim("c1", "WM001", direct=True), ShareClaim("mSH001-03", "DP001")
    opens = [services.record_open(uow, handed, "b-own", None, T0, BATCH),
             services.record_open(uow, handed, "b-1", None, T0, BATCH),
             services.record_open(uow, handed, "b-1", None, T0 + timedelta(minutes=1), BATCH),
             services.record_open(uow, managers, "b-2", None, T0, BATCH),
             services.record_open(uow, ShareClaim("mBJ001-01", "DP001"), "b-4", None, T0,
                                  BATCH)]
    forwarded = services.record_open(uow, opens[1].page_claim, "b-3", 3, T0, BATCH,
                                     verified=True)
    return [i.scene for i in infos] + [(o.share_key, o.counted) for o in [*opens, forwarded]]


def outbox_and_leases(uow: UnitOfWork) -> list[Any]:
    due = T0 + timedelta(minutes=5)
    jobs = [services.claim_next(uow, "w1", due, 60, due) for _ in range(2)]
    assert jobs[0] is not None
    services.notice_sent(uow, jobs[0].id, 77, T0 + timedelta(minutes=5))
    hour = timedelta(hours=1)
    caps = [services.within_cap(uow, key, 2, hour, T0 + minutes)
            for key, minutes in [("a", timedelta(0)), ("a", hour / 2), ("b", hour / 2),
                                 ("a", hour / 2), ("a", hour), ("b", hour / 2)]]
    return [[j.key if j else None for j in jobs], caps,
            services.take_lease(uow, "token", "a", 30, T0),
            services.take_lease(uow, "token", "b", 30, T0 + timedelta(seconds=10)),
            services.write_shared(uow, "token", "a", "value", 60, T0),
            services.take_lease(uow, "token", "b", 30, T0 + timedelta(seconds=30)),
            services.write_shared(uow, "token", "a", "again", 60, T0 + timedelta(seconds=30)),
            services.take_lease(uow, "token", "b", 30, T0 + timedelta(seconds=31))]


def faq_choices_and_misses(uow: UnitOfWork) -> list[Any]:
    reports = [services.import_faq(uow, services.read_rows(
        FAQ.format(answer=answer, active=active), "csv", "faq"), "faq.csv", at)
        for answer, active, at in [("认购费和管理费。", "true", T0),
                                   ("认购费、管理费和托管费。", "false", T0 + timedelta(hours=1)),
                                   ("认购费、管理费和托管费。", "false", T0 + timedelta(hours=2))]]
    first, second = Choice("faq", "fees", "费用"), Choice("product", "WM001", "稳盈")
    services.offer_choices(uow, "o0", [first], timedelta(minutes=10), T0)
    services.offer_choices(uow, "o0", [second, first], timedelta(minutes=10), T0)
    services.offer_choices(uow, "o1", [first], timedelta(minutes=10), T0)
    services.offer_choices(uow, "o-new", [second], timedelta(minutes=10), T0)
    services.clear_choices(uow, "o1")
    services.clear_choices(uow, "o-nobody")
    for minute, question in enumerate(["能贷款吗", "手机13812345678能贷款吗", "开户要什么"]):
        services.record_miss(uow, question, "not_found", T0 + timedelta(minutes=minute % 2))
    return [(r.created, r.updated, r.unchanged) for r in reports]


def scenario(open_uow: Opener) -> tuple[list[Any], dict[str, str]]:
    with open_uow() as uow:
        org(uow, {"SH001": ["SH001-01", "SH001-02", "SH001-03"], "BJ001": ["BJ001-01"]})
        services.set_branch_head(uow, "SH001-03", True)
        services.set_manager_state(uow, "SH001-02", ManagerState.ON_LEAVE)
        catalogue(uow, "2.60%", T0)
        catalogue(uow, "2.70%", T0 + timedelta(hours=1))
        outcomes = customers(uow) + leads(uow)
        bound, secrets = staff(uow)
        outcomes += bound + codes_and_shares(uow) + outbox_and_leases(uow)
        outcomes += faq_choices_and_misses(uow)
        outcomes += conversations(uow)
        services.claim_delivery(uow, "wechat", "msg:1", T0)
        uow.commit()
    with open_uow() as uow, pytest.raises(DuplicateDelivery):
        services.claim_delivery(uow, "wechat", "msg:1", T0)
    with open_uow() as uow:  # a rollback brings back what was deleted since the last commit
        services.clear_choices(uow, "o0")
    return outcomes, secrets


def conversations(uow: UnitOfWork) -> list[Any]:
    li = uow.staff.by_username("li")
    assert li is not None
    at = T0 + timedelta(days=2)
    talk.set_presence(uow, services.scope_of(li), Presence.ONLINE, None, at)
    talk.set_hours(uow, "SH001", "123456", "09:00", "17:30")
    talk.add_canned(uow, None, "问候", "您好，请讲。", at)
    first = talk.open_conversation(uow, "o0", "keyword", at, "Asia/Shanghai")
    talk.customer_message(uow, "o0", "text", "在吗", None, at + timedelta(minutes=1))
    replied = talk.reply(uow, services.scope_of(li), first.conversation_id, "在的",
                         at + timedelta(minutes=2))
    talk.close(uow, services.scope_of(li), first.conversation_id, at + timedelta(minutes=3))
    rated = talk.rate(uow, "o0", 5, at + timedelta(minutes=4))
    queued = talk.open_conversation(uow, "o2", "fallback", at, "Asia/Shanghai")
    return [first.answerer, replied.delivery, rated, queued.answerer]


def ids(rows: Any) -> list[Any]:
    return [None if row is None else getattr(row, "id", None) or row.key for row in rows]


def org_answers(uow: UnitOfWork) -> dict[str, Any]:
    sh, bj = uow.branches.by_code("SH001"), uow.branches.by_code("BJ001")
    assert sh is not None and bj is not None
    return {"branches": ([b.code for b in uow.branches.all()], ids([uow.branches.get(2)])),
            "managers": (ids([uow.managers.by_code("SH001-02"), uow.managers.get(3)]),
                         ids(uow.managers.taking_customers(sh)),
                         ids([uow.managers.bound_to("o-mgr"), uow.managers.bound_to("x")]),
                         ids(uow.managers.heads_of(sh.id)), ids(uow.managers.all_bound()),
                         [(m.code, m.branch_id, m.title, m.is_branch_head)
                          for m in uow.managers.taking_customers(bj)]),
            "tickets": (uow.branches.next_ticket(sh), uow.branches.next_ticket(bj))}


def customer_answers(uow: UnitOfWork) -> dict[str, Any]:
    o0 = uow.customers.by_openid("o0")
    assert o0 is not None
    again = uow.customers.add_if_missing("o0", T0 + timedelta(days=9), "later")
    new = uow.customers.add_if_missing("o-late", T0 + timedelta(days=9), "direct")
    links = [(link.manager.code, link.reason.value, link.ended_at) for link in o0.links]
    return {"customers": (ids(uow.customers.with_phone(0, 10)), links,
                          (o0.follow_state, o0.home_branch_id, o0.first_touch_source),
                          (again.id, again.first_touch_at, again.first_touch_source),
                          (new.id, new.follow_state, new.first_touch_at, new.last_touch_at,
                           new.first_touch_source, new.home_branch_id, new.links)),
            "activity": ([(i.summary, i.occurred_at) for i in uow.activity.interactions_of(o0, 2)],
                         [t.scene for t in uow.activity.touches_of(o0)],
                         ids(uow.activity.current_links(1, None)),
                         ids(uow.activity.current_links(1, [o0.id, 99]))),
            "deliveries": ids([uow.deliveries.get("wechat", "msg:1"),
                               uow.deliveries.get("wechat", "msg:2")])}


def lead_answers(uow: UnitOfWork) -> dict[str, Any]:
    o0, one = uow.customers.by_openid("o0"), uow.managers.by_code("SH001-01")
    assert o0 is not None and one is not None
    first = uow.leads.get(1)
    assert first is not None
    return {"leads": ((first.status, first.customer_id, first.manager_id, first.branch_id,
                       first.reminded_at),
                      ids([uow.leads.open_for(o0, "contact", None),
                           uow.leads.open_for(o0, "contact", "WM001")]),
                      ids(uow.leads.overdue(T0 + SLA)),
                      ids(uow.leads.open_of([o0.id, 99], one.id)),
                      ids(uow.leads.open_of([o0.id], one.id + 99)),
                      ids(uow.leads.listing(None, None, 2)),
                      ids(uow.leads.listing(one, LeadStatus.NEW, 10)),
                      uow.leads.open_counts(T0 + SLA))}


def notice_answers(uow: UnitOfWork) -> dict[str, Any]:
    later = T0 + timedelta(hours=1)
    two = uow.managers.by_code("SH001-02")
    assert two is not None
    return {"notices": ([(n.key, n.kind, n.status, n.manager_id, n.customer_id, n.attempts)
                         for n in uow.notices.listing(None, 50)],
                        ids([uow.notices.by_key("lead:1:new"), uow.notices.get(2),
                             uow.notices.by_msgid(77)]),
                        ids(sorted(uow.notices.held_for(two), key=lambda n: n.id)),
                        ids(uow.notices.listing(NoticeStatus.SENT, 5)),
                        uow.notices.claim_next(T0 - timedelta(days=9), "w1", later),
                        uow.notices.claim_next(T0 + timedelta(minutes=5), "w1", later),
                        uow.notices.expire_claims(later + timedelta(minutes=1), "lost"),
                        uow.notices.postpone_pending(later))}


def system_answers(uow: UnitOfWork, secrets: dict[str, str]) -> dict[str, Any]:
    bind, token, lease = (uow.audit.bind_code(digest(secrets["bind"])),
                          uow.staff.token(digest(secrets["token"])), uow.shared.get("token"))
    li = uow.staff.by_username("li")
    assert bind is not None and token is not None and lease is not None and li is not None
    return {"audit": (uow.audit.count("login_failed", "li", T0),
                      uow.audit.count("login_failed", "li", T0 + timedelta(minutes=1)),
                      uow.audit.count("bind_failed", "o-mgr", T0),
                      (bind.manager_id, bind.used_at), uow.audit.bind_code("nothing")),
            "staff": ((li.id, li.manager_id, li.branch_id, li.active, li.last_login_at,
                       li.session_generation), ids([uow.staff.get(1)]),
                      (token.staff_id, token.staff.username, token.name),
                      [a.username for a in uow.staff.listing()], uow.staff.live_token_counts(),
                      [(t.id, t.name, t.revoked_at) for t in uow.staff.tokens_of(2)],
                      uow.staff.tokens_of(99), login_counts(uow)),
            "shared": ((lease.value, lease.lease_owner, lease.lease_until, lease.expires_at),
                       uow.shared.get("nothing"), rate_counts(uow))}


def login_counts(uow: UnitOfWork) -> list[int]:
    """Count, forgive, clear and purge login attempts, reading each count as the next one."""
    window, later = timedelta(minutes=15), T0 + timedelta(minutes=20)

    def count(key: str, at: datetime) -> int:
        return uow.staff.count_login(key, at, window)

    counts = [count("ip:10.0.0.1", T0 + timedelta(minutes=4)), count("ip:10.0.0.2", later)]
    uow.staff.forgive_login("ip:10.0.0.2")
    uow.staff.forgive_login("ip:10.0.0.2")  # never below nothing
    uow.staff.forgive_login("ip:nobody")
    counts.append(count("ip:10.0.0.2", later))
    uow.staff.clear_login("ip:10.0.0.2")
    counts.append(count("ip:10.0.0.2", later))
    uow.staff.purge_logins(T0 + timedelta(minutes=1))  # 10.0.0.1's window began at T0
    return [*counts, count("ip:10.0.0.1", T0 + timedelta(minutes=5)),
            count("staff:1", T0 + timedelta(minutes=18)), count("staff:1", later)]


def rate_counts(uow: UnitOfWork) -> list[int]:
    """Hit rate counters in two windows; the first hit of a key drops the counters over."""
    end, later = T0 + timedelta(hours=1), T0 + timedelta(hours=2)
    return [uow.shared.hit("x@1", end, T0), uow.shared.hit("x@1", end, T0),
            uow.shared.hit("x@1", later, end),  # a hit keeps the window's end as it was
            uow.shared.hit("y@2", later, end),  # a new key: x@1 ended, it is dropped
            uow.shared.hit("x@1", end, end), uow.shared.hit("y@2", later, end)]


def code_answers(uow: UnitOfWork) -> dict[str, Any]:
    latest = uow.codes.latest("m:SH001-03;c:SPRING")
    return {"codes": (ids([latest]), uow.codes.count_permanent(), ids(uow.codes.listing(None)),
                      ids(uow.codes.listing(2)),
                      [(b.code, sorted(m.code for m in b.managers))
                       for b in uow.codes.print_targets(["SH001"])],
                      uow.codes.touch_facts(T0, T0 + timedelta(days=2), None),
                      uow.codes.touch_facts(None, None, 2))}


def product_answers(uow: UnitOfWork) -> dict[str, Any]:
    o0, o1 = uow.customers.by_openid("o0"), uow.customers.by_openid("o1")
    wm = uow.products.by_code("WM001")
    assert o0 is not None and o1 is not None and wm is not None
    assessed, pref = uow.products.latest_assessment(o0), uow.products.pref(o1)
    return {"products": (uow.products.stamp() is not None,
                         [(p.code, p.version) for p in uow.products.current()],
                         sorted(uow.products.by_codes(["DP001", "ZZ9"])),
                         uow.products.version_of(wm, 1), uow.products.version_of(wm, 3),
                         assessed.level if assessed else None,
                         (pref.personalised if pref else None,
                          uow.products.pref(o0)), sorted(uow.products.customers([1, 3, 99])),
                         [(a.level if a else None, p.personalised if p else None)
                          for a, p in (uow.products.profile(o0), uow.products.profile(o1))])}


def share_answers(uow: UnitOfWork) -> dict[str, Any]:
    root = uow.shares.by_key(services.share_key("c1", "WM001", None))
    last = uow.shares.last_opened_by("vb-1", T0)
    assert root is not None
    return {"shares": ((root.id, root.root_customer_id, root.root_manager_id),
                       uow.shares.unique_opens(1, "WM001"), last.key if last else None,
                       uow.shares.last_opened_by("vb-1", T0 + timedelta(seconds=1)),
                       uow.shares.has_events(root),
                       sorted(uow.shares.board("manager")), sorted(uow.shares.board("customer")),
                       sorted(uow.shares.board("customer", manager_id=1)),
                       sorted(uow.shares.board("manager", branch_id=1)),
                       uow.shares.ensure({"key": root.key, "product_code": "X",
                                          "sharer": "c9"}).id,
                       uow.shares.record({"share_id": root.id, "kind": "open", "visitor": "vb-1",
                                          "customer_id": None, "first_at": T0,
                                          "last_at": T0}))}


def answer_answers(uow: UnitOfWork) -> dict[str, Any]:
    fees, o0, o1 = (uow.answers.by_key("fees"), uow.customers.by_openid("o0"),
                    uow.customers.by_openid("o1"))
    assert fees is not None and o0 is not None and o1 is not None
    pending = uow.answers.pending(o0.id)
    assert pending is not None
    return {"answers": (uow.answers.stamp() is not None,
                        services.matcher_stamp(uow) == (uow.products.stamp(),
                                                        uow.answers.stamp()),
                        uow.shared.values(("faq:revision", "nothing")).keys(),
                        [(e.key, e.version, e.active, e.answer, e.updated_at)
                         for e in uow.answers.entries()],
                        (fees.topic, fees.keywords), uow.answers.by_key("nothing"),
                        uow.answers.version_of(fees, 1), uow.answers.version_of(fees, 2),
                        uow.answers.version_of(fees, 3),
                        (pending.options, pending.expires_at), uow.answers.pending(o1.id),
                        [(m.id, m.question, m.outcome, m.at)
                         for m in uow.answers.misses(T0, 10)],
                        ids(uow.answers.misses(T0 + timedelta(minutes=1), 1)))}


def conversation_answers(uow: UnitOfWork) -> dict[str, Any]:
    o0, o2, branch = (uow.customers.by_openid("o0"), uow.customers.by_openid("o2"),
                      uow.branches.by_code("SH001"))
    manager, li = uow.managers.by_code("SH001-01"), uow.staff.by_username("li")
    assert o0 and o2 and branch and manager and li
    closed, live = uow.conversations.last_closed(o0.id), uow.conversations.live_of(o2.id)
    assert closed is not None and live is not None
    hours, presence = uow.conversations.hours(branch.id), uow.conversations.presence(li.id)
    assert hours is not None and presence is not None
    account = uow.conversations.account_of(manager.id)
    return {"conversations": (
        (closed.id, closed.status, closed.rating, closed.first_response_at),
        uow.conversations.live_of(o0.id), (live.id, live.assignee_id, live.branch_id),
        ids([uow.conversations.get(closed.id), uow.conversations.get(999)]),
        (presence.status, presence.delegate_id), account.username if account else None,
        (hours.days, hours.opens, hours.closes), uow.conversations.hours(999),
        ids(uow.conversations.unanswered_since(T0 + timedelta(days=3))),
        uow.conversations.custom_sends_since(closed.id, T0),
        [(m.id, m.author, m.body, m.delivery, m.notice_key)
         for m in uow.conversations.messages(closed.id)],
        ids(uow.conversations.messages(closed.id, 1)),
        [(r.title, r.body) for r in uow.conversations.canned()])}


def answers(open_uow: Opener) -> tuple[list[Any], dict[str, Any]]:
    outcomes, secrets = scenario(open_uow)
    with open_uow() as uow:
        found = {**org_answers(uow), **customer_answers(uow), **lead_answers(uow),
                 **notice_answers(uow), **system_answers(uow, secrets), **code_answers(uow),
                 **product_answers(uow), **share_answers(uow), **answer_answers(uow),
                 **conversation_answers(uow)}
    with open_uow() as uow:
        found["racing leads"] = racing_leads(uow)
    with open_uow() as uow:
        found["likely new"] = likely_new(uow)
    return outcomes, found


def likely_new(uow: UnitOfWork) -> tuple[Any, ...]:
    """A follow's sender is looked for by inserting first: a known one is found all the same
    (PostgreSQL spends an id on the insert that lost, so the new one's id is not compared)."""
    known = uow.customers.add_if_missing("o0", T0 + timedelta(days=9), "later", likely_new=True)
    fresh = uow.customers.add_if_missing("o-new", T0 + timedelta(days=9), "b:SH001",
                                         likely_new=True)
    return ((known.id, known.first_touch_at, known.first_touch_source,
             [link.manager.code for link in known.links]),
            (fresh.first_touch_at, fresh.first_touch_source, fresh.links))


def test_the_fakes_answer_every_repository_question_as_the_sql_repositories_do(
        database_url: str) -> None:
    engine = make_engine(database_url)
    factory = make_session_factory(engine)
    fake = FakeUnitOfWork()
    try:
        sql_outcomes, sql = answers(lambda: SqlUnitOfWork(factory))
    finally:
        engine.dispose()
    fake_outcomes, found = answers(lambda: fake)
    assert fake_outcomes == sql_outcomes
    for repository, answer in sql.items():
        assert found[repository] == answer, repository
