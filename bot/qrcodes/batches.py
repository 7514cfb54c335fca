"""Render a batch of posters into a folder: resumable, written atomically, on several processes.

Each finished file is appended to `manifest.jsonl` in the folder with a digest of what it shows,
after the file itself was renamed into place. A rerun skips every file the manifest lists with
the same digest and still finds on disk, so an interrupted batch resumes where it stopped, and a
poster whose code or text changed since is drawn again.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from qr import Fonts, PosterSpec, contact_sheet, load_fonts, render_pdf

MANIFEST = "manifest.jsonl"
Renderer = Callable[[PosterSpec, Fonts], bytes]


@dataclass(frozen=True)
class PosterJob:
    """One file of the batch: a poster, or the contact sheet of several specs."""

    filename: str
    specs: tuple[PosterSpec, ...]
    sheet: bool = False

    @property
    def digest(self) -> str:
        """Return a fingerprint of everything the file shows."""
        text = "\n".join(repr(spec) for spec in self.specs) + f"\nsheet={self.sheet}"
        return hashlib.sha256(text.encode()).hexdigest()[:32]


class Manifest:
    """The append-only record of the files a batch has finished."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / MANIFEST

    def finished(self) -> dict[str, str]:
        """Return filename -> digest of every complete entry, cutting off a torn last line."""
        if not self.path.exists():
            return {}
        data = self.path.read_bytes()
        complete = data[: data.rfind(b"\n") + 1]
        if complete != data:
            # A run killed mid-append: drop the fragment so the next entry starts a line.
            with self.path.open("r+b") as handle:
                handle.truncate(len(complete))
        entries: dict[str, str] = {}
        for line in complete.decode("utf-8").splitlines():
            entry = json.loads(line)
            entries[entry["file"]] = entry["digest"]
        return entries

    def record(self, job: PosterJob) -> None:
        """Append a finished file durably."""
        line = json.dumps({"file": job.filename, "digest": job.digest}, ensure_ascii=False)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
            handle.flush()
            os.fsync(handle.fileno())


def pending(jobs: Iterable[PosterJob], folder: Path) -> list[PosterJob]:
    """Return the jobs not yet finished in `folder` (or finished with other contents)."""
    done = Manifest(folder).finished()
    return [job for job in jobs
            if done.get(job.filename) != job.digest or not (folder / job.filename).exists()]


def write_atomic(path: Path, data: bytes) -> None:
    """Write `path` so that it is either absent, the old file or the whole new file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with temporary.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def render_batch(jobs: Sequence[PosterJob], folder: Path, *, font_path: str | None = None,
                 workers: int = 1, progress: Callable[[int], None] = lambda _n: None,
                 render: Renderer = render_pdf) -> int:
    """Render the unfinished jobs into `folder`; return how many files were written now."""
    folder.mkdir(parents=True, exist_ok=True)
    todo = pending(jobs, folder)
    progress(len(jobs) - len(todo))
    manifest = Manifest(folder)
    for job in _run(todo, folder, font_path, workers, render):
        manifest.record(job)
        progress(1)
    return len(todo)


def zip_folder(folder: Path, target: Path) -> None:
    """Pack the batch's PDFs into a ZIP (PDFs are compressed already: stored as they are)."""
    files = sorted(p for p in folder.rglob("*.pdf") if not p.name.startswith("."))
    temporary = target.with_name(f".{target.name}.tmp")
    with zipfile.ZipFile(temporary, "w", zipfile.ZIP_STORED) as archive:
        for path in files:
            archive.write(path, path.relative_to(folder).as_posix())
    os.replace(temporary, target)


def _run(jobs: list[PosterJob], folder: Path, font_path: str | None, workers: int,
         render: Renderer) -> Iterator[PosterJob]:
    if workers <= 1 or len(jobs) < 2:
        _start_worker(str(folder), font_path, render)
        yield from map(_render_one, jobs)
        return
    # spawn, not fork: the parent may hold database connections and threads (token refresh,
    # test servers) that a forked child must not inherit.
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers, _start_worker, (str(folder), font_path, render)) as pool:
        yield from pool.imap_unordered(_render_one, jobs, chunksize=4)


@dataclass(frozen=True)
class _Worker:
    folder: Path
    fonts: Fonts
    render: Renderer


_current: list[_Worker] = []  # the one worker state of this process


def _start_worker(folder: str, font_path: str | None, render: Renderer) -> None:
    # Once per process: parsing the CJK font costs far more than drawing one poster.
    _current[:] = [_Worker(Path(folder), load_fonts(font_path), render)]


def _render_one(job: PosterJob) -> PosterJob:
    worker = _current[0]
    if job.sheet:
        data = contact_sheet(job.specs, worker.fonts)
    else:
        data = worker.render(job.specs[0], worker.fonts)
    write_atomic(worker.folder / job.filename, data)
    return job
