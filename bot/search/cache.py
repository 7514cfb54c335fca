"""The per-process matcher (product index + FAQ), rebuilt when the catalogue or FAQ changes.

Head office's vocabulary additions change the catalogue's revision, so they are read with
the catalogue (crm_core.services.answers.vocabulary).

Nothing here is shared between workers: each process builds its own matcher from the
database and checks the two stamps (one indexed read of two keys) on every question, so an
import is seen by every worker at its next question. A rebuild then costs about 0.2 s for
2,000 products (jieba's dictionary is loaded once per process, by `warm`).
"""

import threading
from collections.abc import Callable

from bot.search.matcher import Matcher
from bot.search.vocabulary import Vocabulary
from crm_core import services
from crm_core.unit_of_work import UnitOfWork

Stamp = tuple[str | None, str | None]


class CatalogueIndex:
    """The matcher of the catalogue and FAQ as this process last saw them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stamp: Stamp | None = None
        self._matcher: Matcher | None = None

    def warm(self, uow_factory: Callable[[], UnitOfWork]) -> None:
        """Build the matcher before serving: read the data, then build outside the
        transaction (on SQLite a transaction holds the writers' lock of every process)."""
        with uow_factory() as uow:
            stamp, cards = services.catalogue(uow)
            faq_stamp, faq = services.faq_stamp(uow), services.faq_entries(uow)
            vocabulary = current_vocabulary(uow)
        matcher = Matcher(cards, faq, vocabulary)
        with self._lock:
            self._stamp, self._matcher = (stamp, faq_stamp), matcher

    def get(self, uow: UnitOfWork) -> Matcher:
        """Return the matcher of the current catalogue and FAQ, rebuilt if either changed."""
        stamp = services.matcher_stamp(uow)
        with self._lock:
            if self._matcher is None or stamp != self._stamp:
                _, cards = services.catalogue(uow)
                self._matcher = Matcher(cards, services.faq_entries(uow),
                                        current_vocabulary(uow))
                self._stamp = stamp
            return self._matcher


def current_vocabulary(uow: UnitOfWork) -> Vocabulary:
    """Return the code's vocabulary merged with head office's additions."""
    synonyms, needs = services.vocabulary(uow)
    return Vocabulary(tuple(synonyms), tuple(needs))
