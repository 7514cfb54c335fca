"""Exceptions raised by the qr package."""


class FontNotFoundError(RuntimeError):
    """No usable CJK TrueType font was found."""


class LayoutError(ValueError):
    """A poster text cannot be laid out (too long, or a glyph the font lacks)."""
