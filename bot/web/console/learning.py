"""Console pages for head office: learning from a group of misses.

From a group, head office proposes a synonym, a need or an FAQ entry (prefilled from the
group); the preview re-runs both evaluation sets and answers the group's questions with the
change applied in memory (bot.search.learning), and only the confirm button saves it
(audited; every worker rebuilds its index at its next question).
"""

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required
from werkzeug.datastructures import MultiDict

from bot import texts
from bot.search.cache import current_vocabulary
from bot.search.learning import Change, Live, preview
from bot.search.miss_groups import find_group, unknown_runs
from bot.search.vocabulary import Vocabulary
from bot.web.console.answer_labels import AnswerNames, set_rows
from bot.web.console.blueprint import bp
from bot.web.console.misses import chosen_days, live_matcher, miss_groups
from bot.web.console.support import roles, scope, work
from crm_core import services
from crm_core.model import FaqTopic, StaffRole, utcnow
from crm_core.unit_of_work import DuplicateError, UnitOfWork

FIELDS = {"synonym": ("term", "canonical"), "need": ("name", "asked", "served"),
          "faq": ("key", "topic", "question", "answer", "keywords")}
QUESTIONS_SHOWN = 20


@bp.get("/misses/learn")
@login_required
@roles(StaffRole.HEAD_OFFICE)
def learn() -> str:
    """The form of one addition, prefilled from the group of the question `q`."""
    kind, days, question = _kind(request.args), chosen_days(request.args.get("days", type=int)), \
        request.args.get("q", "")
    with work() as uow:
        matcher = live_matcher(uow)
        shared, questions = _group(uow, question, days)
    form = _prefill(kind, question, unknown_runs(matcher.products, question), shared)
    return render_template("console/learn.html", **_page(kind, days, question, questions, form))


@bp.post("/misses/preview")
@login_required
@roles(StaffRole.HEAD_OFFICE)
def learn_preview() -> ResponseReturnValue:
    """Try the addition in memory: both evaluation sets and the group's questions."""
    kind, days, question, form = _posted()
    with work() as uow:
        _, questions = _group(uow, question, days)
        try:
            change = _change(kind, form)
            result = preview(change, _live(uow), questions[:QUESTIONS_SHOWN])
        except services.LearningRefused as error:
            return _refused(uow, kind, days, question, form, error)
        names = AnswerNames.of(services.catalogue(uow)[1],
                               [*services.faq_entries(uow), *change.extra_faq()])
    rows = [(q, names.label(a), names.label(b)) for q, a, b in result.questions]
    return render_template("console/learn.html", **_page(kind, days, question, questions, form),
                           sets=set_rows(result), answers=rows, regressed=result.regressed())


@bp.post("/misses/save")
@login_required
@roles(StaffRole.HEAD_OFFICE)
def learn_save() -> ResponseReturnValue:
    """Save the addition previewed (checked again), audited, then back to the misses."""
    kind, days, question, form = _posted()
    with work() as uow:
        try:
            subject = _save(uow, _change(kind, form))
            uow.commit()
        except DuplicateError:  # the same word or key saved meanwhile by someone else
            uow.rollback()
            error = services.LearningRefused("term_taken" if kind == "synonym" else "key_taken",
                                             form.get("term") or form.get("key", ""))
            return _refused(uow, kind, days, question, form, error)
        except services.LearningRefused as error:
            return _refused(uow, kind, days, question, form, error)
    flash(texts.LEARN_SAVED[kind].format(subject=subject))
    return redirect(url_for("console.misses", days=days))


def _refused(uow: UnitOfWork, kind: str, days: int, question: str, form: dict[str, str],
             error: services.LearningRefused) -> ResponseReturnValue:
    _, questions = _group(uow, question, days)
    page = _page(kind, days, question, questions, form, refusal(error))
    return render_template("console/learn.html", **page), 422


def refusal(error: services.LearningRefused) -> str:
    """Say in Chinese why an addition was refused."""
    field, _, limit = error.detail.partition(":")
    word, _, concept = error.detail.partition(":")
    return texts.LEARN_REFUSALS[error.code].format(
        field=texts.LEARN_FIELDS.get(field, field), limit=limit, word=word, concept=concept,
        detail=error.detail)


def _kind(args: MultiDict[str, str]) -> str:
    kind = args.get("kind", "")
    if kind not in FIELDS:
        abort(400)
    return kind


def _posted() -> tuple[str, int, str, dict[str, str]]:
    kind = _kind(request.form)
    form = {name: request.form.get(name, "") for name in FIELDS[kind]}
    return kind, chosen_days(request.form.get("days", type=int)), request.form.get("q", ""), form


def _group(uow: UnitOfWork, question: str, days: int) -> tuple[list[str], list[str]]:
    group = find_group(miss_groups(uow, live_matcher(uow), days), question)
    if group is None:
        return [], [question] if question else []
    return sorted(group.shared), group.questions()


def _prefill(kind: str, question: str, unknown: list[str], shared: list[str]
             ) -> dict[str, str]:
    words = " ".join(shared)
    prefill = {"synonym": {"term": unknown[0] if unknown else ""},
               "need": {"asked": " ".join(unknown) or words},
               "faq": {"question": question[:200], "keywords": words,
                       "topic": FaqTopic.TERMS.value}}[kind]
    return {name: prefill.get(name, "") for name in FIELDS[kind]}


def _page(kind: str, days: int, question: str, questions: list[str], form: dict[str, str],
          error: str | None = None) -> dict[str, Any]:
    return {"kind": kind, "days": days, "q": question, "questions": questions, "form": form,
            "error": error, "kinds": texts.LEARN_KINDS, "fields": texts.LEARN_FIELDS,
            "topics": [t.value for t in FaqTopic], "concepts": Vocabulary.concepts(),
            "shown": QUESTIONS_SHOWN}


def _change(kind: str, form: dict[str, str]) -> Change:
    if kind == "synonym":
        return Change(synonym=services.synonym_card(form["term"], form["canonical"]))
    if kind == "need":
        return Change(need=services.need_card(form["name"], form["asked"], form["served"]))
    return Change(faq=services.faq_card(form))


def _live(uow: UnitOfWork) -> Live:
    _, cards = services.catalogue(uow)
    return Live(cards, services.faq_entries(uow), current_vocabulary(uow), live_matcher(uow))


def _save(uow: UnitOfWork, change: Change) -> str:
    actor, now = scope().username, utcnow()
    if change.synonym is not None:
        current_vocabulary(uow).check_synonym(change.synonym)
        services.add_synonym(uow, change.synonym, actor, now)
        return change.synonym.term
    if change.need is not None:
        services.add_need(uow, change.need, actor, now)
        return change.need.name
    assert change.faq is not None  # noqa: S101 - a change is one of the three
    services.add_faq(uow, change.faq, actor, now)
    return change.faq.question
