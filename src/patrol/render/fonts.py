"""The one font for printed Chinese: static Noto Sans SC from ``pylopdf-fonts-zh-cn``.

Sheets and figures never look for a system font, so a fresh machine prints the same
pages. Matplotlib reads the OpenType (CFF) file as it is. For PDFs the characters a
document needs are cut out of it and given TrueType outlines (:func:`pdf_font_file`):
fpdf2 embeds a CFF font with its own encoding CMap, which several PDF readers (pypdf,
some ledger tools) cannot turn back into text, while a TrueType subset is embedded with
the standard ``Identity-H`` encoding that every reader understands. The outlines are the
same curves to within one font unit.
"""

from __future__ import annotations

import functools
import io
import logging
import string
from pathlib import Path

logger = logging.getLogger("patrol")

FONT_FAMILY = "Noto Sans SC"
#: characters every document may print besides the data's own text
BASE_CHARS = string.printable.strip() + " ·–—×…↑→↓←●■□▲◆○①②③：，（）。、；“”"


def font_path() -> Path:
    """The static Noto Sans SC file shipped by ``pylopdf-fonts-zh-cn``."""
    try:
        from pylopdf_fonts_zh_cn import sans_path
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise ImportError(
            "Printing Chinese needs the font package 'pylopdf-fonts-zh-cn'; install it with "
            "`pip install pylopdf-fonts-zh-cn==0.1.1`."
        ) from exc
    path = Path(sans_path())
    if not path.exists():  # pragma: no cover - a broken install
        raise FileNotFoundError(
            f"The Noto Sans SC font is missing at {path}; reinstall pylopdf-fonts-zh-cn."
        )
    return path


@functools.cache
def use_font_in_matplotlib() -> str:
    """Register Noto Sans SC with matplotlib (once) and return its family name."""
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(font_path()))
    return FONT_FAMILY


@functools.lru_cache(maxsize=4)
def _truetype_subset(chars: str) -> bytes:
    """Noto Sans SC cut down to ``chars`` (sorted, unique) with TrueType outlines."""
    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    # recalcTimestamp=False: the head table keeps the font's own date, not the time of this
    # run, so the same document embeds the same bytes in every process
    with TTFont(str(font_path()), lazy=True, recalcTimestamp=False) as font:
        opts = subset.Options()
        opts.layout_features = []
        opts.name_IDs = ["*"]
        opts.notdef_outline = True
        opts.hinting = False
        opts.desubroutinize = True
        sub = subset.Subsetter(opts)
        sub.populate(text=chars)
        sub.subset(font)
        order = font.getGlyphOrder()
        glyph_set = font.getGlyphSet()
        glyf = newTable("glyf")
        glyf.glyphOrder = order
        glyf.glyphs = {}
        for name in order:
            pen = TTGlyphPen(glyph_set)
            glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
            glyf.glyphs[name] = pen.glyph()
        font["glyf"] = glyf
        font["loca"] = newTable("loca")
        for tag in ("CFF ", "VORG"):
            if tag in font:
                del font[tag]
        maxp = font["maxp"]
        maxp.tableVersion = 0x00010000
        for attr in (
            "maxTwilightPoints",
            "maxStorage",
            "maxFunctionDefs",
            "maxInstructionDefs",
            "maxStackElements",
            "maxSizeOfInstructions",
            "maxComponentElements",
        ):
            setattr(maxp, attr, 0)
        maxp.maxZones = 1
        font["head"].indexToLocFormat = 0
        font["head"].glyphDataFormat = 0
        post = font["post"]
        post.formatType = 2.0
        post.extraNames = []
        post.mapping = {}
        font.sfntVersion = "\x00\x01\x00\x00"
        out = io.BytesIO()
        font.save(out)
    logger.debug("PDF font subset: %d characters, %d bytes", len(chars), out.tell())
    return out.getvalue()


def pdf_font_file(text: str, folder: Path) -> Path:
    """Write a TrueType subset of Noto Sans SC holding the characters of ``text`` (plus
    :data:`BASE_CHARS`) into ``folder`` and return its path, for ``FPDF.add_font``."""
    chars = "".join(sorted(set(text) | set(BASE_CHARS)))
    data = _truetype_subset(chars)
    path = folder / "NotoSansSC-subset.ttf"
    path.write_bytes(data)
    return path
