"""Personal numbers however customers and staff write them: masked in the timeline that
branch heads and head office read, and staff-entered mobiles stored as their 11 digits."""

import re

import pytest
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import select

from bot.cli.base import Cli
from bot.cli.customers import customers
from bot.phone_cipher import PhoneCipher
from bot.wechat.simulator import Platform
from bot.worker.scheduler import record_deferred
from crm_core.model import Customer, Interaction
from tests.builders import text_xml
from tests.conftest import WEB_SECRET, runtime
from tests.console_support import World, login, populate
from tests.product_support import post, rows

CUSTOMER = "c1-sh001-01"  # in branch SH001: the branch head sees their timeline
WRITTEN = ["+86 138 1234 5678", "8613912345678", "１３７１２３４５６７８", "0086-136-1234-5678",
           "110101 19900307 1234"]
NUMBERS = ["13812345678", "13912345678", "13712345678", "13612345678", "110101199003071234"]
FULL_WIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
MASKED = ["138****5678", "139****5678", "137****5678", "136****5678", "**************1234"]


@pytest.fixture
def world(app: Flask) -> World:
    return populate(runtime(app))


def test_numbers_in_a_text_message_are_masked_in_the_console_timeline(
        app: Flask, world: World, platform: Platform) -> None:
    for written in WRITTEN:
        post(app.test_client(), platform, text_xml(CUSTOMER, f"我的号码是{written}，请回电"))
    record_deferred(runtime(app))  # the worker puts the exchanges on the timeline
    stored = " ".join(s for (s,) in rows(app, select(Interaction.summary)))
    assert all(m in stored for m in MASKED), stored
    for who in ("head", "admin"):
        staff = app.test_client()
        login(staff, who)
        page = staff.get(f"/console/customers/{world.customers[CUSTOMER]}").text
        timeline = page.split('id="timeline"')[1].split("</table>")[0]
        assert all(f"我的号码是{m}，请回电" in timeline for m in MASKED), who
        digits = re.sub(r"[^0-9]", "", timeline.translate(FULL_WIDTH))
        assert not any(number in digits for number in NUMBERS), who


@pytest.mark.parametrize("written", ["+86 138 1234 5678", "8613812345678", "１３８１２３４５６７８",
                                     "(+86) 138-1234-5678", "138 1234 5678"])
def test_staff_enter_a_mobile_in_any_usual_form_and_its_11_digits_are_stored(
        app: Flask, world: World, written: str) -> None:
    cli = Cli(None)
    cli.__dict__["runtime"] = runtime(app)
    cli.__dict__["settings"] = runtime(app).settings
    result = CliRunner().invoke(customers, ["phone", CUSTOMER, written], obj=cli)
    assert result.exit_code == 0, result.output
    [(cipher, last4)] = rows(app, select(Customer.phone_cipher, Customer.phone_last4)
                             .where(Customer.phone_cipher.is_not(None)))
    assert PhoneCipher(WEB_SECRET).decrypt(cipher) == "13812345678" and last4 == "5678"


@pytest.mark.parametrize("written", ["12812345678", "138 1234 567", "110101199003071234",
                                     "13812345678 13912345678"])
def test_a_number_that_is_not_one_mainland_mobile_is_refused(app: Flask, world: World,
                                                             written: str) -> None:
    cli = Cli(None)
    cli.__dict__["runtime"] = runtime(app)
    cli.__dict__["settings"] = runtime(app).settings
    result = CliRunner().invoke(customers, ["phone", CUSTOMER, written], obj=cli)
    assert result.exit_code != 0 and "not a mainland mobile number" in result.output
