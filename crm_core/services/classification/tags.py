"""Staff tags: managers and branch heads tag the customers in their scope; every change is
audited. A tag is a dimension too (code `tag`), so segments can use it. The same staff record a
follower's bank customer number (kept only as its keyed hash), which the extracts match on."""

import unicodedata
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from crm_core.model import CustomerKey, CustomerTag, OutOfScope, Refusal, Scope, StaffRole
from crm_core.queries.classification import profile
from crm_core.services.classification.extracts import CUSTOMER_NO, KeyHasher
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
    found = profile(uow.session, customer_id)
    numbers = uow.session.scalar(select(func.count()).where(
        CustomerKey.customer_id == customer_id))
    return found | {"customer_numbers": numbers}


def record_customer_number(uow: SqlUnitOfWork, scope: Scope, customer_id: int, number: str,
                           keys: KeyHasher, now: datetime) -> None:
    """Record a follower's bank customer number (only its keyed hash), so the bank's extracts
    keyed by it find them; staff at the branch only, audited without the number."""
    _may_tag(scope)
    visible_customer(uow, scope, customer_id)
    cleaned = number.strip()
    if not CUSTOMER_NO.fullmatch(cleaned):
        raise Refusal("bad_customer_no", "bad customer number", value=cleaned[:24])
    key = keys.customer_key(cleaned)
    found = uow.session.get(CustomerKey, key)
    if found is not None and found.customer_id != customer_id:
        raise Refusal("customer_no_taken", "the number is another customer's")
    if found is None:
        uow.session.add(CustomerKey(key_hash=key, customer_id=customer_id, source="staff",
                                    recorded_by=scope.username, recorded_at=now))
        audit(uow, now, scope.username, "customer_number_recorded", str(customer_id))
