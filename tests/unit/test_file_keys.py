"""The keyed hashes of an extract's numbers are HMAC-SHA256 under the service's keys: a file's
mobile matches the follower whose number was sealed, and a customer number its recorded key."""

import hashlib
import hmac

from bot.extracts import FileKeys
from bot.phone_cipher import PhoneCipher, _KeyedHash

SECRET = "s" * 48


def test_a_files_mobile_hashes_as_the_sealed_number_of_its_follower() -> None:
    cipher = PhoneCipher(SECRET)
    keys = FileKeys(cipher)
    for number in ("13800000001", "19912345678"):
        assert keys.digest(number) == cipher.seal(number).digest
    assert keys.digest("13800000001") != keys.digest("13800000002")


def test_a_customer_number_hashes_under_its_own_key() -> None:
    cipher = PhoneCipher(SECRET)
    assert FileKeys(cipher).customer_key("6200000001") == cipher.customer_key("6200000001")
    assert cipher.customer_key("13800000001") != cipher.digest("13800000001")
    assert cipher.customer_key("6200000001") != PhoneCipher("t" * 48).customer_key("6200000001")


def test_keyed_hash_is_hmac_sha256_for_short_and_long_keys() -> None:
    for key in (b"k" * 32, b"k" * 64, b"q" * 100, b""):
        for number in ("6200000001", "13800000001", ""):
            expected = hmac.new(key, number.encode(), hashlib.sha256).hexdigest()
            assert _KeyedHash(key)(number) == expected
