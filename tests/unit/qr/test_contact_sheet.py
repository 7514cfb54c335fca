"""The batch contact sheet: every code scans, each labelled, A4 pages, deterministic."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from qr import Fonts, PosterSpec, contact_sheet, texts
from tests.unit.qr.builders import CHINESE_PAYLOAD, WECHAT_TICKET_URL, a_poster_spec
from tests.unit.qr.readback import decode_qr, page_text, rasterise


def batch(logo: bytes) -> list[PosterSpec]:
    managers = [("张伟", "理财经理"), ("李娜", None), (None, None)]
    specs: list[PosterSpec] = []
    for i in range(7):
        name, title = managers[i % 3]
        specs.append(
            a_poster_spec(
                payload=f"{WECHAT_TICKET_URL}{i}" if i else CHINESE_PAYLOAD,
                manager_name=name,
                manager_title=title,
                logo=logo if i == 1 else None,
            )
        )
    return specs


def test_every_code_on_the_contact_sheet_decodes_to_its_payload(
    fonts: Fonts, logo_png: bytes
) -> None:
    specs = batch(logo_png)

    pdf = contact_sheet(specs, fonts, columns=3, rows=2)

    found = [decode_qr(rasterise(pdf, page, scale=3.0)) for page in range(2)]
    assert found == [
        sorted(s.payload for s in specs[:6]),
        [specs[6].payload],
    ]


def test_each_code_is_numbered_and_labelled_with_branch_and_manager(
    fonts: Fonts, logo_png: bytes
) -> None:
    extracted = page_text(contact_sheet(batch(logo_png), fonts))

    for expected in ["#1", "#7", "张伟·理财经理", "李娜", texts.SHEET_BRANCH_ONLY, "陆家嘴支行"]:
        assert expected in extracted
    assert texts.sheet_page_label(1, 1, 7).replace(" ", "") in extracted


def test_the_contact_sheet_paginates_on_a4(fonts: Fonts, logo_png: bytes) -> None:
    reader = PdfReader(io.BytesIO(contact_sheet(batch(logo_png), fonts, columns=2, rows=2)))

    assert len(reader.pages) == 2
    box = reader.pages[1].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx((595.28, 841.89), abs=0.01)


def test_the_same_batch_gives_identical_contact_sheet_bytes(fonts: Fonts, logo_png: bytes) -> None:
    specs = batch(logo_png)

    assert contact_sheet(specs, fonts) == contact_sheet(specs, fonts)


def test_an_overlong_branch_name_is_shortened_on_the_sheet_only(fonts: Fonts) -> None:
    spec = a_poster_spec(branch_name="中国建设银行北京分行" * 6)

    extracted = page_text(contact_sheet([spec], fonts))

    assert "…" in extracted


def test_an_empty_batch_is_refused(fonts: Fonts) -> None:
    with pytest.raises(ValueError, match="at least one"):
        contact_sheet([], fonts)
