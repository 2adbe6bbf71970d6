"""Real documents in every supported format, made once per test session.

Office files are written by LibreOffice itself, from small flat-XML sources (a 3-page text
with page breaks, a 2-sheet spreadsheet, a 3-slide presentation) converted to each format in
a few parallel `soffice` runs; EPUB too. SVG comes from PyMuPDF, CBZ from Pillow pictures.
No tool here writes XPS or FictionBook: those two are written by this module (zipfile and
ElementTree) to their published structure, and say so in `made_by`.
"""

from __future__ import annotations

import atexit
import csv
import functools
import io
import os
import shutil
import subprocess
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pymupdf
import pytest
from PIL import Image, ImageDraw

from app.ingest import formats

REQUIRE = "PALIAPI_REQUIRE_LIBREOFFICE"


@dataclass(frozen=True)
class Sample:
    name: str
    path: Path
    media_type: str
    pages: int | None  # known by construction; None: what PyMuPDF's layout makes of it
    marker: str  # text on the first page
    made_by: str


def soffice() -> str:
    """LibreOffice's `soffice`; skips the test where it is missing, unless required."""
    found = shutil.which("soffice")
    if found is None:
        reason = "LibreOffice is not installed (`make system-deps`)"
        if os.environ.get(REQUIRE) == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return found


_TEXT_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0"'
)


def _flat(kind: str, body: str, styles: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document {_TEXT_NS} office:version="1.3" '
        f'office:mimetype="application/vnd.oasis.opendocument.{kind}">{styles}'
        f"<office:body>{body}</office:body></office:document>\n"
    )


REPORT = _flat(  # three pages: each paragraph after the first starts a page
    "text",
    "<office:text>"
    '<text:h text:outline-level="1">Quarterly report</text:h>'
    "<text:p>Revenue grew 7% in quarter 1.</text:p>"
    '<text:p text:style-name="Break">Page two: costs fell 3%.</text:p>'
    '<text:p text:style-name="Break">Page three: the outlook is stable.</text:p>'
    "</office:text>",
    '<office:automatic-styles><style:style style:name="Break" style:family="paragraph">'
    '<style:paragraph-properties fo:break-before="page"/></style:style></office:automatic-styles>',
)
BUDGET = _flat(  # two sheets: a page each
    "spreadsheet",
    "<office:spreadsheet>"
    + "".join(
        f'<table:table table:name="Q{n}"><table:table-row>'
        f'<table:table-cell office:value-type="string"><text:p>Sheet {n}</text:p>'
        f'</table:table-cell><table:table-cell office:value-type="float" office:value="{n * 42}">'
        f"<text:p>{n * 42}</text:p></table:table-cell></table:table-row></table:table>"
        for n in (1, 2)
    )
    + "</office:spreadsheet>",
)
DECK = _flat(  # three slides
    "presentation",
    "<office:presentation>"
    + "".join(
        f'<draw:page draw:name="s{n}" draw:master-page-name="Default">'
        '<draw:frame svg:x="2cm" svg:y="2cm" svg:width="20cm" svg:height="3cm"><draw:text-box>'
        f"<text:p>Slide {n}: roadmap</text:p></draw:text-box></draw:frame></draw:page>"
        for n in (1, 2, 3)
    )
    + "</office:presentation>",
    '<office:automatic-styles><style:page-layout style:name="PM1"><style:page-layout-properties '
    'fo:page-width="28cm" fo:page-height="15.75cm"/></style:page-layout></office:automatic-styles>'
    '<office:master-styles><style:master-page style:name="Default" style:page-layout-name="PM1"/>'
    "</office:master-styles>",
)
BIG_ROWS = 12_000  # a spreadsheet LibreOffice needs well over 2 s to turn into ~240 pages

# (source, target extension, media type, pages, first-page text)
OFFICE = [
    ("report.fodt", "docx", formats.DOCX, 3, "Quarterly report"),
    ("report.fodt", "doc", formats.DOC, 3, "Quarterly report"),
    ("report.fodt", "odt", formats.ODT, 3, "Quarterly report"),
    ("report.fodt", "rtf", formats.RTF, 3, "Quarterly report"),
    ("budget.fods", "xlsx", formats.XLSX, 2, "Sheet 1"),
    ("budget.fods", "xls", formats.XLS, 2, "Sheet 1"),
    ("budget.fods", "ods", formats.ODS, 2, "Sheet 1"),
    ("deck.fodp", "pptx", formats.PPTX, 3, "Slide 1"),
    ("deck.fodp", "ppt", formats.PPT, 3, "Slide 1"),
    ("deck.fodp", "odp", formats.ODP, 3, "Slide 1"),
]


def _convert(binary: str, profile: Path, out: Path, target: str, *sources: Path) -> None:
    subprocess.run(
        [
            binary,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={profile.as_uri()}",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            *map(str, sources),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )


@functools.cache
def samples() -> dict[str, Sample]:
    """Every sample by name ("docx", "epub", ...), plus "big-xlsx"; made once per process."""
    binary = soffice()
    root = Path(tempfile.mkdtemp(prefix="paliapi-samples-"))
    atexit.register(shutil.rmtree, root, True)
    src, out = root / "src", root / "out"
    src.mkdir()
    for name, text in (("report.fodt", REPORT), ("budget.fods", BUDGET), ("deck.fodp", DECK)):
        (src / name).write_text(text, "utf-8")
    with (src / "big.csv").open("w", newline="") as file:
        writer = csv.writer(file)
        for row in range(BIG_ROWS):
            writer.writerow([row, f"item {row}", row * 1.5, row % 7, "lorem ipsum dolor"])
    # One lane per source; each lane reuses its own profile, the lanes run side by side.
    lanes = [
        [("docx", ["report.fodt"]), ("doc", ["report.fodt"]), ("odt", ["report.fodt"])],
        [("rtf", ["report.fodt"]), ("epub", ["report.fodt"]), ("pptx", ["deck.fodp"])],
        [("xlsx", ["budget.fods", "big.csv"]), ("xls", ["budget.fods"]), ("ods", ["budget.fods"])],
        [("ppt", ["deck.fodp"]), ("odp", ["deck.fodp"])],
    ]

    def run_lane(number: int) -> None:
        for target, names in lanes[number]:
            _convert(binary, root / f"profile-{number}", out, target, *(src / n for n in names))

    with ThreadPoolExecutor(len(lanes)) as pool:
        list(pool.map(run_lane, range(len(lanes))))

    found = {
        target: Sample(
            target,
            out / f"{Path(source).stem}.{target}",
            media_type,
            pages,
            marker,
            "LibreOffice",
        )
        for source, target, media_type, pages, marker in OFFICE
    }
    found["big-xlsx"] = Sample(
        "big-xlsx", out / "big.xlsx", formats.XLSX, None, "item", "LibreOffice"
    )
    found["epub"] = Sample(
        "epub", out / "report.epub", formats.EPUB, None, "Quarterly report", "LibreOffice"
    )
    for sample in _pymupdf_samples(root):
        found[sample.name] = sample
    return found


def _pymupdf_samples(root: Path) -> list[Sample]:
    made = []
    # SVG: a page PyMuPDF draws, exported by PyMuPDF.
    document = pymupdf.open()
    page = document.new_page(width=400, height=300)
    page.insert_text((40, 60), "Vector chart", fontsize=18)
    page.draw_rect(pymupdf.Rect(40, 100, 200, 200), color=(0, 0, 1), fill=(0.3, 0.5, 1))
    (root / "chart.svg").write_text(page.get_svg_image(text_as_path=False), "utf-8")
    document.close()
    made.append(Sample("svg", root / "chart.svg", formats.SVG, 1, "Vector chart", "PyMuPDF"))
    # CBZ: three PNG pictures drawn by Pillow, zipped in reading order.
    with zipfile.ZipFile(root / "comic.cbz", "w") as archive:
        for number in (1, 2, 3):
            picture = Image.new("RGB", (300, 420), (255, 255 - 50 * number, 220))
            ImageDraw.Draw(picture).text((20, 20), f"panel {number}", fill=(0, 0, 0))
            buffer = io.BytesIO()
            picture.save(buffer, format="PNG")
            archive.writestr(f"page-{number:02}.png", buffer.getvalue())
    made.append(Sample("cbz", root / "comic.cbz", formats.CBZ, 3, "", "Pillow + zipfile"))
    # Plain text and Markdown.
    lines = [f"Line {n}: the meeting notes continue here." for n in range(1, 121)]
    (root / "notes.txt").write_text("Meeting notes\n\n" + "\n".join(lines) + "\n", "utf-8")
    made.append(Sample("txt", root / "notes.txt", formats.TEXT, None, "Meeting notes", "Python"))
    readme = (
        "# Install guide\n\nRun the **installer**, then read [the docs](https://example.com).\n\n"
        "- step one\n- step two\n\n```\nmake serve\n```\n\n| key | value |\n|---|---|\n| a | 1 |\n"
    )
    (root / "guide.md").write_text(readme * 3, "utf-8")
    made.append(Sample("md", root / "guide.md", formats.MARKDOWN, None, "Install guide", "Python"))
    made.append(_fictionbook(root))
    made.append(_xps(root))
    return made


def _fictionbook(root: Path) -> Sample:
    ns = "http://www.gribuser.ru/xml/fictionbook/2.0"
    ElementTree.register_namespace("", ns)
    book = ElementTree.Element(f"{{{ns}}}FictionBook")
    title_info = ElementTree.SubElement(
        ElementTree.SubElement(book, f"{{{ns}}}description"), f"{{{ns}}}title-info"
    )
    ElementTree.SubElement(title_info, f"{{{ns}}}book-title").text = "Sea stories"
    body = ElementTree.SubElement(book, f"{{{ns}}}body")
    for number in (1, 2):
        section = ElementTree.SubElement(body, f"{{{ns}}}section")
        ElementTree.SubElement(
            ElementTree.SubElement(section, f"{{{ns}}}title"), f"{{{ns}}}p"
        ).text = f"Chapter {number}"
        for line in range(40):
            ElementTree.SubElement(section, f"{{{ns}}}p").text = (
                f"The ship sailed on through the night, line {line}. " * 3
            )
    path = root / "stories.fb2"
    ElementTree.ElementTree(book).write(path, encoding="utf-8", xml_declaration=True)
    return Sample("fb2", path, formats.FB2, None, "Chapter 1", "ElementTree (no FB2 writer here)")


def _xps(root: Path) -> Sample:
    pages = 2
    content_types = (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="fdseq" ContentType="application/vnd.ms-package.xps-fixeddocumentsequence+xml"/>'
        '<Default Extension="fdoc" ContentType="application/vnd.ms-package.xps-fixeddocument+xml"/>'
        '<Default Extension="fpage" ContentType="application/vnd.ms-package.xps-fixedpage+xml"/>'
        "</Types>"
    )
    rels = (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Type="http://schemas.microsoft.com/xps/2005/06/fixedrepresentation" '
        'Target="/FixedDocumentSequence.fdseq" Id="R0"/></Relationships>'
    )
    sequence = (
        '<FixedDocumentSequence xmlns="http://schemas.microsoft.com/xps/2005/06">'
        '<DocumentReference Source="/Documents/1/FixedDocument.fdoc"/></FixedDocumentSequence>'
    )
    document = (
        '<FixedDocument xmlns="http://schemas.microsoft.com/xps/2005/06">'
        + "".join(f'<PageContent Source="/Documents/1/Pages/{n}.fpage"/>' for n in range(1, 3))
        + "</FixedDocument>"
    )
    path = root / "form.xps"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", rels)
        archive.writestr("FixedDocumentSequence.fdseq", sequence)
        archive.writestr("Documents/1/FixedDocument.fdoc", document)
        for number in range(1, pages + 1):
            archive.writestr(
                f"Documents/1/Pages/{number}.fpage",
                '<FixedPage xmlns="http://schemas.microsoft.com/xps/2005/06" Width="816" '
                'Height="1056" xml:lang="en-US">'
                '<Path Data="M 96,96 L 400,96 400,200 96,200 Z" Fill="#FF3366CC"/>'
                "</FixedPage>",
            )
    return Sample("xps", path, formats.XPS, pages, "", "zipfile (no XPS writer here)")


def bomb_docx(source: Path, target: Path, inflated_mb: int) -> Path:
    """A real DOCX carrying one more member: `inflated_mb` MiB of zeros, deflated ~1000:1."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as bomb:
        for info in original.infolist():
            bomb.writestr(info, original.read(info))
        member = zipfile.ZipInfo("word/media/image1.bin")
        member.compress_type = zipfile.ZIP_DEFLATED
        with bomb.open(member, "w") as out:
            zeros = bytes(1 << 20)
            for _ in range(inflated_mb):
                out.write(zeros)
    return target


def leftovers() -> tuple[list[str], list[str]]:
    """Conversion directories still on disk, and live processes still using one."""
    directories = [
        name for name in os.listdir(tempfile.gettempdir()) if name.startswith("paliapi-convert-")
    ]
    processes = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"paliapi-convert-" in command:
            processes.append(command.replace(b"\0", b" ").decode(errors="replace")[:120])
    return directories, processes
