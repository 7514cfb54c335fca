"""Issuing onboarding QR codes: the registry decides, the platform creates, the registry records.

The platform call happens between two units of work, so no database transaction waits on HTTP.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from types import TracebackType

from bot.wechat.api import QrTicket, WeChatApi
from bot.wechat.errors import WeChatApiError
from crm_core import services
from crm_core.model import PERMANENT_CODE_CAP, Scope, utcnow
from crm_core.unit_of_work import DuplicateError, UnitOfWork

# The platform documents no errcode for its permanent-code cap; it answers 45009 (the code of
# the daily quota too) with a message about QR codes, which is what tells the two apart.
_CAP_ERRCODE = 45009


class CodeIssuer:
    """Return each scene's code from the registry, creating it on the platform when needed."""

    def __init__(self, uow_factory: Callable[[], UnitOfWork], api_factory: Callable[[], WeChatApi],
                 *, permanent_cap: int = PERMANENT_CODE_CAP,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.uow_factory = uow_factory
        self.api_factory = api_factory
        self.permanent_cap = permanent_cap
        self.clock = clock
        self._api: WeChatApi | None = None

    def issue(self, scene: str, days: int | None = None, *,
              scope: Scope | None = None) -> services.CodeInfo:
        """Return a usable code for `scene`, within `scope` if given (raises CodeLimitReached,
        UnknownRecord, SceneError, SceneRefused)."""
        now = self.clock()
        with self.uow_factory() as uow:
            decision = services.code_for(uow, scene, now, days=days,
                                         permanent_cap=self.permanent_cap, scope=scope)
        if isinstance(decision, services.CodeInfo):
            return decision
        return self._record(decision, self._create(decision), now)

    def close(self) -> None:
        """Release the API client, if one was built."""
        if self._api is not None:
            self._api.close()

    def __enter__(self) -> CodeIssuer:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def _create(self, request: services.CodeToCreate) -> QrTicket:
        if self._api is None:
            self._api = self.api_factory()  # built lazily: reused codes need no app secret
        try:
            return self._api.create_qrcode(request.scene, request.permanent,
                                           request.expire_seconds)
        except WeChatApiError as error:
            if request.permanent and _is_cap(error):
                raise services.CodeLimitReached(
                    f"the platform refused a new permanent code for {request.scene}: the "
                    f"account's cap is reached ({error})") from error
            raise

    def _record(self, request: services.CodeToCreate, ticket: QrTicket,
                now: datetime) -> services.CodeInfo:
        try:
            with self.uow_factory() as uow:
                info = services.record_code(uow, request, ticket.ticket, ticket.url,
                                            ticket.expire_seconds, now)
                uow.commit()
                return info
        except DuplicateError:
            # A concurrent batch recorded the scene's permanent code first: theirs is the code.
            with self.uow_factory() as uow:
                return services.record_code(uow, request, ticket.ticket, ticket.url,
                                            ticket.expire_seconds, now)


def _is_cap(error: WeChatApiError) -> bool:
    return error.errcode == _CAP_ERRCODE and "qrcode" in error.errmsg.lower()
