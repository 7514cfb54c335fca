"""What head office reads of an answer in a preview: a product's name, an FAQ question, or
that nothing was found; and the evaluation sets' scores as table rows."""

from dataclasses import dataclass
from typing import Any

from bot import texts
from bot.search.learning import Answered, Preview
from crm_core.services import FaqCard, ProductCard


@dataclass(frozen=True)
class AnswerNames:
    """Product names by code and FAQ questions by key, to name answers."""

    products: dict[str, str]
    faq: dict[str, str]

    @classmethod
    def of(cls, cards: list[ProductCard], faq: list[FaqCard]) -> "AnswerNames":
        """Collect the names of a catalogue and an FAQ."""
        return cls({c.code: c.name for c in cards}, {e.key: e.question for e in faq})

    def label(self, answered: Answered) -> str:
        """Name what a question gets first, in Chinese."""
        kind, _, ref = answered.label.partition(":")
        if kind == "faq":
            text = texts.ANSWER_FAQ.format(question=self.faq.get(ref, ref))
        elif answered.label == "not_found":
            text = texts.ANSWER_NOT_FOUND
        elif answered.label == "none":
            text = texts.ANSWER_NONE
        else:
            text = f"{answered.label} {self.products.get(answered.label, '')}".strip()
        return text if answered.sure else text + texts.ANSWER_UNSURE


def set_rows(preview: Preview) -> list[dict[str, Any]]:
    """Return each evaluation set's name, size and top-1 score before and after."""
    return [{"name": texts.LEARN_SETS[name], "total": before.total,
             "before": before.total - len(before.misses), "before_rate": before.rate,
             "after": preview.after[name].total - len(preview.after[name].misses),
             "after_rate": preview.after[name].rate,
             "worse": preview.after[name].rate < before.rate}
            for name, before in preview.before.items()]
