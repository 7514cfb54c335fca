"""Print posters as PDF: the vector QR scans, page size, embedded font, text, size, determinism."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ContentStream

from qr import Fonts, render_pdf, render_pdf_many, texts
from qr.matrix import dark_rectangles
from qr.poster import poster_matrix
from tests.unit.qr.builders import (
    VARIANTS,
    WECHAT_TICKET_URL,
    a_branch_poster_spec,
    a_poster_spec,
    variants,
)
from tests.unit.qr.readback import (
    decode_qr,
    embedded_fonts,
    mapped_characters,
    page_text,
    rasterise,
)

A4_POINTS = (595.28, 841.89)


@pytest.mark.parametrize("name", VARIANTS)
def test_the_vector_qr_in_the_pdf_decodes_to_the_exact_payload(
    name: str, fonts: Fonts, logo_png: bytes
) -> None:
    spec = variants(logo_png)[name]

    page = rasterise(render_pdf(spec, fonts), scale=2.0)

    copies = 2 if spec.size == "A5_TENT" else 1
    assert decode_qr(page) == [spec.payload] * copies


@pytest.mark.parametrize("size", ["A4", "A5_TENT"])
def test_every_poster_prints_on_one_a4_portrait_page(size: str, fonts: Fonts) -> None:
    reader = PdfReader(io.BytesIO(render_pdf(a_poster_spec(size=size), fonts)))

    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(A4_POINTS, abs=0.01)


@pytest.mark.parametrize("name", VARIANTS)
def test_the_pdf_embeds_a_cjk_font_subset_covering_every_printed_text(
    name: str, fonts: Fonts, logo_png: bytes
) -> None:
    spec = variants(logo_png)[name]
    printed = "".join([*spec.texts().values(), texts.QR_CAPTION]).replace(" ", "")

    used = embedded_fonts(render_pdf(spec, fonts))

    assert used, "the poster uses no font"
    covered: set[str] = set()
    for font in used:
        descriptor = font["/FontDescriptor"].get_object()
        assert font["/Subtype"] == "/TrueType"
        assert str(font["/BaseFont"]).startswith("/AAAAA")  # a subset, not the whole font
        assert len(descriptor["/FontFile2"].get_object().get_data()) > 1000
        covered |= mapped_characters(font)
    assert set(printed) <= covered


@pytest.mark.parametrize("name", VARIANTS)
def test_every_printed_text_extracts_back_from_the_pdf(
    name: str, fonts: Fonts, logo_png: bytes
) -> None:
    spec = variants(logo_png)[name]

    extracted = page_text(render_pdf(spec, fonts))

    for text in spec.texts().values():
        assert text.replace(" ", "") in extracted


def test_a_branch_poster_prints_no_manager_block(fonts: Fonts) -> None:
    extracted = page_text(render_pdf(a_branch_poster_spec(), fonts))

    assert texts.MANAGER_LABEL not in extracted


def test_the_qr_is_drawn_as_merged_vector_rectangles_not_an_image(fonts: Fonts) -> None:
    spec = a_poster_spec()
    reader = PdfReader(io.BytesIO(render_pdf(spec, fonts)))
    page: Any = reader.pages[0]
    operators = [op for _, op in ContentStream(page.get_contents(), reader).operations]
    dark_modules = sum(sum(row) for row in poster_matrix(spec).rows)

    assert "/XObject" not in page["/Resources"]
    assert len(dark_rectangles(poster_matrix(spec))) <= operators.count(b"re") < dark_modules / 2


def test_the_same_spec_gives_identical_pdf_bytes(fonts: Fonts, logo_png: bytes) -> None:
    spec = a_poster_spec(size="A5_TENT", logo=logo_png)

    assert render_pdf(spec, fonts) == render_pdf(spec, fonts)


def test_pdf_bytes_do_not_depend_on_the_process_or_its_hash_seed(fonts: Fonts) -> None:
    script = (
        "import sys; from qr import load_fonts, render_pdf; "
        "from tests.unit.qr.builders import a_poster_spec; "
        "sys.stdout.buffer.write(render_pdf(a_poster_spec(size='A5_TENT'), load_fonts()))"
    )
    root = Path(__file__).resolve().parents[3]
    env = {**os.environ, "PYTHONHASHSEED": "4242"}

    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, check=True, cwd=root, env=env
    )

    assert done.stdout == render_pdf(a_poster_spec(size="A5_TENT"), fonts)


def test_a_poster_pdf_stays_under_200_kb_even_with_a_photo_logo(fonts: Fonts) -> None:
    photo = Image.frombytes("RGB", (800, 800), os.urandom(800 * 800 * 3))  # incompressible
    buffer = io.BytesIO()
    photo.save(buffer, format="PNG")
    spec = a_poster_spec(logo=buffer.getvalue())

    assert len(render_pdf(spec, fonts)) < 200_000
    assert len(render_pdf(a_poster_spec(size="A5_TENT"), fonts)) < 60_000


def test_render_pdf_many_yields_the_same_pdf_per_spec(fonts: Fonts) -> None:
    specs = [a_poster_spec(payload=f"{WECHAT_TICKET_URL}{i}") for i in range(3)]

    assert list(render_pdf_many(specs, fonts)) == [render_pdf(spec, fonts) for spec in specs]
