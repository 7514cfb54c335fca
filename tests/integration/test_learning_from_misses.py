"""Learning from the misses: head office groups them, previews a synonym, a need or an FAQ
entry against both evaluation sets, and only a confirmed change is saved, audited and
answered from by every worker."""

from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from bot import create_app
from crm_core import services
from crm_core.model import AddedNeed, AddedSynonym, AuditEvent, FaqEntry, utcnow
from tests.builders import subscribe_xml, text_xml
from tests.conftest import runtime
from tests.console_support import csrf_token, login, populate
from tests.product_support import QUESTION_SETS, answer_text, import_sample, post, rows

MISSED = "薪金煲收益怎么样"


@pytest.fixture
def shop(app: Flask, platform) -> Flask:  # type: ignore[no-untyped-def]
    populate(runtime(app))
    with runtime(app).uow() as uow:
        import_sample(uow)
        faq = (QUESTION_SETS / "faq.csv").read_text(encoding="utf-8")
        services.import_faq(uow, services.read_rows(faq, "csv", "faq"), "faq.csv", utcnow())
        uow.commit()
    post(app.test_client(), platform, subscribe_xml("o-c5", "m:SH001-01"))
    with runtime(app).uow() as uow:
        services.set_risk_level(uow, "o-c5", 5, date.today(), "test", utcnow())
        uow.commit()
    return app


@pytest.fixture
def admin(shop: Flask) -> FlaskClient:
    client = shop.test_client()
    login(client, "admin")
    return client


def ask(app: Flask, platform, text: str) -> str:  # type: ignore[no-untyped-def]
    return answer_text(platform, post(app.test_client(), platform, text_xml("o-c5", text)))


def propose(client: FlaskClient, step: str, kind: str, q: str = MISSED,  # type: ignore[no-untyped-def]
            **fields: str):
    token = csrf_token(client.get("/console/misses/learn",
                                  query_string={"kind": kind, "q": q}).text)
    return client.post(f"/console/misses/{step}", data={"csrf_token": token, "kind": kind,
                                                        "q": q, "days": "30", **fields})


def test_a_synonym_is_previewed_then_saved_and_the_missed_question_is_answered(
        shop: Flask, admin: FlaskClient, platform, settings) -> None:  # type: ignore[no-untyped-def]
    other = create_app(settings)  # another worker, its index built before the change
    try:
        learn_a_synonym(shop, other, admin, platform)
    finally:
        runtime(other).engine.dispose()
    assert rows(shop, select(AuditEvent.actor, AuditEvent.subject)
                .where(AuditEvent.action == "synonym_added")) == [("admin", "薪金煲")]
    assert rows(shop, select(AddedSynonym.term, AddedSynonym.created_by)) == [("薪金煲", "admin")]


def learn_a_synonym(shop: Flask, other: Flask, admin: FlaskClient, platform) -> None:  # type: ignore[no-untyped-def]
    assert "天天利现金管理" not in ask(other, platform, MISSED)  # the fallback, recorded
    assert MISSED in admin.get("/console/misses").text
    form = admin.get("/console/misses/learn", query_string={"kind": "synonym", "q": MISSED})
    assert 'value="薪金煲"' in form.text  # prefilled with the group's shared word
    preview = propose(admin, "preview", "synonym", term="薪金煲", canonical="现金管理")
    assert preview.status_code == 200
    assert "调优集" in preview.text and "留出集" in preview.text and "确认保存" in preview.text
    assert "WM002 天天利现金管理" in preview.text and "未找到（建议联系客户经理）" in preview.text
    assert "天天利现金管理" not in ask(shop, platform, MISSED)  # a preview saves nothing
    saved = propose(admin, "save", "synonym", term="薪金煲", canonical="现金管理")
    assert saved.status_code == 302
    assert "已添加同义词“薪金煲”" in admin.get(saved.headers["Location"]).text
    assert "天天利现金管理" in ask(other, platform, MISSED)
    assert "天天利现金管理" in ask(shop, platform, MISSED)
    added = admin.get("/console/misses").text
    assert "最近添加的同义词和需求" in added and "现金管理</td>" in added and "admin</td>" in added


def test_a_need_is_saved_with_its_words_and_products_serving_it_answer(
        shop: Flask, admin: FlaskClient, platform) -> None:  # type: ignore[no-untyped-def]
    before = ask(shop, platform, "年终奖怎么打理")
    assert "天天利现金管理" not in before.split("\n")[1]
    preview = propose(admin, "preview", "need", name="年终奖", asked="年终奖 奖金",
                      served="现金管理")
    assert preview.status_code == 200 and "确认保存" in preview.text
    assert propose(admin, "save", "need", name="年终奖", asked="年终奖，奖金",
                   served="现金管理").status_code == 302
    assert "天天利现金管理" in ask(shop, platform, "年终奖怎么打理").split("\n")[1]
    assert rows(shop, select(AddedNeed.name, AddedNeed.asked, AddedNeed.served)) == [
        ("年终奖", "年终奖 奖金", "现金管理")]


def test_an_faq_entry_is_saved_as_version_one_and_answers_first(
        shop: Flask, admin: FlaskClient, platform) -> None:  # type: ignore[no-untyped-def]
    fields = {"key": "lock-up", "topic": "术语", "question": "封闭期是什么意思？",
              "answer": "封闭期内不能赎回，到期后按产品说明开放。", "keywords": "封闭期"}
    preview = propose(admin, "preview", "faq", q="封闭期能取钱吗", **fields)
    assert "不作产品回答" in preview.text and "常见问题：封闭期是什么意思？" in preview.text
    assert propose(admin, "save", "faq", **fields).status_code == 302
    assert "封闭期内不能赎回" in ask(shop, platform, "理财的封闭期是什么意思")
    with runtime(shop).uow() as uow:
        entry = uow.answers.by_key("lock-up")
        assert entry is not None and entry.version == 1
        assert services.faq_version(uow, "lock-up", 1) is not None
    for step in ("preview", "save"):  # the key is taken now
        refused = propose(admin, step, "faq", **fields)
        assert refused.status_code == 422 and "常见问题编号“lock-up”已存在" in refused.text


@pytest.mark.parametrize(("kind", "fields", "message"), [
    ("faq", {"key": "safe", "topic": "术语", "question": "安全吗？",
             "answer": "本产品保证收益。", "keywords": "安全"}, "含有禁用语“保证收益”，不能保存。"),
    ("faq", {"key": "x", "topic": "术语", "question": "q", "answer": "a", "keywords": "k"},
     "编号只能由 2–64 位小写字母"),
    ("faq", {"key": "ok", "topic": "术语", "question": "q", "answer": "", "keywords": "k"},
     "请填写“回答”。"),
    ("synonym", {"term": "薪金煲", "canonical": "不存在的词"}, "标准词“不存在的词”不在词表中"),
    ("synonym", {"term": "按揭", "canonical": "理财"}, "“按揭”已在词表中（表示“房贷”）"),
    ("synonym", {"term": "薪金煲", "canonical": "薪金煲"}, "不能相同"),
    ("need", {"name": "年终奖", "asked": "", "served": "现金管理"}, "请填写“客户怎么说”。"),
])
def test_every_refusal_is_said_in_chinese_and_nothing_is_saved(
        shop: Flask, admin: FlaskClient, kind: str, fields: dict[str, str],
        message: str) -> None:
    for step in ("preview", "save"):
        response = propose(admin, step, kind, **fields)
        assert response.status_code == 422 and message in response.text
    assert rows(shop, select(AddedSynonym.id)) == rows(shop, select(AddedNeed.id)) == []
    assert len(rows(shop, select(FaqEntry.id))) == 11


def test_only_head_office_may_learn_and_never_without_the_csrf_token(
        shop: Flask, admin: FlaskClient) -> None:
    data = {"kind": "synonym", "q": MISSED, "term": "薪金煲", "canonical": "现金管理"}
    assert admin.post("/console/misses/save", data=data).status_code == 400
    manager = shop.test_client()
    login(manager, "m1")
    assert manager.get("/console/misses/learn?kind=synonym").status_code == 403
    token = csrf_token(manager.get("/console/leads").text)
    assert manager.post("/console/misses/save",
                        data={**data, "csrf_token": token}).status_code == 403
    assert rows(shop, select(AddedSynonym.id)) == []


def unrelated(n: int) -> str:
    """Return a question sharing no word with any other."""
    return "".join(chr(base + n * step) for base, step in ((0x4E00, 97), (0x5100, 89),
                                                            (0x5500, 71)))


def test_misses_are_grouped_by_shared_words_and_paged(shop: Flask, admin: FlaskClient) -> None:
    now = utcnow()
    with runtime(shop).uow() as uow:
        for n in range(25):
            services.record_miss(uow, unrelated(n), "not_found", now - timedelta(minutes=n))
        for text in ("薪金煲收益怎么样", "薪金煲的收益高吗", "薪金煲收益"):
            services.record_miss(uow, text, "not_found", now)
        uow.commit()
    first = admin.get("/console/misses").text
    assert "第 1–20 条，共" in first and "下一页" in first
    assert first.index("薪金煲") < first.index(unrelated(0))  # the group of three comes first
    assert "薪金煲的收益高吗" in first  # shown as a similar wording of the group
    second = admin.get("/console/misses?page=2").text
    assert "第 21–" in second and "上一页" in second


def test_the_services_store_additions_with_who_and_when_and_bump_the_catalogue(
        app: Flask) -> None:
    now = utcnow()
    with runtime(app).uow() as uow:
        stamp = services.catalogue_stamp(uow)
        services.add_synonym(uow, services.synonym_card(" 薪金煲 ", "现金管理"), "hq", now)
        services.add_need(uow, services.need_card("年终奖", "年终奖、奖金", "现金管理"), "hq", now)
        uow.commit()
    with runtime(app).uow() as uow:
        assert services.catalogue_stamp(uow) != stamp
        assert services.vocabulary(uow) == (
            [services.SynonymCard("薪金煲", "现金管理")],
            [services.NeedCard("年终奖", ("年终奖", "奖金"), ("现金管理",))])
        with pytest.raises(services.LearningRefused) as refused:
            services.add_synonym(uow, services.SynonymCard("薪金煲", "理财"), "hq", now)
        assert refused.value.code == "term_taken"
    assert rows(app, select(AddedSynonym.created_by, AddedSynonym.created_at)) == [("hq", now)]
    assert sorted(rows(app, select(AuditEvent.action, AuditEvent.subject))) == [
        ("need_added", "年终奖"), ("synonym_added", "薪金煲")]
