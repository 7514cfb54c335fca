"""Product answers as replies, shared by the text, menu and product handlers.

Every answer is labelled automated, passes the crm_core offer gates (sales window, branch,
private placement, suitability; each decision logged there) and carries the disclosures its
products need. What was shown (product versions, FAQ versions, disclosure texts, why each
product matched) goes into ctx.evidence, which dispatch stores with the reply's interaction.

Head office's FAQ answers first when it fits (bot.search.matcher). When the match is unsure,
the customer picks from up to three numbered choices, remembered in the database, or asks
their manager; a question that got the fallback or choices is recorded, masked, as a miss.
"""

from collections.abc import Sequence
from datetime import timedelta

from bot import texts
from bot.context import HandlerContext
from bot.search.index import SearchResult
from bot.wechat.messages import Message
from bot.wechat.replies import Article, NewsReply, Reply, TextReply
from crm_core import services
from crm_core.model import FaqTopic
from crm_core.model.products import INVESTMENT
from crm_core.services import Choice, FaqCard, Offer, OfferPolicy, ProductCard, ShareClaim
from crm_core.services.answers.choices import MAX_CHOICES


def answer_question(msg: Message, ctx: HandlerContext) -> Reply | None:
    """Answer free text about products; None if it does not look like a product question."""
    question = msg.content or ""
    decision = ctx.policy.catalogue.get(ctx.uow).decide(question)
    if decision.faq is not None:
        return faq_answer(ctx, decision.faq)
    result = decision.products
    if not result.intent:
        return None
    if not result.hits:
        return _not_found(ctx, question)
    offer = _offer(msg, ctx, list(result.hits))
    if not decision.sure and len(offer.shown) > 1:
        services.record_miss(ctx.uow, question, "unsure", ctx.now)
        return _choices(msg, ctx, offer, result)
    if result.exact and offer.shown and offer.shown[0].code == result.hits[0][0]:
        reply = _single(msg, ctx, offer, offer.shown[0], "question")
    else:
        reply = _listing(msg, ctx, offer, "question", question)
    _reasons(ctx, result)
    return reply


def answer_choice(number: int, msg: Message, ctx: HandlerContext) -> Reply | None:
    """Answer a number replied to our choices; None if no choices are pending."""
    choice = services.pending_choice(ctx.uow, msg.sender, number, ctx.now)
    if choice is None:
        return None
    if choice.kind == "faq":
        card = ctx.policy.catalogue.get(ctx.uow).faq.entries.get(choice.ref)
        return faq_answer(ctx, card) if card else None
    return details(choice.ref, msg, ctx)


def faq_answer(ctx: HandlerContext, card: FaqCard) -> Reply:
    """Answer with head office's approved FAQ entry (its version is kept as evidence)."""
    # Terms, disclosures, risk levels and fees are about investing; a process answer carries
    # the disclosure only when it speaks of an investment product.
    investing = card.topic != FaqTopic.PROCESS or any(c in card.answer for c in INVESTMENT)
    disclosures = [texts.RISK_DISCLOSURE] if investing else []
    ctx.evidence.update({"answer": "faq", "faq": {"key": card.key, "version": card.version},
                         "products": [], "disclosures": disclosures})
    return TextReply(texts.AUTOMATED + card.answer + "".join(f"\n{d}" for d in disclosures))


def answer_category(category: str, msg: Message, ctx: HandlerContext) -> Reply:
    """Answer a menu click for a whole category."""
    result = ctx.policy.catalogue.get(ctx.uow).products.search(category)
    return _listing(msg, ctx, _offer(msg, ctx, list(result.hits)), "menu")


def details(code: str, msg: Message, ctx: HandlerContext) -> Reply:
    """Answer "详情 <code>": the product's card, or why it is not offered."""
    if not code:
        return TextReply(texts.AUTOMATED + texts.DETAILS_USAGE)
    card = services.product_card(ctx.uow, code)
    if card is None:
        return TextReply(texts.AUTOMATED + texts.DETAILS_UNKNOWN.format(code=code))
    offer = _offer(msg, ctx, [(card.code, 100.0)], limit=1)
    if offer.shown:
        return _single(msg, ctx, offer, offer.shown[0], "details")
    _remember(ctx, "details", offer)
    if offer.withheld:
        return TextReply(texts.AUTOMATED + _why_withheld(offer, card))
    if card.private_placement:
        return TextReply(texts.AUTOMATED + texts.PRIVATE_PLACEMENT)
    return TextReply(texts.AUTOMATED + texts.DETAILS_UNAVAILABLE)


def _offer(msg: Message, ctx: HandlerContext, ranked: list[tuple[str, float]],
           limit: int | None = None) -> Offer:
    settings = ctx.policy.products
    policy = OfferPolicy(ctx.today, timedelta(days=settings.assessment_validity_days),
                         limit or settings.max_results)
    return services.offer_products(ctx.uow, msg.sender, ranked, policy, ctx.now)


def _single(msg: Message, ctx: HandlerContext, offer: Offer, card: ProductCard,
            kind: str) -> Reply:
    disclosures = disclosures_for([card])
    _remember(ctx, kind, offer, [card], disclosures)
    url = _link(msg, ctx, card)
    body = detail_text(card) + "".join(f"\n{d}" for d in disclosures)
    if url is None:
        return TextReply(texts.AUTOMATED + body)
    return NewsReply((Article(texts.AUTOMATED + card.name, body, url),))


def _listing(msg: Message, ctx: HandlerContext, offer: Offer, kind: str,
             question: str | None = None) -> Reply:
    shown = list(offer.shown)
    disclosures = disclosures_for(shown)
    _remember(ctx, kind, offer, shown, disclosures)
    if not shown and not offer.withheld:
        return _not_found(ctx, question)
    header = texts.LIST_HEADER if offer.personalised else texts.LIST_HEADER_GENERIC
    lines = [texts.AUTOMATED + header] if shown else [texts.AUTOMATED.strip()]
    lines += [product_line(n, card) for n, card in enumerate(shown, 1)]
    lines += [texts.PAST_PERFORMANCE_OF.format(name=c.name, text=c.past_performance)
              for c in shown if c.past_performance]
    if offer.withheld:
        lines.append(_why_withheld(offer, None))
    if shown:
        lines.append(texts.LIST_FOOTER)
    return TextReply("\n".join(lines + disclosures))


def _not_found(ctx: HandlerContext, question: str | None) -> Reply:
    # The fallback offers the customer's manager; a free-text question is kept as a miss.
    if question is not None:
        services.record_miss(ctx.uow, question, "not_found", ctx.now)
    ctx.evidence.update({"answer": "not_found", "products": [], "disclosures": []})
    return TextReply(texts.AUTOMATED + texts.NOT_FOUND)


def _choices(msg: Message, ctx: HandlerContext, offer: Offer, result: SearchResult) -> Reply:
    shown = list(offer.shown)[:MAX_CHOICES]
    choices = [Choice("product", c.code, texts.CHOICE_PRODUCT.format(name=c.name, code=c.code))
               for c in shown]
    ttl = timedelta(minutes=ctx.policy.products.choice_minutes)
    services.offer_choices(ctx.uow, msg.sender, choices, ttl, ctx.now)
    disclosures = disclosures_for(shown)
    _remember(ctx, "choices", offer, shown, disclosures)
    _reasons(ctx, result)
    numbers = "/".join(str(n) for n in range(1, len(choices) + 1))
    lines = [texts.AUTOMATED + texts.CHOICES_HEADER.format(numbers=numbers)]
    lines += [texts.CHOICE_LINE.format(n=n, label=c.label) for n, c in enumerate(choices, 1)]
    return TextReply("\n".join([*lines, texts.CHOICES_FOOTER, *disclosures]))


def _reasons(ctx: HandlerContext, result: SearchResult) -> None:
    # Why each shown product matched beyond its words (the needs it serves), for staff.
    shown = {item["code"] for item in ctx.evidence.get("products", [])}
    reasons = {code: list(why) for code, why in result.reasons.items() if code in shown}
    if reasons:
        ctx.evidence["reasons"] = reasons


def product_line(n: int, card: ProductCard) -> str:
    """One product in a short list."""
    line = texts.PRODUCT_LINE.format(n=n, name=card.name, code=card.code, risk=card.risk_level,
                                     rate_label=rate_label(card), rate=card.rate or "—")
    return line + (texts.PRODUCT_TERM.format(term=card.term) if card.term else "")


def detail_text(card: ProductCard) -> str:
    """The details of one product (without disclosures)."""
    text = texts.DETAIL_TEXT.format(name=card.name, code=card.code, category=card.category,
                                    risk=card.risk_level, rate_label=rate_label(card),
                                    rate=card.rate or "—")
    text += texts.DETAIL_MORE.format(term=card.term) if card.term else ""
    text += texts.DETAIL_MIN.format(amount=card.min_amount) if card.min_amount else ""
    parts = [text, card.summary, card.details]
    if card.past_performance:
        parts.append(texts.PAST_PERFORMANCE.format(text=card.past_performance))
    return "\n".join(p for p in parts if p)


def rate_label(card: ProductCard) -> str:
    """How a product's rate is labelled: annual rate for loans and cards."""
    return texts.RATE_LABELS.get(card.category, texts.RATE_LABEL_DEFAULT)


def disclosures_for(cards: Sequence[ProductCard]) -> list[str]:
    """Return the disclosures a set of shown products requires."""
    found = []
    if any(card.investment for card in cards):
        found.append(texts.RISK_DISCLOSURE)
    if any(card.past_performance for card in cards):
        found.append(texts.PAST_PERFORMANCE_DISCLOSURE)
    return found


def _why_withheld(offer: Offer, card: ProductCard | None) -> str:
    assessment = offer.assessment
    if assessment.level is None and assessment.expired and assessment.assessed_on:
        why = texts.EXPIRED_ASSESSMENT.format(date=assessment.assessed_on.isoformat())
    elif assessment.level is None:
        why = texts.NO_ASSESSMENT
    elif card is not None:
        why = texts.ABOVE_ASSESSMENT.format(risk=card.risk_level, level=assessment.level)
    else:
        why = texts.WITHHELD.format(count=len(offer.withheld))
    return why + texts.HOW_TO_ASSESS


def _link(msg: Message, ctx: HandlerContext, card: ProductCard) -> str | None:
    # Every link handed out names its sharer: here, the customer it is handed to.
    if ctx.policy.links is None or card.private_placement:
        return None
    sharer = services.customer_sharer(ctx.uow, msg.sender)
    return ctx.policy.links.share_url(ShareClaim(sharer, card.code, direct=True))


def _remember(ctx: HandlerContext, kind: str, offer: Offer,
              shown: Sequence[ProductCard] = (), disclosures: Sequence[str] = ()) -> None:
    ctx.evidence.update({
        "answer": kind, "personalised": offer.personalised,
        "products": [{"code": c.code, "version": c.version} for c in shown],
        "withheld": [{"code": c.code, "version": c.version, "reason": why}
                     for c, why in offer.withheld],
        "disclosures": list(disclosures)})
