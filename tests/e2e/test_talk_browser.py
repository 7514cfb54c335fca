"""A customer asks for a person and their manager answers from the console, in headless
Chromium on a phone and a laptop: the message shows within two seconds without a reload, the
reply reaches the sandbox once as a customer-service message; outside the 48-hour window (the
clock moved on) it waits on the reply page behind one service notice, an image too, shown
there to the customer only."""

import time
from dataclasses import replace
from datetime import timedelta

import pytest
from flask import Flask
from PIL import Image
from playwright.sync_api import Browser, Page

from bot.share_tokens import Signer, Visitor, visitor_cookie
from bot.web.visitors import COOKIE
from bot.wechat.simulator import Platform
from bot.worker.outbox import Outbox
from crm_core.model import utcnow
from crm_core.services import conversations as talk
from tests.builders import post, text_xml
from tests.conftest import runtime
from tests.e2e.conftest import blocked, log_in, watched_page
from tests.sandbox_support import SandboxHandle, api_for
from tests.talk_support import C1, populate

pytestmark = pytest.mark.slow
OAUTH = False  # the reply page is opened by its signed link in a plain browser here
SHOTS = "/tmp/shots-talk"  # noqa: S108 - screenshots to look at, not test data


def say(app: Flask, platform: Platform, text: str) -> None:
    assert post(app.test_client(), platform, text_xml(C1, text)).status_code == 200


def deliver(app: Flask, sandbox: SandboxHandle) -> None:
    rt = runtime(app)  # by the app's clock, which a test may have moved on
    Outbox(rt.uow, api_for(sandbox, timeout=2.0), rt.settings, "e2e",
           clock=rt.clock).deliver_due()


def open_conversation(browser: Browser, base: str, width: int) -> tuple[Page, list[str]]:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page, errors = watched_page(context)
    log_in(page, base, "m1")
    page.goto(f"{base}/console/talk")
    page.locator(".talk-row").first.click()
    page.wait_for_selector("#transcript")
    return page, errors


@pytest.mark.parametrize("width", [390, 1366])
def test_a_customers_message_reaches_the_inbox_and_the_reply_reaches_the_customer_once(
        served, browser: Browser, sandbox: SandboxHandle, platform: Platform,  # type: ignore[no-untyped-def]
        width: int) -> None:
    app, base = served
    sandbox.reset()
    populate(runtime(app))
    sandbox.follow(C1)
    sandbox.act(C1, "message")
    say(app, platform, "人工")
    page, errors = open_conversation(browser, base, width)
    started = time.monotonic()
    say(app, platform, "请问大额存单现在的利率是多少？")
    page.wait_for_selector("text=请问大额存单现在的利率是多少？", timeout=2000)
    assert time.monotonic() - started < 2.0
    page.fill("#reply-body", "您好，三年期大额存单年利率 2.35%，详情可来网点咨询。")
    page.click("#reply-send")
    page.wait_for_selector("text=已发送。")
    deliver(app, sandbox)
    deliver(app, sandbox)
    custom = [m for m in sandbox.inbox(C1) if m["kind"] == "custom"]
    assert [m["payload"]["text"]["content"] for m in custom] == [
        "您好，三年期大额存单年利率 2.35%，详情可来网点咨询。"]
    page.reload()  # a delivery's outcome shows on the next view of the transcript
    assert page.locator(".talk-delivery").last.inner_text() == "已送达"
    page.screenshot(path=f"{SHOTS}/conversation-{width}.png", full_page=True)
    fits = page.evaluate(f"document.documentElement.scrollWidth <= {width}")
    assert fits and blocked(page) == [] and errors == []
    page.context.close()


def test_outside_the_window_one_service_notice_links_to_the_reply_page(
        served, browser: Browser, sandbox: SandboxHandle, platform: Platform,  # type: ignore[no-untyped-def]
        tmp_path) -> None:
    app, base = served
    sandbox.reset()
    sandbox.register_templates("TPL_PAGE")
    populate(runtime(app))
    sandbox.follow(C1)
    say(app, platform, "人工")
    later = utcnow() + timedelta(hours=49)  # the customer said nothing for 49 hours
    app.extensions["branchlink"] = replace(runtime(app), clock=lambda: later)
    notifications = replace(runtime(app).settings.notifications, talk_page_template="TPL_PAGE")
    app.extensions["branchlink"] = replace(runtime(app), settings=replace(
        runtime(app).settings, notifications=notifications))
    page, errors = open_conversation(browser, base, 390)
    for text in ("您好，您咨询的产品已到期续作。", "如有疑问请随时留言。"):
        page.fill("#reply-body", text)
        page.click("#reply-send")
        page.wait_for_selector("text=回复已保存")
    photo = tmp_path / "rate-sheet.png"
    Image.new("RGB", (120, 80), "teal").save(photo)
    page.set_input_files("#image-file", str(photo))
    page.click("#image-send")
    page.wait_for_selector("text=回复已保存")
    deliver(app, sandbox)
    sent = sandbox.inbox(C1)
    assert [m["kind"] for m in sent] == ["template"]
    page.goto(sent[0]["payload"]["url"])
    assert "您好，您咨询的产品已到期续作。" in page.inner_text("#talk-page")
    assert "如有疑问请随时留言。" in page.inner_text("#talk-page")
    assert "请在微信中打开此链接查看" in page.inner_text("#talk-page")  # not known as C1
    assert blocked(page) == [] and errors == []
    page.context.close()
    customer, errors = customer_page(browser, app, base, sent[0]["payload"]["url"])
    customer.goto(sent[0]["payload"]["url"])
    assert customer.locator("img.talk-image").evaluate("i => i.naturalWidth") == 120
    customer.screenshot(path=f"{SHOTS}/reply-page-image-390.png", full_page=True)
    assert blocked(customer) == [] and errors == []
    customer.context.close()


def customer_page(browser: Browser, app: Flask, base: str, url: str) -> tuple[Page, list[str]]:
    """A phone whose cookie web authorisation has verified as the conversation's customer."""
    rt = runtime(app)
    with rt.uow() as uow:
        conversation = int(url.split("/talk/")[1].split("?")[0])
        customer_id = talk.reply_page(uow, conversation)["customer_id"]
    web = rt.settings.web
    cookie = visitor_cookie(Signer(web.secret_key, web.previous_secret_key),
                            Visitor("e2evisitor", customer_id, verified=True,
                                    oauth_at=int(time.time())))
    context = browser.new_context(viewport={"width": 390, "height": 900}, locale="zh-CN")
    context.add_cookies([{"name": COOKIE, "value": cookie, "url": base}])
    return watched_page(context)


def test_a_manager_sends_a_photo_from_the_phone_and_the_customer_gets_it_once(
        served, browser: Browser, sandbox: SandboxHandle, platform: Platform,  # type: ignore[no-untyped-def]
        tmp_path) -> None:
    app, base = served
    sandbox.reset()
    populate(runtime(app))
    sandbox.follow(C1)
    sandbox.act(C1, "message")
    say(app, platform, "人工")
    page, errors = open_conversation(browser, base, 390)
    page.set_input_files("#image-file", files=[{
        "name": "notes.txt", "mimeType": "text/plain", "buffer": "不是图片".encode()}])
    page.click("#image-send")
    page.wait_for_selector("text=只能发送 JPG、PNG、GIF 图片")
    photo = tmp_path / "rate-sheet.png"
    Image.new("RGB", (120, 80), "teal").save(photo)
    page.set_input_files("#image-file", str(photo))
    page.click("#image-send")
    page.wait_for_selector("text=已发送。")
    sent = page.locator("img[alt='发给客户的图片']")
    sent.wait_for()  # then let the browser finish loading it (slow on a loaded machine)
    page.wait_for_function("i => i.complete", arg=sent.element_handle())
    assert sent.evaluate("i => i.naturalWidth") == 120
    deliver(app, sandbox)
    custom = [m for m in sandbox.inbox(C1) if m["kind"] == "custom"]
    assert [m["payload"]["msgtype"] for m in custom] == ["image"]
    page.reload()
    assert page.locator(".talk-delivery").last.inner_text() == "已送达"
    page.screenshot(path=f"{SHOTS}/image-390.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= 390")
    assert blocked(page) == [] and errors == []
    page.context.close()


def test_the_figures_tab_opens_from_the_conversations_page_on_a_phone(
        served, browser: Browser, platform: Platform) -> None:  # type: ignore[no-untyped-def]
    app, base = served
    populate(runtime(app))
    say(app, platform, "人工")
    page, errors = open_conversation(browser, base, 390)
    page.fill("#reply-body", "您好，我来为您解答。")
    page.click("#reply-send")
    page.wait_for_selector("text=已发送。")
    page.goto(f"{base}/console/talk")
    page.click("#talk-figures-tab")
    page.wait_for_selector("#talk-figures tr[data-staff='m1']")
    assert page.locator("#talk-figures-tab").get_attribute("class") == "nav-link active"
    page.screenshot(path=f"{SHOTS}/figures-390.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= 390")
    assert blocked(page) == [] and errors == []
    page.context.close()
