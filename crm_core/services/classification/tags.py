"""Staff tags: managers and branch heads tag the customers in their scope; every change is
audited. A tag is a dimension too (code `tag`), so segments can use it."""

import unicodedata
from datetime import datetime
from typing import Any

from crm_core.model import CustomerTag, OutOfScope, Refusal, Scope, StaffRole
from crm_core.queries.classification import profile
from crm_core.services.records import visible_customer
from crm_core.services.staff import audit
from crm_core.unit_of_work import SqlUnitOfWork

TAG_MAX = 32  # customer_tags.tag
TAGGERS = (StaffRole.MANAGER, StaffRole.BRANCH_HEAD)


def clean_tag(text: str) -> str:
    """Return a tag as stored (trimmed, NFKC), or refuse an empty, long or control-laden one."""
    tag = unicodedata.normalize("NFKC", text).strip()
    if not tag:
        raise Refusal("required", "empty tag", field="tag")
    if len(tag) > TAG_MAX:
        raise Refusal("too_long", "tag too long", field="tag", limit=TAG_MAX)
    if any(unicodedata.category(c).startswith("C") for c in tag):
        raise Refusal("bad_tag", "control characters in a tag")
    return tag


def tag_customer(uow: SqlUnitOfWork, scope: Scope, customer_id: int, text: str,
                 now: datetime) -> bool:
    """Tag a customer in the scope; return False if they already had the tag."""
    _may_tag(scope)
    visible_customer(uow, scope, customer_id)
    tag = clean_tag(text)
    if uow.session.get(CustomerTag, (customer_id, tag)) is not None:
        return False
    uow.session.add(CustomerTag(customer_id=customer_id, tag=tag, tagged_by=scope.username,
                                tagged_at=now))
    audit(uow, now, scope.username, "customer_tagged", str(customer_id), {"tag": tag})
    return True


def untag_customer(uow: SqlUnitOfWork, scope: Scope, customer_id: int, tag: str,
                   now: datetime) -> bool:
    """Remove a customer's tag; return False if they did not have it."""
    _may_tag(scope)
    visible_customer(uow, scope, customer_id)
    found = uow.session.get(CustomerTag, (customer_id, tag))
    if found is None:
        return False
    uow.session.delete(found)
    audit(uow, now, scope.username, "customer_untagged", str(customer_id), {"tag": tag})
    return True


def _may_tag(scope: Scope) -> None:
    if scope.role not in TAGGERS:
        raise OutOfScope("tags are set by managers and branch heads")


def customer_classes(uow: SqlUnitOfWork, scope: Scope, customer_id: int) -> dict[str, Any]:
    """Return a customer's current classification and tags (within the scope)."""
    visible_customer(uow, scope, customer_id)
    return profile(uow.session, customer_id)
