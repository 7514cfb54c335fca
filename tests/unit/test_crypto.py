"""Signatures and AES of the callback protocol, checked against Tencent's official vector."""

from pathlib import Path

import pytest

from bot.wechat.crypto import DecryptError, MessageCipher, envelope, sign, signature_ok
from bot.wechat.gate import CallbackGate, Refused
from bot.wechat.messages import encrypted_part, parse_message
from tests.conftest import AES_KEY, APP_ID, TOKEN

# Tencent's WXBizMsgCrypt sample (see tests/data/official_sample_encrypted_request.xml).
TIMESTAMP, NONCE = "1409735669", "1320562132"
MSG_SIGNATURE = "5d197aaffba7e9b25a30732f161a50dee96bd5fa"
OTHER_KEY = "ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut"


@pytest.fixture
def official_body(data_dir: Path) -> bytes:
    return (data_dir / "official_sample_encrypted_request.xml").read_bytes()


def test_official_vector_signature_and_plaintext(official_body: bytes) -> None:
    encrypted = encrypted_part(official_body)
    assert sign(TOKEN, TIMESTAMP, NONCE, encrypted) == MSG_SIGNATURE
    plaintext, key_index = MessageCipher(APP_ID, [AES_KEY]).decrypt(encrypted)
    msg = parse_message(plaintext)
    assert (msg.content, msg.msg_id, msg.sender) == (
        "abcdteT", "6054768590064713728", "oyORnuP8q7ou2gfYjqLzSIWZf0rs")
    assert key_index == 0


def test_signature_check_rejects_any_change() -> None:
    good = sign(TOKEN, TIMESTAMP, NONCE)
    assert signature_ok(good, TOKEN, TIMESTAMP, NONCE)
    assert signature_ok(good.upper(), TOKEN, TIMESTAMP, NONCE)
    assert not signature_ok(good[:-1] + "0", TOKEN, TIMESTAMP, NONCE)
    assert not signature_ok(None, TOKEN, TIMESTAMP, NONCE)
    assert not signature_ok(good, TOKEN, TIMESTAMP, "1")


def test_previous_key_still_opens_messages_after_rotation(official_body: bytes) -> None:
    cipher = MessageCipher(APP_ID, [OTHER_KEY, AES_KEY])
    plaintext, key_index = cipher.decrypt(encrypted_part(official_body))
    assert key_index == 1 and "abcdteT" in plaintext
    with pytest.raises(DecryptError):
        MessageCipher(APP_ID, [OTHER_KEY]).decrypt(encrypted_part(official_body))


def test_message_for_another_app_id_is_refused(official_body: bytes) -> None:
    with pytest.raises(DecryptError):
        MessageCipher("wx0000000000000000", [AES_KEY]).decrypt(encrypted_part(official_body))


def test_sealed_reply_round_trips_and_is_signed() -> None:
    cipher = MessageCipher(APP_ID, [AES_KEY])
    sealed = envelope(cipher, TOKEN, "<xml><Content>好</Content></xml>", 0, TIMESTAMP, NONCE)
    encrypted = encrypted_part(sealed)
    assert f"<MsgSignature><![CDATA[{sign(TOKEN, TIMESTAMP, NONCE, encrypted)}]]>" in sealed
    assert cipher.decrypt(encrypted)[0] == "<xml><Content>好</Content></xml>"


def test_gate_accepts_the_official_vector_only_inside_its_time_window(
        official_body: bytes) -> None:
    args = {"timestamp": TIMESTAMP, "nonce": NONCE, "msg_signature": MSG_SIGNATURE,
            "encrypt_type": "aes"}
    cipher = MessageCipher(APP_ID, [AES_KEY])
    fresh = CallbackGate(TOKEN, cipher, 300, clock=lambda: int(TIMESTAMP) + 299)
    assert "abcdteT" in fresh.open(args, official_body).plaintext
    stale = CallbackGate(TOKEN, cipher, 300, clock=lambda: int(TIMESTAMP) + 301)
    with pytest.raises(Refused, match="window"):
        stale.open(args, official_body)
