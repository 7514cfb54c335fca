"""Poster batch throughput: 6,000 manager posters against 6,000 bare QR PNGs, same run, same cores.

The batch is what `branchlink posters` renders (`bot.qrcodes.batches.render_batch`: one A4 PDF per
manager, the contact sheet, manifest and atomic writes) with synthetic ticket urls, so only the
rendering is measured. The floor writes `qrcode.make(url).save(path)` PNGs on as many processes.
"""

import multiprocessing
import os
import secrets
import string
import tempfile
import time
from pathlib import Path

import qrcode

from bot.qrcodes.batches import render_batch
from bot.qrcodes.posters import PosterTexts, poster_jobs
from bot.texts import POSTER_FOOTER, POSTER_SLOGAN
from crm_core.services import PosterTarget

BRANCHES, MANAGERS, WORKERS = 300, 20, 2
_URL_CHARS = string.ascii_letters + string.digits


def main() -> None:
    """Render the bare QR floor, then the poster batch, and print both side by side."""
    coded = [(target, _ticket_url()) for target in _targets()]
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        bare = _bare_qr(coded, folder / "bare")
        alone = _posters(coded, folder / "alone", sheet=False)
        batch = _posters(coded, folder / "posters")
        sizes = [p.stat().st_size for p in (folder / "posters").rglob("manager-*.pdf")]
        sheet = (folder / "posters" / "contact-sheet.pdf").stat().st_size
    count = len(coded)
    print(f"poster benchmark: {count} posters ({BRANCHES} branches x {MANAGERS} managers), "
          f"{WORKERS} processes, {os.cpu_count()} cores")
    print(f"{'target':<36}{'seconds':>9}{'per s':>9}")
    print(f"{'bare qrcode.make().save() PNG':<36}{bare:>9.1f}{count / bare:>9.0f}")
    print(f"{'posters (A4 PDF, no contact sheet)':<36}{alone:>9.1f}{count / alone:>9.0f}")
    print(f"{'posters (A4 PDF + contact sheet)':<36}{batch:>9.1f}{count / batch:>9.0f}")
    print(f"ratio batch/bare time: {batch / bare:.2f} (goal <= 4, >= 50 posters/s)")
    print(f"PDF size: max {max(sizes) / 1024:.1f} KB, mean {sum(sizes) / len(sizes) / 1024:.1f} KB"
          f" (goal < 200 KB); contact sheet {sheet / 1024:.0f} KB, {-(-count // 20)} pages")


def _targets() -> list[PosterTarget]:
    return [PosterTarget(f"m:B{b:03d}-{m:02d}", f"B{b:03d}", f"上海分行第{b}支行",
                         f"B{b:03d}-{m:02d}", f"经理{b}{m:02d}", "客户经理")
            for b in range(BRANCHES) for m in range(MANAGERS)]


def _ticket_url() -> str:
    # The shape of the url qrcode/create returns: 22 random letters and digits.
    return "http://weixin.qq.com/q/" + "".join(secrets.choice(_URL_CHARS) for _ in range(22))


def _posters(coded: list[tuple[PosterTarget, str]], folder: Path, sheet: bool = True) -> float:
    jobs = poster_jobs(coded, PosterTexts(POSTER_SLOGAN, POSTER_FOOTER), ("A4",))
    jobs = jobs if sheet else jobs[1:]  # the contact sheet is the first job
    start = time.perf_counter()
    render_batch(jobs, folder, workers=WORKERS)
    return time.perf_counter() - start


def _bare_qr(coded: list[tuple[PosterTarget, str]], folder: Path) -> float:
    folder.mkdir()
    work = [(url, str(folder / f"{i}.png")) for i, (_target, url) in enumerate(coded)]
    start = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(WORKERS) as pool:
        pool.starmap(_save_qr, work, chunksize=64)
    return time.perf_counter() - start


def _save_qr(url: str, path: str) -> None:
    qrcode.make(url).save(path)
