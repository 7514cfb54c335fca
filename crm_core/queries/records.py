"""Read-side SQL for record pages: a customer's leads and notes, the products they name."""

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from crm_core.model import CustomerNote, Lead, Product

RECORD_ROWS = 50


class SqlRecords:
    """What a customer's or a lead's page lists besides the record itself."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def leads_of(self, customer_id: int, limit: int = RECORD_ROWS) -> list[Lead]:
        """Return a customer's leads, newest first."""
        stmt = (select(Lead).where(Lead.customer_id == customer_id)
                .options(selectinload(Lead.manager)).order_by(Lead.id.desc()).limit(limit))
        return list(self.session.scalars(stmt))

    def notes_of(self, customer_id: int, limit: int = RECORD_ROWS) -> list[CustomerNote]:
        """Return the notes on a customer, newest first."""
        stmt = (select(CustomerNote).where(CustomerNote.customer_id == customer_id)
                .order_by(CustomerNote.created_at.desc(), CustomerNote.id.desc()).limit(limit))
        return list(self.session.scalars(stmt))

    def product_names(self, codes: set[str]) -> dict[str, str]:
        """Return {code: name} of the products named."""
        if not codes:
            return {}
        stmt = select(Product.code, Product.name).where(Product.code.in_(codes))
        return {code: name for code, name in self.session.execute(stmt)}
