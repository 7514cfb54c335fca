"""The FAQ (imported all or nothing, versioned, answered first), numbered choices kept in the
database, and the misses head office learns from."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from bot import create_app
from bot.cli.base import Cli
from bot.cli.faq import faq
from bot.search.miss_groups import group_misses, question_words
from bot.worker.scheduler import record_deferred
from crm_core import services
from crm_core.model import AnswerMiss, FaqEntry, FaqVersion, utcnow
from tests.builders import org, subscribe_xml, text_xml
from tests.conftest import runtime
from tests.product_support import QUESTION_SETS, answer_text, import_sample, post, rows

RISK = "理财非存款、产品有风险、投资须谨慎"
HEADER = "key,topic,question,answer,keywords"


@pytest.fixture
def shop(app, platform):  # type: ignore[no-untyped-def]
    with runtime(app).uow() as uow:
        org(uow, {"SH001": ["SH001-01"], "SH002": ["SH002-01"]})
        import_sample(uow)
        rows_ = services.read_rows((QUESTION_SETS / "faq.csv").read_text(encoding="utf-8"),
                                   "csv", "faq")
        services.import_faq(uow, rows_, "faq.csv", utcnow())
        uow.commit()
    post(app.test_client(), platform, subscribe_xml("o-c5", "b:SH001"))
    with runtime(app).uow() as uow:
        services.set_risk_level(uow, "o-c5", 5, date.today(), "test", utcnow())
        uow.commit()
    return app


def ask(app, platform, text: str, openid: str = "o-c5") -> str:  # type: ignore[no-untyped-def]
    return answer_text(platform, post(app.test_client(), platform, text_xml(openid, text)))


def invoke(app, *args: str):  # type: ignore[no-untyped-def]
    cli = Cli(None)
    cli.__dict__["runtime"] = runtime(app)
    cli.__dict__["settings"] = runtime(app).settings
    return CliRunner().invoke(faq, list(args), obj=cli)


def count(app, model) -> int:  # type: ignore[no-untyped-def]
    with runtime(app).engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(model)) or 0)


def test_the_cli_imports_the_faq_all_or_nothing_and_refuses_banned_phrases(
        app, tmp_path: Path) -> None:
    good, bad = tmp_path / "faq.csv", tmp_path / "bad.csv"
    good.write_text((QUESTION_SETS / "faq.csv").read_text(encoding="utf-8"), encoding="utf-8")
    bad.write_text(f"{HEADER}\nfees2,费用,收费吗？,本产品手续费全免。,手续费\n"
                   "safe,术语,安全吗？,本产品保证收益，绝对安全。,安全\n", encoding="utf-8")
    result = invoke(app, "import", str(good))
    assert result.exit_code == 0 and "created 11" in result.output, result.output
    refused = invoke(app, "import", str(bad))
    assert refused.exit_code == 1 and "第 3 行：“回答（answer）”中含有违规用语“保证收益”" in \
        refused.output
    assert count(app, FaqEntry) == 11  # fees2 on line 2 was fine, and was not imported either


def test_a_changed_answer_is_a_new_version_and_the_old_one_is_kept(app, tmp_path: Path) -> None:
    first, second = tmp_path / "v1.toml", tmp_path / "v2.toml"
    entry = ('[[faq]]\nkey = "hours"\ntopic = "流程"\nquestion = "几点营业？"\n'
             'keywords = "营业时间"\n')
    first.write_text(entry + 'answer = "9点至17点。"\n', encoding="utf-8")
    second.write_text(entry + 'answer = "9点至17点，周末休息。"\n', encoding="utf-8")
    assert "created 1" in invoke(app, "import", str(first)).output
    assert "unchanged 1" in invoke(app, "import", str(first)).output
    assert "updated 1" in invoke(app, "import", str(second)).output
    assert count(app, FaqVersion) == 2
    shown = invoke(app, "version", "hours", "1")
    assert shown.exit_code == 0 and "9点至17点。" in shown.output


def test_a_question_about_a_term_gets_the_faq_answer_with_its_version_and_disclosure(
        shop, platform) -> None:
    answer = ask(shop, platform, "业绩比较基准是什么意思")
    assert answer.startswith("【自动回复】业绩比较基准是") and RISK in answer
    assert "WM00" not in answer  # not a product list
    detail = last_reply_detail(shop)
    assert detail["answer"] == "faq" and detail["faq"] == {"key": "benchmark", "version": 1}


def test_an_import_of_the_faq_is_answered_from_at_the_next_question(shop, platform) -> None:
    assert "营业时间" not in ask(shop, platform, "你们营业时间几点")
    text = f"{HEADER}\nhours,流程,几点营业？,营业时间为工作日9点至17点。,营业时间\n"
    with runtime(shop).uow() as uow:  # as `branchlink faq import` from another process
        services.import_faq(uow, services.read_rows(text, "csv", "faq"), "h.csv", utcnow())
        uow.commit()
    assert "营业时间为工作日9点至17点" in ask(shop, platform, "你们营业时间几点")


def test_an_unsure_answer_offers_numbered_choices_and_a_number_picks_one_in_another_process(
        shop, platform, settings) -> None:
    answer = ask(shop, platform, "准备退休后按月领钱")
    assert "您是想了解以下哪一项？回复 1/2" in answer and "联系客户经理" in answer
    assert RISK in answer
    assert "1. 金福年金养老保险（IN003）" in answer and "2. 安享养老理财（WM004）" in answer
    other = create_app(settings)  # another worker: nothing of the first one's memory
    try:
        picked = ask(other, platform, "2")
    finally:
        runtime(other).engine.dispose()
    assert "安享养老理财" in picked and "WM004" in picked and RISK in picked
    assert ask(shop, platform, "1").count("金福年金养老保险") >= 1


def test_a_number_without_pending_choices_or_after_they_expire_is_an_ordinary_message(
        shop, platform) -> None:
    assert "我的客户经理" in ask(shop, platform, "1")  # the help text
    ask(shop, platform, "准备退休后按月领钱")
    with runtime(shop).uow() as uow:
        customer = uow.customers.by_openid("o-c5")
        pending = uow.answers.pending(customer.id)  # type: ignore[union-attr]
        pending.expires_at = utcnow() - timedelta(seconds=1)  # type: ignore[union-attr]
        uow.commit()
    assert "我的客户经理" in ask(shop, platform, "2")


def test_the_fallback_and_unsure_answers_are_kept_masked_and_grouped(shop, platform) -> None:
    assert "联系客户经理" in ask(shop, platform, "你们有股票产品吗 电话13812345678")
    ask(shop, platform, "你们有股票产品吗")
    ask(shop, platform, "准备退休后按月领钱")
    stored = [r[0] for r in rows(shop, select(AnswerMiss.question))]
    assert "你们有股票产品吗电话138****5678" in [s.replace(" ", "") for s in stored]
    assert not any("13812345678" in s for s in stored)
    with runtime(shop).uow() as uow:
        found = services.recent_misses(uow, utcnow() - timedelta(hours=1))
        groups = group_misses(found, question_words(runtime(shop).inbound.policy.catalogue
                                                    .get(uow).products))
    assert [(g.count, g.outcomes()) for g in groups] == [(2, ["not_found"]), (1, ["unsure"])]


def last_reply_detail(app) -> dict:  # type: ignore[no-untyped-def,type-arg]
    from crm_core.model import Direction, Interaction

    record_deferred(runtime(app))  # the worker puts the exchanges on the timelines
    stmt = (select(Interaction.detail).where(Interaction.direction == Direction.OUT)
            .order_by(Interaction.id.desc()).limit(1))
    return rows(app, stmt)[0][0]  # type: ignore[no-any-return]


def test_head_office_sees_the_missed_questions_grouped_and_nobody_else_does(app) -> None:
    from tests.console_support import login, populate

    populate(runtime(app))
    with runtime(app).uow() as uow:
        for text in ("你们有股票产品吗", "有没有股票产品 13812345678", "黄金能买吗"):
            services.record_miss(uow, text, "not_found", utcnow())
        uow.commit()
    head_office, manager = app.test_client(), app.test_client()
    login(head_office, "admin")
    page = head_office.get("/console/misses").text
    assert "共 3 次，2 组" in page and "138****5678" in page and "13812345678" not in page
    assert "未找到（已建议联系客户经理）" in page
    login(manager, "m1")
    assert manager.get("/console/misses").status_code == 403
