"""The staff console in real headless Chromium: scope per role, leads, CSRF, transfer, posters."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from crm_core import services
from crm_core.model import Scope, StaffRole, utcnow
from tests.conftest import runtime
from tests.console_support import World, live_server, populate
from tests.e2e.conftest import blocked, log_in, watched_page
from tests.product_support import QUESTION_SETS

pytestmark = pytest.mark.slow
ADMIN = Scope(0, "auditor", "auditor", StaffRole.HEAD_OFFICE, None, None)


@pytest.fixture
def site(app) -> Iterator[tuple[str, World]]:  # type: ignore[no-untyped-def]
    world = populate(runtime(app))
    with live_server(app) as base:
        yield base, world


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    yield context.new_page()
    context.close()


def visible_customers(page: Page, base: str) -> set[str]:
    page.goto(f"{base}/console/customers")
    return {text.strip() for text in page.locator("#customers tbody td:first-child a")
            .all_inner_texts()}


@pytest.mark.parametrize(("username", "expected"), [
    ("m1", {"…001-01"}),
    ("head", {"…001-01", "…001-02"}),
    ("admin", {"…001-01", "…001-02", "…002-01"}),
])
def test_each_role_sees_exactly_its_scope(site, page: Page, username: str,  # type: ignore[no-untyped-def]
                                          expected: set[str]) -> None:
    base, _ = site
    log_in(page, base, username)
    assert {label[-7:] for label in visible_customers(page, base)} == expected


def test_manager_editing_the_url_to_another_managers_customer_gets_403(site,  # type: ignore[no-untyped-def]
                                                                      page: Page) -> None:
    base, world = site
    log_in(page, base, "m1")
    response = page.goto(f"{base}/console/customers/{world.customers['c2-sh001-02']}")
    assert response is not None and response.status == 403
    assert "无权" in page.content()


def test_marking_a_lead_contacted_takes_it_off_the_past_due_list(site, page: Page) -> None:  # type: ignore[no-untyped-def]
    base, world = site
    lead = world.leads["c1-sh001-01"]
    log_in(page, base, "head")
    page.goto(f"{base}/console/branch")
    assert page.locator(f"#overdue tr[data-lead='{lead}']").count() == 1
    page.goto(f"{base}/console/leads")
    row = page.locator(f"#leads tr[data-lead='{lead}']")
    assert "已超时" in row.inner_text()
    row.locator("select[name=status]").select_option("contacted")
    row.locator("button[type=submit]").click()
    page.wait_for_selector(".flash")
    page.goto(f"{base}/console/branch")
    assert page.locator(f"#overdue tr[data-lead='{lead}']").count() == 0


def test_a_form_posted_without_its_csrf_token_is_rejected(site, page: Page) -> None:  # type: ignore[no-untyped-def]
    base, world = site
    log_in(page, base, "m1")
    page.goto(f"{base}/console/leads")
    page.evaluate("document.querySelectorAll('input[name=csrf_token]').forEach(e => e.remove())")
    row = page.locator(f"#leads tr[data-lead='{world.leads['c1-sh001-01']}']")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        row.locator("button[type=submit]").click()
    assert posted.value.status == 400
    page.goto(f"{base}/console/leads")
    assert page.locator(f"#leads tr[data-lead='{world.leads['c1-sh001-01']}']").count() == 1


def test_transfer_moves_the_customers_and_the_new_manager_sees_them(site,  # type: ignore[no-untyped-def]
                                                                   page: Page,
                                                                   browser: Browser) -> None:
    base, _ = site
    log_in(page, base, "head")
    page.goto(f"{base}/console/transfer")
    for select, typed in (("transfer-from", "SH001-02"), ("transfer-to", "SH001-01")):
        control = page.locator(f"#{select}-ts-control")
        control.click()
        control.fill(typed)
        page.locator(f"#{select}-ts-dropdown .option", has_text=typed).first.click()
    page.check("#transfer-all")
    page.click("#transfer button[type=submit]")
    assert "全部客户" in page.locator("#preview").inner_text()
    page.on("dialog", lambda dialog: dialog.accept())
    page.click("#confirm button[type=submit]")
    assert "已转移 1 位客户" in page.locator(".flash").inner_text()
    other = browser.new_context().new_page()
    log_in(other, base, "m1")
    assert {label[-7:] for label in visible_customers(other, base)} == {"…001-01", "…001-02"}
    other.context.close()


def test_branch_head_downloads_a_poster_of_a_code(site, page: Page, app) -> None:  # type: ignore[no-untyped-def]
    base, _ = site
    with runtime(app).uow() as uow:
        request = services.code_for(uow, "b:SH001", utcnow())
        services.record_code(uow, request, "TICKET", "http://weixin.qq.com/q/02demo", None,
                             utcnow())
        uow.commit()
    log_in(page, base, "head")
    page.goto(f"{base}/console/codes")
    with page.expect_download() as download:
        page.click("#codes a.download")
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF-") and "SH001" in download.value.suggested_filename
    assert page.locator("#codes img").evaluate("img => img.naturalWidth") > 0  # the preview
    with page.expect_download() as archive:
        page.click("#zip")
    assert Path(archive.value.path()).read_bytes().startswith(b"PK")
    with runtime(app).uow() as uow:
        assert [e["action"] for e in services.audit_trail(uow, ADMIN, "poster_exported")]
        assert [e["action"] for e in services.audit_trail(uow, ADMIN, "posters_exported")]


def test_head_office_imports_products_and_sees_each_bad_row_with_its_reason(  # type: ignore[no-untyped-def]
        site, page: Page, tmp_path: Path) -> None:
    base, _ = site
    catalogue = QUESTION_SETS / "catalogue.csv"
    header, first, *_ = catalogue.read_text(encoding="utf-8").splitlines()
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join([header, first.replace(first.split(",")[1], "保本理财一号", 1)]),
                   encoding="utf-8")
    log_in(page, base, "admin")
    page.goto(f"{base}/console/products")
    page.set_input_files("#import input[type=file]", str(bad))
    page.click("#import button[type=submit]")
    cells = page.locator("#import-errors td").all_inner_texts()
    assert cells[0] == "2" and "保本" in cells[1]  # the line and the banned phrase
    assert page.locator("#products tbody tr").inner_text() == "尚无产品"
    page.set_input_files("#import input[type=file]", str(catalogue))
    page.click("#import button[type=submit]")
    assert "导入完成" in page.locator(".flash").inner_text()
    assert page.locator("#products tbody tr").count() >= 5


def test_on_a_phone_the_menu_button_opens_the_menu_with_the_current_page_marked(  # type: ignore[no-untyped-def]
        site, browser: Browser) -> None:
    base, _ = site
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page, errors = watched_page(context)
    log_in(page, base, "head")
    page.goto(f"{base}/console/customers")
    menu = page.locator("#console-menu")
    assert not menu.is_visible()
    page.click("button.navbar-toggler")
    menu.locator("a[aria-current=page]").wait_for()
    assert menu.locator("a[aria-current=page]").inner_text() == "客户"
    assert menu.get_by_role("link", name="客户转移").is_visible()  # a branch head's page
    assert page.evaluate("getComputedStyle(document.querySelector('header')).backgroundColor") \
        == "rgb(179, 32, 42)"  # the kit's stylesheet and ours were served and applied
    assert blocked(page) == [] and errors == []
    context.close()
