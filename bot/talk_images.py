"""Images staff send into a conversation: checked by their first bytes (JPG, PNG or GIF, never
by the name or the browser's word), capped in size, kept under `[talk] media_dir` by the hash
of their content, and read back by the outbox, which uploads each as temporary media when it
sends it (the platform keeps temporary media three days: an upload at send time never finds
an expired id)."""

import hashlib
import re
from pathlib import Path

from bot.wechat.transport import MediaRefused

# The platform takes images up to 10 MB in a customer-service message.
PLATFORM_IMAGE_BYTES = 10 * 1024 * 1024
SIGNATURES = ((b"\xff\xd8\xff", "image/jpeg", ".jpg"), (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
              (b"GIF87a", "image/gif", ".gif"), (b"GIF89a", "image/gif", ".gif"))
SUFFIXES = {suffix: kind for _, kind, suffix in SIGNATURES}
STORED = re.compile(r"^sent-[0-9a-f]{64}\.(jpg|png|gif)$")


def image_kind(data: bytes) -> tuple[str, str] | None:
    """Return an image's content type and suffix from its first bytes (None: not JPG/PNG/GIF)."""
    return next(((kind, suffix) for magic, kind, suffix in SIGNATURES
                 if data.startswith(magic)), None)


def store_image(folder: Path, data: bytes, max_bytes: int) -> str:
    """Keep an image staff chose and return its stored name (MediaRefused: too large or not
    an image)."""
    limit = min(max_bytes, PLATFORM_IMAGE_BYTES)
    if len(data) > limit:
        raise MediaRefused("too_large", limit)
    found = image_kind(data)
    if found is None:
        raise MediaRefused("bad_type")
    name = f"sent-{hashlib.sha256(data).hexdigest()}{found[1]}"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    if not target.exists():
        partial = folder / f"{name}.part"
        partial.write_bytes(data)
        partial.replace(target)  # a reader never sees half a file
    return name


def read_image(folder: Path, name: str) -> tuple[str, bytes]:
    """Return a stored image's content type and bytes (FileNotFoundError if it is gone)."""
    if not STORED.match(name):
        raise FileNotFoundError(name)
    return SUFFIXES[Path(name).suffix], (folder / name).read_bytes()
