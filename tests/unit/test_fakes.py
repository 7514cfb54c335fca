"""The fakes keep the repositories' contracts, so rules tested on them hold on SQL too."""

import inspect
from datetime import datetime, timedelta
from typing import Any, get_type_hints

import pytest

from crm_core import services
from crm_core.model import Branch, CodeKind, Lead, LeadStatus, Manager, QrCode
from crm_core.unit_of_work import DuplicateDelivery, DuplicateError, UnitOfWork
from tests.builders import org
from tests.fakes import FakeUnitOfWork

T0 = datetime(2026, 11, 28, 9, 0)
REPOSITORIES = get_type_hints(UnitOfWork)


def shape(function: Any) -> list[tuple[str, Any, Any]]:
    return [(p.name, p.kind, p.default) for p in inspect.signature(function).parameters.values()]


@pytest.mark.parametrize("attribute", sorted(REPOSITORIES))
def test_every_repository_of_the_unit_of_work_has_a_fake_keeping_its_protocol(
        attribute: str) -> None:
    protocol, fake = REPOSITORIES[attribute], getattr(FakeUnitOfWork(), attribute)
    members = [name for name, value in vars(protocol).items()
               if inspect.isfunction(value) and not name.startswith("_")]
    assert members
    for name in members:
        assert shape(getattr(type(fake), name)) == shape(getattr(protocol, name)), name


def test_a_unique_key_taken_twice_fails_on_flush_but_nulls_never_collide() -> None:
    uow = FakeUnitOfWork()
    org(uow, {"SH001": ["SH001-01", "SH001-02"]})
    first, second = uow.managers.items
    assert first.openid is None and second.openid is None  # NULLs are all distinct
    first.openid = second.openid = "o-manager"
    with pytest.raises(DuplicateError):
        uow.flush()


def test_a_partial_unique_index_binds_only_the_rows_it_covers() -> None:
    uow = FakeUnitOfWork()
    for kind in (CodeKind.TEMPORARY, CodeKind.TEMPORARY, CodeKind.PERMANENT):
        uow.codes.add(QrCode(scene="b:SH001", kind=kind, ticket="t", url="u", created_at=T0,
                             expires_at=T0 + timedelta(days=1)))
    uow.flush()
    uow.codes.add(QrCode(scene="b:SH001", kind=CodeKind.PERMANENT, ticket="t", url="u"))
    with pytest.raises(DuplicateError):
        uow.flush()


def test_only_open_leads_bind_a_request_as_the_partial_indexes_with_in_say() -> None:
    uow = FakeUnitOfWork()
    customer = uow.customers.add_if_missing("o1", T0, "direct")

    def request(product: str | None) -> Lead | None:
        return uow.leads.add_unless_open(Lead(
            customer_id=customer.id, source="contact", product_code=product,
            status=LeadStatus.NEW, created_at=T0, due_at=T0))

    first, twin, other = request(None), request(None), request("WM001")
    assert first is not None and twin is None and other is not None
    first.status = LeadStatus.CONTACTED
    assert request(None) is None  # contacted is still open
    first.status = LeadStatus.LOST
    assert request(None) is not None and request("WM001") is None
    assert len(uow.leads.items) == 3


def test_a_delivery_claimed_twice_fails_as_a_duplicate_delivery() -> None:
    uow = FakeUnitOfWork()
    first = services.claim_delivery(uow, "wechat", "msg:1", T0)
    with pytest.raises(DuplicateDelivery):
        services.claim_delivery(uow, "wechat", "msg:1", T0)
    assert uow.deliveries.get("wechat", "msg:1") is first


def test_a_rollback_brings_back_rows_deleted_since_the_commit() -> None:
    uow = FakeUnitOfWork()
    services.offer_choices(uow, "o1", [services.Choice("faq", "fees", "费用")],
                           timedelta(minutes=5), T0)
    uow.commit()
    services.clear_choices(uow, "o1")
    assert services.pending_choice(uow, "o1", 1, T0) is None
    uow.rollback()
    assert services.pending_choice(uow, "o1", 1, T0) == services.Choice("faq", "fees", "费用")


def test_flush_gives_ids_defaults_and_foreign_keys_and_rollback_forgets_uncommitted_rows(
        ) -> None:
    uow = FakeUnitOfWork()
    branch = Branch(code="SH001", name="SH001支行")
    uow.managers.add(Manager(code="SH001-01", name="经理", branch=branch))  # cascades the branch
    uow.commit()
    manager = uow.managers.get(1)
    assert manager is not None and manager.branch_id == branch.id == 1
    assert (branch.rr_counter, manager.title) == (0, "客户经理")
    uow.branches.add(Branch(code="BJ001", name="BJ001支行"))
    uow.rollback()
    assert [b.code for b in uow.branches.all()] == ["SH001"]
