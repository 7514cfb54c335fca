"""QR codes and print posters for branch onboarding: data in, PNG/PDF bytes out.

Typical use: ``fonts = load_fonts()`` once per process, then ``render_pdf(spec, fonts)`` per poster.
"""

from qr.errors import FontNotFoundError, LayoutError
from qr.fonts import Fonts, find_cjk_font, load_fonts
from qr.image import qr_png
from qr.matrix import ErrorCorrection, QrMatrix, encode
from qr.pdf import render_pdf, render_pdf_many
from qr.png import render_png
from qr.sheet import contact_sheet
from qr.spec import PosterSize, PosterSpec
from qr.texts import DEFAULT_FOOTER

__all__ = [
    "DEFAULT_FOOTER",
    "ErrorCorrection",
    "FontNotFoundError",
    "Fonts",
    "LayoutError",
    "PosterSize",
    "PosterSpec",
    "QrMatrix",
    "contact_sheet",
    "encode",
    "find_cjk_font",
    "load_fonts",
    "qr_png",
    "render_pdf",
    "render_pdf_many",
    "render_png",
]
