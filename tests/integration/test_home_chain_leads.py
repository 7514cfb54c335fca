"""Chain leads count on the home pages as leads of their branch and manager: in the open
(未关闭线索), new/contacted and overdue figures of the branch, the network and the manager."""

from datetime import timedelta

from crm_core import services
from crm_core.model import LeadStatus, Scope, StaffRole
from crm_core.services.organisations import move_chain_lead
from tests.integration.test_chain_leads import factory as factory
from tests.integration.test_chain_leads import leads
from tests.organisation_support import T0, Factory

ADMIN = Scope(0, "admin", "admin", StaffRole.HEAD_OFFICE, None, None)
ZONE = "Asia/Shanghai"


def home(factory: Factory, hours: int) -> tuple[dict[str, int], dict[str, int], int]:
    """The branch SH001's figures, the network's, and manager SH001-C1's open leads."""
    with factory() as uow:
        services.refresh_home_figures(uow, T0 + timedelta(hours=hours), ZONE)
        uow.commit()
        branch = services.branch_home(uow, ADMIN, "SH001")
        network = services.network_home(uow, ADMIN)["totals"]
        load = next(m for m in branch["managers"] if m["code"] == "SH001-C1")
        return branch["figures"], network, load["open_leads"]


def test_open_chain_leads_count_in_the_open_leads_of_branch_network_and_manager(
        factory: Factory) -> None:
    assert len(leads(factory)) == 2  # M002 and NEW1, both for SH001-C1, due in two hours
    branch, network, manager = home(factory, 1)
    assert (branch["leads_open"], branch["leads_new"], branch["leads_overdue"]) == (2, 2, 0)
    assert (network["leads_open"], manager) == (2, 2)
    with factory() as uow:
        move_chain_lead(uow, 1, LeadStatus.CONTACTED, T0 + timedelta(hours=1))
        move_chain_lead(uow, 2, LeadStatus.LOST, T0 + timedelta(hours=1))
        uow.commit()
    branch, network, manager = home(factory, 3)
    assert (branch["leads_open"], branch["leads_contacted"], branch["leads_lost"]) == (1, 1, 1)
    assert (network["leads_open"], manager) == (1, 1)
