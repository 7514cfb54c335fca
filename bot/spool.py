"""A disk spool for verified messages the database could not take: delayed, never dropped."""

import hashlib
import os
import tempfile
from pathlib import Path

PENDING, FAILED = "pending", "failed"


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def delivery_ref(key: str) -> str:
    """Name a delivery in log lines: a message's key as it is (the platform's MsgId), an
    event's as `evt:` and its digest (its key holds the sender's openid), which is also the
    name of its spool file."""
    return key if key.startswith("msg:") else f"evt:{_digest(key)}"


class Spool:
    """Verified plaintext callbacks waiting to be processed again (one file per delivery)."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    def put(self, key: str, xml: str, folder: str = PENDING) -> Path:
        """Store a message atomically under its delivery key (a retry overwrites its twin);
        OSError (a full disk) leaves nothing behind."""
        target_dir = self.root / folder
        target_dir.mkdir(parents=True, exist_ok=True)
        target = target_dir / (_digest(key) + ".xml")
        fd, tmp = tempfile.mkstemp(dir=target_dir, suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(xml)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)  # a full disk must not fill up with fragments
            raise
        return target

    def waiting(self, folder: str = PENDING) -> list[Path]:
        """Return spooled messages, oldest first."""
        folder_path = self.root / folder
        if not folder_path.is_dir():
            return []
        return sorted(folder_path.glob("*.xml"), key=lambda path: path.stat().st_mtime)

    def depth(self, folder: str = PENDING) -> int:
        """Return how many messages wait in a folder."""
        folder_path = self.root / folder
        return sum(1 for _ in folder_path.glob("*.xml")) if folder_path.is_dir() else 0

    def park(self, path: Path) -> Path:
        """Set a message aside in the failed folder (one parked already stays there)."""
        target_dir = self.root / FAILED
        target_dir.mkdir(parents=True, exist_ok=True)
        target = target_dir / path.name
        if path != target:
            os.replace(path, target)
        return target
