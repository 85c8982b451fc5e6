"""Which input files may be opened, and with which GDAL driver: input files are data.

GDAL chooses a driver by a file's content, not its name, so an OGR VRT saved as
``cameras.geojson`` would read other files of the machine, and one with ``/vsicurl/``
would make network requests. Before anything is opened, :func:`check_input_file` makes
sure the file is a regular file inside the scenario folder (symlinks out of it are
refused), not empty, and that its first bytes are those of the format its suffix names;
:func:`check_driver` then confirms the driver GDAL picked is one that suffix allows
(:data:`DRIVERS`). Nothing here reads more than a few kilobytes.
"""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path

from patrol.errors import ProblemLog

# the GDAL drivers each suffix may be read with (the README's layer contract)
DRIVERS: dict[str, tuple[str, ...]] = {
    ".geojson": ("GeoJSON", "GeoJSONSeq"),
    ".json": ("GeoJSON",),
    ".gpkg": ("GPKG",),
    ".shp": ("ESRI Shapefile",),
    ".fgb": ("FlatGeobuf",),
    ".gml": ("GML",),
    ".kml": ("KML", "LIBKML"),
    ".sqlite": ("SQLite",),
    ".osm": ("OSM",),
    ".osm.pbf": ("OSM",),
    ".pbf": ("OSM",),
}
_HEAD_BYTES = 4096
_SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")


def _text_head(head: bytes) -> str:
    return head.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="replace").lstrip()


def _xml_root(head: bytes) -> str:
    """The name of the first element of an XML text ('' when it is not XML)."""
    text = _text_head(head)
    while text.startswith(("<?", "<!")):
        end = text.find(">")
        if end < 0:
            return ""
        text = text[end + 1 :].lstrip()
    if not text.startswith("<"):
        return ""
    name = text[1:].split(maxsplit=1)[0] if len(text) > 1 else ""
    return name.rstrip(">/").split(":")[-1]


_SIGNATURES: dict[str, tuple[Callable[[bytes], bool], str]] = {
    ".geojson": (lambda h: _text_head(h)[:1] in ("{", "["), "GeoJSON (text starting with '{')"),
    ".json": (lambda h: _text_head(h)[:1] in ("{", "["), "GeoJSON (text starting with '{')"),
    ".gpkg": (lambda h: h.startswith(b"SQLite format 3\x00"), "a GeoPackage"),
    ".sqlite": (lambda h: h.startswith(b"SQLite format 3\x00"), "an SQLite database"),
    ".shp": (lambda h: h.startswith(b"\x00\x00\x27\x0a"), "an ESRI shapefile"),
    ".fgb": (lambda h: h.startswith(b"fgb"), "a FlatGeobuf file"),
    ".gml": (lambda h: _xml_root(h) not in ("", "OGRVRTDataSource"), "GML (XML)"),
    ".kml": (lambda h: _xml_root(h) == "kml", "KML (XML with a <kml> root)"),
    ".osm": (lambda h: _xml_root(h) == "osm", "OSM XML (an <osm> root)"),
    ".osm.pbf": (lambda h: b"OSMHeader" in h[:24], "an OSM PBF extract"),
    ".pbf": (lambda h: b"OSMHeader" in h[:24], "an OSM PBF extract"),
    ".xlsx": (lambda h: h.startswith(b"PK\x03\x04"), "an Excel .xlsx workbook"),
}

_FORMAT_ZH = {
    ".geojson": "GeoJSON（以“{”开头的文本）",
    ".json": "GeoJSON（以“{”开头的文本）",
    ".gpkg": "GeoPackage",
    ".sqlite": "SQLite 数据库",
    ".shp": "ESRI Shapefile",
    ".fgb": "FlatGeobuf",
    ".gml": "GML（XML）",
    ".kml": "KML（根元素为 <kml> 的 XML）",
    ".osm": "OSM XML（根元素为 <osm>）",
    ".osm.pbf": "OSM PBF 数据",
    ".pbf": "OSM PBF 数据",
    ".xlsx": "Excel .xlsx 工作簿",
}
"""How Chinese messages name the format of each suffix (:data:`_SIGNATURES` in English)."""


def suffix_of(path: Path) -> str:
    """The format suffix of a file name, lower case (``.osm.pbf`` counts as one)."""
    lower = path.name.lower()
    return ".osm.pbf" if lower.endswith(".osm.pbf") else path.suffix.lower()


def check_input_file(path: Path, *, folder: Path | None, plog: ProblemLog) -> bool:
    """Whether ``path`` may be opened: reported to ``plog`` and False when not.

    Refused: GDAL virtual paths (``/vsi…``), files (or shapefile parts) that resolve
    outside ``folder``, anything that is not a regular file (a folder, a named pipe that
    would block), empty files, and content that is not the format of the suffix.
    """
    label = path.name
    if "/vsi" in str(path).lower():
        plog.error(
            label,
            "is a GDAL virtual path (/vsi…).",
            "Give a plain local file.",
            zh=("是 GDAL 虚拟路径（/vsi…）。", "请给出本机上的普通文件。"),
        )
        return False
    parts = [path]
    if suffix_of(path) == ".shp":
        parts += [path.with_suffix(s) for s in _SHAPEFILE_PARTS[1:] if path.with_suffix(s).exists()]
    if folder is not None and not all(_inside(p, folder) for p in parts):
        plog.error(
            label,
            "is a link to a file outside the scenario folder; it is not read.",
            "Copy the file itself into the scenario folder.",
            zh=("是指向场景文件夹之外文件的链接，不予读取。", "请把文件本身复制到场景文件夹中。"),
        )
        return False
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        plog.error(
            label,
            f"cannot be opened ({exc.strerror}).",
            "Check the file's permissions.",
            zh=(f"无法打开（{exc.strerror}）。", "请检查文件的访问权限。"),
        )
        return False
    if not stat.S_ISREG(mode):
        plog.error(
            label,
            "is not a regular file.",
            "Replace it with the layer's file.",
            zh=("不是普通文件。", "请换成该图层的数据文件。"),
        )
        return False
    return _check_content(path, plog)


def _inside(path: Path, folder: Path) -> bool:
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except OSError:
        return False


def _check_content(path: Path, plog: ProblemLog) -> bool:
    label = path.name
    try:
        with path.open("rb") as handle:
            head = handle.read(_HEAD_BYTES)
    except OSError as exc:
        plog.error(
            label,
            f"cannot be read ({exc.strerror}).",
            "Check the file's permissions.",
            zh=(f"无法读取（{exc.strerror}）。", "请检查文件的访问权限。"),
        )
        return False
    if not head:
        plog.error(
            label,
            "is empty (0 bytes).",
            "Save the layer again, or remove the file.",
            zh=("是空文件（0 字节）。", "请重新保存该图层，或删除这个文件。"),
        )
        return False
    if _xml_root(head) == "OGRVRTDataSource" or b"<OGRVRTDataSource" in head:
        plog.error(
            label,
            "is a GDAL virtual (VRT) file, which may read other files or the network; "
            "it is not read.",
            "Export the layer itself as GeoJSON or GeoPackage.",
            zh=(
                "是 GDAL 虚拟（VRT）文件，可能读取其他文件或访问网络，不予读取。",
                "请把图层本身导出为 GeoJSON 或 GeoPackage。",
            ),
        )
        return False
    check = _SIGNATURES.get(suffix_of(path))
    if check is not None and not check[0](head):
        plog.error(
            label,
            f"is not {check[1]}, as its name says.",
            "Save the layer again in the format its name ends with.",
            zh=(
                f"内容不是文件名所表示的格式（{_FORMAT_ZH[suffix_of(path)]}）。",
                "请按文件扩展名所示的格式重新保存该图层。",
            ),
        )
        return False
    return True


def gdal_reason(exc: BaseException, path: Path) -> str:
    """GDAL's error text without the machine's path and without its hint about driver
    prefixes (patrol chooses the driver by the file's suffix)."""
    text = str(exc).replace(str(path), path.name)
    cut = text.find("It might help to specify")
    text = (text[:cut] if cut >= 0 else text).strip().rstrip(".")
    return text or type(exc).__name__


def check_driver(path: Path, driver: str, *, plog: ProblemLog) -> bool:
    """Whether GDAL opened ``path`` with a driver its suffix allows (reported if not)."""
    allowed = DRIVERS.get(suffix_of(path), ())
    if driver in allowed:
        return True
    plog.error(
        path.name,
        f"was recognised as '{driver}', not as {' or '.join(allowed) or 'a known format'}; "
        "it is not read.",
        "Save the layer again in the format its name ends with.",
        zh=(
            f"被识别为“{driver}”格式，而不是 {' 或 '.join(allowed) or '已知格式'}，不予读取。",
            "请按文件扩展名所示的格式重新保存该图层。",
        ),
    )
    return False
