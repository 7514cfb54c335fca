"""Staff read only Chinese: every console page, for every role, is walked and its visible text
(placeholders, labels and titles included) holds no English word outside a short allow-list."""

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from flask import Flask
from flask.testing import FlaskClient

from crm_core import services
from crm_core.model import Direction, NoticeKind, utcnow
from crm_core.services import conversations as talk
from tests.conftest import runtime
from tests.console_support import STAFF, World, csrf_token, login, populate
from tests.lists_support import HEAD_OFFICE
from tests.product_support import import_sample

# Words staff may meet as they are: the brand, file formats, and the names of things they type.
# The fixtures' usernames (员工admin) are data staff typed, not words of the console.
ALLOWED = {*STAFF, "test", "BranchLink", "API", "CSV", "XLSX", "TOML", "PDF", "ZIP", "IP", "MB",
           "KB", "JSON", "Excel", "GBK", "JPG", "PNG", "GIF"}
# A product or organisation code (WM001, SH001-01, R2, C3, v1) is not a word.
_WORD = re.compile(r"(?<![A-Za-z0-9_:./-])[A-Za-z]{2,}(?![A-Za-z0-9_:-])")
_FILES = (".png", ".pdf", ".zip")


class VisibleText(HTMLParser):
    """What a reader sees of a page: text outside scripts and styles, plus the attributes a
    browser shows (placeholders, alternative text, titles, button values). A command quoted
    in <code> is typed as it is, by the operators it names."""

    SHOWN = ("placeholder", "alt", "title", "aria-label")
    SILENT = ("script", "style", "template", "code")

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SILENT:
            self.hidden += 1
        given = dict(attrs)
        self.parts += [given[name] or "" for name in self.SHOWN if name in given]
        if tag == "input" and given.get("type") in ("submit", "button"):
            self.parts.append(given.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SILENT:
            self.hidden = max(self.hidden - 1, 0)

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def english_words(html: str) -> list[str]:
    """Return the English words of a page's visible text that the allow-list does not excuse."""
    reader = VisibleText()
    reader.feed(html)
    return sorted({word for part in reader.parts for word in _WORD.findall(part)
                   if word not in ALLOWED})


def enrich(app: Flask) -> World:
    """The demo-like console: staff, customers and leads, plus products, a code of each kind,
    a transfer (notices, one failed), a missed question and audit events."""
    world = populate(runtime(app))
    now = utcnow()
    with runtime(app).uow() as uow:
        import_sample(uow)
        for scene, permanent in (("m:SH001-01", True), ("b:SH001;c:SPRING26", False)):
            services.record_code(uow, services.CodeToCreate(scene, permanent, None if permanent
                                                            else 86400),
                                 f"ticket-{scene}", f"https://weixin.qq.com/q/{scene}", None, now)
        services.record_miss(uow, "有没有外币理财", "not_found", now)
        services.record_interaction(uow, "c1-sh001-01", Direction.IN, "event:subscribe",
                                    "关注（qrscene_m:SH001-01）", now)
        services.enqueue_notice(uow, "walk:1", NoticeKind.NEW_LEAD,
                                uow.managers.by_code("SH001-01"), {}, now)  # type: ignore[arg-type]
        uow.flush()
        notice = uow.notices.listing(None, 1)[0]
        services.notice_failed(uow, notice.id, now, 43004, "require subscribe rid: 1-2-3")
        services.audit(uow, now - timedelta(minutes=1), "admin", "leads_exported", "all",
                       {"rows": 3})
        vip = services.segments.create_segment(uow, HEAD_OFFICE, "贵宾客户", {  # type: ignore[arg-type]
            "dim": "tier", "op": "eq", "value": "vip"}, now)
        # A campaign submitted to a snapshot of it (id 1, see arguments()).
        shot = services.segments.take_snapshot(uow, HEAD_OFFICE, vip.id,  # type: ignore[arg-type]
                                               services.segments.moment(now, "Asia/Shanghai"))
        services.campaigns.create_campaign(uow, HEAD_OFFICE, services.campaigns.Draft(  # type: ignore[arg-type]
            "开放日", "marketing", shot.id, "本月网点开放日，欢迎到店咨询。"), now)
        # A conversation with a customer's message (the first one: id 1, see arguments()).
        talk.open_conversation(uow, "c1-sh001-01", "keyword", now, "Asia/Shanghai")
        talk.customer_message(uow, "c1-sh001-01", "voice", "你好", "media-1", now)
        uow.commit()
    return world


def arguments(world: World) -> dict[str, object]:
    """A value for each URL argument a console page takes (a new argument must be added)."""
    return {"customer_id": world.customers["c1-sh001-01"],
            "lead_id": world.leads["c1-sh001-01"], "code": "SH001", "username": "m1",
            "segment_id": 1,  # the one segment enrich() saves
            "conversation_id": 1, "message_id": 1, "referral_id": 1, "month": "2026-11",
            "campaign_id": 1}


# Pages that need a query to be drawn: each form of it is walked.
QUERIES = {"console.learn": [f"kind={kind}&q=有没有外币理财"
                             for kind in ("synonym", "need", "faq")]}


def pages(app: Flask, world: World) -> list[str]:
    """Every GET page of the console, its arguments (and needed queries) filled in."""
    found = []
    values = arguments(world)
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/console") or "GET" not in (rule.methods or ()) \
                or rule.rule.endswith(_FILES):
            continue
        missing = [name for name in rule.arguments if name not in values]
        assert not missing, f"give {rule.rule} a value for {missing} in arguments()"
        url = app.url_map.bind("localhost").build(
            rule.endpoint, {name: values[name] for name in rule.arguments}) or ""
        found += [f"{url}?{query}" for query in QUERIES.get(rule.endpoint, [])] or [url]
    return sorted(set(found))


def walk(client: FlaskClient, urls: list[str]) -> dict[str, list[str]]:
    """Fetch each page (following redirects); return the English words found on each."""
    seen = {}
    for url in urls:
        response = client.get(url, follow_redirects=True)
        assert response.status_code in (200, 403, 404), (url, response.status_code)
        if response.mimetype == "text/html":
            seen[url] = english_words(response.text)
    return {url: words for url, words in seen.items() if words}


@pytest.mark.parametrize("username", sorted(STAFF))
def test_every_console_page_reads_in_chinese(app: Flask, client: FlaskClient,
                                             username: str) -> None:
    world = enrich(app)
    assert login(client, username).status_code == 302
    assert walk(client, pages(app, world)) == {}


def test_the_login_page_and_errors_read_in_chinese(app: Flask, client: FlaskClient) -> None:
    assert english_words(client.get("/console/login").text) == []
    for url in ("/console/no-such-page", "/console/logout"):  # 404 and 405
        response = client.get(url)
        assert response.status_code in (404, 405) and english_words(response.text) == []


def test_the_reader_finds_english_it_should() -> None:
    html = ('<p>共 3 条 Not Found</p><input placeholder="name">'
            '<p>WM001 R2 C3 v1 SH001-01 BranchLink</p><script>var english = 1;</script>')
    assert english_words(html) == ["Found", "Not", "name"]


def test_codes_audit_and_notices_are_shown_in_words(app: Flask, client: FlaskClient) -> None:
    world = enrich(app)
    login(client, "admin")
    audit = client.get("/console/audit").text
    assert "导出线索" in audit and "行数：3" in audit and "全部" in audit and "{'" not in audit
    assert "IP 地址：" in audit  # the login's address, not {'ip': '127.0.0.1'}
    assert "接收人未关注公众号" in client.get("/console/outbox").text
    codes = client.get("/console/codes").text
    assert "客户经理经理SH001-01·SH001支行" not in codes  # a manager's code names no branch
    assert "客户经理经理SH001-01" in codes and "SH001支行·活动SPRING26" in codes
    customer = client.get(f"/console/customers/{world.customers['c1-sh001-01']}").text
    assert "（客户经理经理SH001-01）" in customer  # the follow, through the manager's code


DAYS_REFUSED = "活动二维码的有效天数须为 1 至 30 天"


@pytest.mark.parametrize(("chosen", "said"), [
    ({"manager": "张伟"}, "找不到所选的网点或客户经理“张伟”"),
    ({"manager": "NOPE-01"}, "找不到客户经理代码“NOPE-01”"),
    ({"branch": "SH001", "campaign": "春季"}, "活动代码"),
    ({"branch": "SH001", "campaign": "SPRING", "days": "90"}, DAYS_REFUSED),
    ({"branch": "SH001", "campaign": "SPRING", "days": "三十"}, DAYS_REFUSED),
])
def test_a_refused_qr_code_says_why_in_chinese(app: Flask, client: FlaskClient,
                                              chosen: dict[str, str], said: str) -> None:
    populate(runtime(app))
    login(client, "head")
    token = csrf_token(client.get("/console/codes").text)
    response = client.post("/console/codes", data={"csrf_token": token, **chosen},
                           follow_redirects=True)
    assert said in response.text and english_words(response.text) == []
