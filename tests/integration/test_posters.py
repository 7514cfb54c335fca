"""`branchlink posters` and `codes`: registry urls in every PDF, resumable batches, statistics."""

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.cli.base import Cli
from bot.cli.codes import codes, posters
from bot.config import Settings
from bot.qrcodes.batches import MANIFEST, render_batch
from bot.qrcodes.posters import PosterTexts, poster_jobs
from crm_core import services
from crm_core.services import PosterTarget
from qr import Fonts, PosterSpec, render_pdf
from tests.builders import org
from tests.conftest import make_settings
from tests.sandbox_support import SANDBOX_APP_SECRET, SandboxHandle, running_sandbox
from tests.unit.qr.readback import decode_qr, rasterise

CREATE = "/cgi-bin/qrcode/create"


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxHandle]:
    with running_sandbox() as sandbox:
        yield sandbox


@pytest.fixture
def cli(database_url: str, tmp_path: Path, sandbox: SandboxHandle) -> Iterator[Cli]:
    sandbox.reset()
    wechat = {"app_id": sandbox.app_id, "app_secret": SANDBOX_APP_SECRET,
              "api_base_url": sandbox.base_url}
    cli = Cli(None)
    cli.__dict__["settings"] = make_settings(database_url, tmp_path, wechat=wechat,
                                             posters={"slogan": "欢迎扫码关注"})
    with cli.runtime.uow() as uow:
        org(uow, {"SH001": ["SH001-01", "SH001-02"], "BJ001": ["BJ001-01"]})
        uow.commit()
    yield cli
    cli.runtime.engine.dispose()


def run(cli: Cli, command: object, *args: str) -> Result:
    result = CliRunner().invoke(command, list(args), obj=cli)  # type: ignore[arg-type]
    assert result.exit_code == 0, result.output
    return result


def registry(cli: Cli) -> dict[str, str]:
    with cli.runtime.uow() as uow:
        return {c["scene"]: c["url"] for c in services.list_codes(uow)}


def decoded(pdf: bytes) -> list[str]:
    return decode_qr(rasterise(pdf, scale=2.0))


def test_every_poster_of_a_branch_decodes_to_its_registry_url(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run(cli, posters, "--branch", "SH001", "--size", "both", "--out", str(out),
                 "--jobs", "1")
    assert "7 file(s)" in result.output
    urls = registry(cli)
    assert set(urls) == {"b:SH001", "m:SH001-01", "m:SH001-02"}
    for scene, stem in (("b:SH001", "branch-SH001"), ("m:SH001-01", "manager-SH001-01")):
        assert decoded((out / "SH001" / f"{stem}-a4.pdf").read_bytes()) == [urls[scene]]
        assert decoded((out / "SH001" / f"{stem}-a5-tent.pdf").read_bytes()) == [urls[scene]] * 2
    assert (out / "contact-sheet.pdf").exists()


def test_a_rerun_reuses_codes_and_files(cli: Cli, tmp_path: Path,
                                        sandbox: SandboxHandle) -> None:
    out = str(tmp_path / "out")
    run(cli, posters, "--branch", "BJ001", "--out", out, "--jobs", "1")
    again = run(cli, posters, "--branch", "BJ001", "--out", out, "--jobs", "1")
    assert "0 written now, 3 kept" in again.output
    assert sandbox.count(CREATE) == 2


def test_a_campaign_zip_for_all_branches_uses_temporary_codes(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "xmas.zip"
    run(cli, posters, "--all", "--campaign", "XMAS", "--days", "7", "--zip", str(target),
        "--jobs", "2")
    names = zipfile.ZipFile(target).namelist()
    assert sorted(names) == sorted([
        "contact-sheet-XMAS.pdf", "BJ001/branch-BJ001-XMAS-a4.pdf",
        "BJ001/manager-BJ001-01-XMAS-a4.pdf", "SH001/branch-SH001-XMAS-a4.pdf",
        "SH001/manager-SH001-01-XMAS-a4.pdf", "SH001/manager-SH001-02-XMAS-a4.pdf"])
    assert not (tmp_path / "xmas.zip.parts").exists()
    urls = registry(cli)
    pdf = zipfile.ZipFile(target).read("SH001/manager-SH001-02-XMAS-a4.pdf")
    assert decoded(pdf) == [urls["m:SH001-02;c:XMAS"]]
    listed = json.loads(run(cli, codes, "list", "--json").output)
    assert {c["kind"] for c in listed} == {"temporary"}


def test_codes_issue_and_list_print_the_registry(cli: Cli) -> None:
    issued = run(cli, codes, "issue", "--manager", "SH001-01").output
    assert issued.startswith("m:SH001-01  permanent  http://weixin.qq.com/q/")
    assert "m:SH001-01" in run(cli, codes, "list", "--branch", "SH001").output
    refused = CliRunner().invoke(codes, ["issue", "--campaign", "X"], obj=cli)
    assert refused.exit_code == 1 and "neither a branch nor a manager" in refused.output


def test_codes_issue_refuses_a_manager_of_another_branch_in_chinese(
        cli: Cli, sandbox: SandboxHandle) -> None:
    refused = CliRunner().invoke(codes, ["issue", "--branch", "SH001", "--manager", "BJ001-01"],
                                 obj=cli)
    assert refused.exit_code == 1 and "客户经理 BJ001-01 不在 SH001 任职" in refused.output
    assert registry(cli) == {} and sandbox.count(CREATE) == 0


# Batches on their own: interruption and resume.

TARGETS = [PosterTarget(f"m:SH001-{i:02d}", "SH001", "上海分行营业部", f"SH001-{i:02d}",
                        f"经理{i}", "客户经理") for i in range(1, 7)]


class Interrupted(Exception):
    pass


def batch(url_prefix: str = "http://weixin.qq.com/q/") -> list:  # type: ignore[type-arg]
    coded = [(t, f"{url_prefix}{t.manager_code}") for t in TARGETS]
    return poster_jobs(coded, PosterTexts("扫码关注", "仅供关注公众号"), ("A4",))


def stopping_after(count: int):  # type: ignore[no-untyped-def]
    done: list[PosterSpec] = []

    def render(spec: PosterSpec, fonts: Fonts) -> bytes:
        if len(done) == count:
            raise Interrupted
        done.append(spec)
        return render_pdf(spec, fonts)
    return render


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in folder.rglob("*.pdf")}


def test_an_interrupted_batch_resumes_without_redoing_finished_files(tmp_path: Path) -> None:
    jobs = batch()
    with pytest.raises(Interrupted):
        render_batch(jobs, tmp_path, render=stopping_after(3))
    before = snapshot(tmp_path)
    assert len(before) == 4  # the contact sheet and three posters

    assert render_batch(jobs, tmp_path) == 3

    after = snapshot(tmp_path)
    assert len(after) == 7 and {name: after[name] for name in before} == before
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]
    assert render_batch(jobs, tmp_path) == 0


def test_a_torn_manifest_line_a_lost_file_or_a_new_url_means_drawing_again(
        tmp_path: Path) -> None:
    render_batch(batch(), tmp_path)
    with (tmp_path / MANIFEST).open("a") as manifest:
        manifest.write('{"file": "SH001/manager-SH001-06-a4')  # killed mid-line
    (tmp_path / "SH001" / "manager-SH001-01-a4.pdf").unlink()
    assert render_batch(batch(), tmp_path) == 1
    assert render_batch(batch("http://weixin.qq.com/q/new-"), tmp_path) == 7


def test_progress_counts_kept_and_new_files(tmp_path: Path) -> None:
    seen: list[int] = []
    render_batch(batch()[:3], tmp_path)
    render_batch(batch(), tmp_path, progress=seen.append)
    assert sum(seen) == 7 and seen[0] == 3


def test_poster_texts_fall_back_on_the_defaults_and_print_the_line_only_for_campaigns(
        settings: Settings) -> None:
    plain = PosterTexts.from_settings(settings.posters, campaign=None)
    assert plain.slogan and plain.footer and plain.campaign_line is None
    line = PosterTexts.from_settings(settings.posters, "XMAS", "圣诞活动").campaign_line
    assert line == "圣诞活动"


def test_contact_sheet_lists_every_code(tmp_path: Path) -> None:
    render_batch(batch(), tmp_path)
    sheet = (tmp_path / "contact-sheet.pdf").read_bytes()
    assert decode_qr(rasterise(sheet, scale=3.0)) == sorted(
        f"http://weixin.qq.com/q/{t.manager_code}" for t in TARGETS)
