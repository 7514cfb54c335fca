"""Links to a conversation's reply page: `/talk/<id>?k=<key>`, the key an HMAC of the id under
the service secret, so a link names one conversation and cannot be guessed or altered."""

import hashlib
import hmac


def talk_key(secret: str, conversation_id: int) -> str:
    """Return the key that opens a conversation's reply page."""
    message = f"talk:{conversation_id}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:32]


def talk_path(secret: str, conversation_id: int) -> str:
    """Return the reply page's path with its key."""
    return f"/talk/{conversation_id}?k={talk_key(secret, conversation_id)}"


def key_fits(secret: str, conversation_id: int, key: str) -> bool:
    """Say whether a key opens the conversation's page (compared in constant time)."""
    return hmac.compare_digest(talk_key(secret, conversation_id), key)
