"""Sending campaigns in the worker: mass batches, messages in the window, managers' tasks.

Each round first starts the approved campaigns whose schedule time has come (nobody has to
press "send" for them), then takes the campaigns being sent; for each, it first sends again the
batches a crash or a timeout left unconfirmed (same clientmsgid: the platform answers with the
first job, never sends twice), then claims and sends new batches within the call limits, then
the customer-service messages, then turns tasks over to managers and closes what is finished.
Quiet hours stop the sending. The platform's errors follow the outbox's classes: 45009 pauses
the campaign and says so; busy, timeouts and lost answers leave the batch claimed for the next
round; a refusal fails it.

A campaign that names a product has a tracked share link appended to each message
(`TrackedText`): one campaign-level link for a mass send (one text goes to every openid of a
batch), one per recipient for a customer-service message.
"""

import logging
from collections.abc import Callable
from datetime import datetime

from bot.share_tokens import ShareLinks
from bot.wechat.api import WeChatApi
from bot.wechat.errors import (
    PermanentError,
    QuotaExceededError,
    TokenError,
    TransientError,
    UnknownOutcomeError,
    WeChatApiError,
)
from crm_core.model import utcnow
from crm_core.model.campaigns import Campaign, campaign_sharer
from crm_core.services import ShareClaim, campaigns
from crm_core.services.campaigns import sending
from crm_core.unit_of_work import SqlUnitOfWork

log = logging.getLogger(__name__)
RETRY_LATER = (TransientError, TokenError, UnknownOutcomeError)
# What a message says: (campaign id, the campaign's text, the recipient or None for a mass send).
Compose = Callable[[int, str, int | None], str]


def as_written(_campaign_id: int, content: str, _customer_id: int | None) -> str:
    """The campaign's text as it is (a campaign with no product, or tests without links)."""
    return content


class TrackedText:
    """Append to a campaign's text a tracked share link to its product's page, bound to the
    campaign (a mass send) or to the campaign and the recipient (a customer-service message),
    so an open of the link is credited to the campaign."""

    def __init__(self, uow_factory: Callable[[], SqlUnitOfWork], links: ShareLinks) -> None:
        self.uow_factory, self.links = uow_factory, links
        self.products: dict[int, str | None] = {}

    def __call__(self, campaign_id: int, content: str, customer_id: int | None) -> str:
        if campaign_id not in self.products:
            with self.uow_factory() as uow:
                self.products[campaign_id] = uow.session.get_one(Campaign,
                                                                 campaign_id).product_code
        product = self.products[campaign_id]
        if not product:
            return content
        claim = ShareClaim(campaign_sharer(campaign_id, customer_id), product)
        return f"{content}\n\n详情：{self.links.share_url(claim)}"


class CampaignSender:
    """One worker's sending loop over the campaigns being sent."""

    def __init__(self, uow_factory: Callable[[], SqlUnitOfWork], api: WeChatApi,
                 policy: campaigns.ContactPolicy, limits: sending.Limits | None = None,
                 clock: Callable[[], datetime] = utcnow, customs_per_round: int = 50,
                 compose: Compose = as_written) -> None:
        self.uow_factory, self.api, self.policy = uow_factory, api, policy
        self.compose = compose
        self.limits = limits or sending.Limits()
        self.clock, self.customs_per_round = clock, customs_per_round

    def run(self) -> int:
        """Start the campaigns whose schedule time has come, then send what is due of every
        campaign being sent; return how many calls were made."""
        with self.uow_factory() as uow:
            if started := sending.start_scheduled(uow, self.clock()):
                log.info("scheduled campaigns started: %s", started)
            uow.commit()
        if self.policy.quiet.quiet(self.clock()):
            return 0
        with self.uow_factory() as uow:
            ids = sending.sending_campaigns(uow)
        return sum(self.send_campaign(campaign_id) for campaign_id in ids)

    def send_campaign(self, campaign_id: int) -> int:
        """Send one campaign's due batches and messages; return the calls made."""
        with self.uow_factory() as uow:
            sending.recheck(uow, campaign_id)
            sending.abandon_claimed_customs(uow, campaign_id)
            retries = sending.unconfirmed_batches(uow, campaign_id)
            uow.commit()
        calls = 0
        for batch in retries:
            calls += 1
            if not self._send_batch(campaign_id, batch):
                return calls
        calls += self._new_batches(campaign_id) + self._customs(campaign_id)
        with self.uow_factory() as uow:
            sending.finish_if_done(uow, campaign_id, self.clock())
            uow.commit()
        return calls

    def _new_batches(self, campaign_id: int) -> int:
        calls = 0
        while True:
            with self.uow_factory() as uow:
                batch = sending.claim_mass_batch(uow, campaign_id, self.clock(), self.limits)
                uow.commit()
            if batch is None:
                return calls
            calls += 1
            if not self._send_batch(campaign_id, batch):
                return calls

    def _send_batch(self, campaign_id: int, batch: sending.MassBatch) -> bool:
        """Make one mass-send call; return whether the round may go on."""
        try:
            msg_id = self.api.mass_send_text(
                batch.openids, self.compose(campaign_id, batch.content, None),
                batch.client_msg_id)
        except QuotaExceededError:
            self._pause(campaign_id, "quota_45009")
            return False
        except RETRY_LATER as error:
            log.info("campaign %s batch %s left for the next round: %s", campaign_id,
                     batch.id, error)
            return False
        except (PermanentError, WeChatApiError) as error:
            with self.uow_factory() as uow:
                sending.batch_failed(uow, batch.id, error.errcode)
                uow.commit()
            return True
        with self.uow_factory() as uow:
            sending.batch_sent(uow, batch.id, msg_id)
            uow.commit()
        return True

    def _customs(self, campaign_id: int) -> int:
        for sent in range(self.customs_per_round):
            with self.uow_factory() as uow:
                claimed = sending.claim_custom(uow, campaign_id, self.clock(),
                                               self.policy.window)
                uow.commit()
            if claimed is None:
                return sent
            self._send_custom(campaign_id, *claimed)
        return self.customs_per_round

    def _send_custom(self, campaign_id: int, customer_id: int, openid: str, text: str) -> None:
        error: str | None = None
        try:
            self.api.send_custom_text(openid, self.compose(campaign_id, text, customer_id))
        except QuotaExceededError:
            error = "platform_45009"
        except WeChatApiError as failure:  # 45015/45047: outside the window or over its count
            error = f"platform_{failure.errcode}"
        with self.uow_factory() as uow:
            sending.custom_done(uow, campaign_id, customer_id, error)
            uow.commit()

    def _pause(self, campaign_id: int, reason: str) -> None:
        log.warning("campaign %s paused: the platform's mass-send quota is spent", campaign_id)
        with self.uow_factory() as uow:
            campaign = uow.session.get_one(Campaign, campaign_id)
            campaigns.pause(uow, "worker", campaign, self.clock(), reason)
            uow.commit()
