"""A small eval dataset in the ViDoRe/BEIR layout, laid out with PyMuPDF.

    python -m app.evals.sanity OUTDIR

writes OUTDIR/corpus, OUTDIR/queries and OUTDIR/qrels (one parquet file each): sixteen
pages of public-domain texts with headings, tables and figures (so pages differ visually
too), each rendered to a PNG (`image`) and kept as its one-page PDF (`pdf`, which gives the
page a text layer once uploaded), and 22 queries, each with one relevant page. The output is
byte-for-byte the same every time.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import Any

import pymupdf

from app.evals.sanity_pages import PAGES, SanityPage

WIDTH, HEIGHT = 612, 792  # US Letter, points
MARGIN = 54
IMAGE_DPI = 96
PALETTE = (
    (0.16, 0.27, 0.55),
    (0.55, 0.12, 0.16),
    (0.10, 0.45, 0.30),
    (0.45, 0.30, 0.60),
    (0.80, 0.45, 0.10),
    (0.15, 0.50, 0.60),
    (0.35, 0.35, 0.35),
    (0.60, 0.50, 0.10),
)
Color = tuple[float, float, float]


def build_pdf_page(index: int, spec: SanityPage) -> bytes:
    """One page as a one-page PDF; its layout depends on `index` as well as its content."""
    document = pymupdf.open()
    page = document.new_page(width=WIDTH, height=HEIGHT)
    accent = PALETTE[index % len(PALETTE)]
    font = "helv" if index % 3 else "tiro"
    page.draw_rect(pymupdf.Rect(0, 0, WIDTH, 96), color=accent, fill=accent)
    heading = page.insert_textbox(
        pymupdf.Rect(MARGIN, 24, WIDTH - MARGIN, 90),
        spec.title,
        fontsize=24 if len(spec.title) < 34 else 18,
        fontname="hebo",
        color=(1, 1, 1),
    )
    if heading < 0:
        raise ValueError(f"the title {spec.title!r} does not fit the banner")
    page.insert_text((MARGIN, 120), spec.source, fontsize=11, fontname="heit", color=accent)
    # Figure above the passage on even pages, below it on odd ones.
    figure_top = 140 if index % 2 == 0 else 400
    text_top = 420 if index % 2 == 0 else 140
    text = pymupdf.Rect(MARGIN, text_top, WIDTH - MARGIN, text_top + 200)
    if page.insert_textbox(text, spec.passage, fontsize=12, fontname=font, lineheight=1.4) < 0:
        raise ValueError(f"the passage of {spec.title!r} does not fit its box")
    box = pymupdf.Rect(MARGIN, figure_top, WIDTH - MARGIN, figure_top + 240)
    _figure(page, box, spec, accent)
    page.insert_text(
        (MARGIN, box.y1 + 18), spec.caption, fontsize=10, fontname="heit", color=(0.2, 0.2, 0.2)
    )
    page.insert_text(
        (MARGIN, HEIGHT - 30), f"Sanity set, page {index + 1}", fontsize=8, color=(0.5, 0.5, 0.5)
    )
    document.set_metadata({})  # no creation date: the same bytes on every build
    data: bytes = document.tobytes(garbage=3, deflate=True, no_new_id=True)
    document.close()
    return data


def _figure(page: Any, box: Any, spec: SanityPage, accent: Color) -> None:
    if spec.rows and spec.values:  # a table beside its chart
        split = box.x0 + box.width * 0.6
        _table(page, pymupdf.Rect(box.x0, box.y0, split - 8, box.y1), spec.rows, accent)
        _bars(page, pymupdf.Rect(split + 8, box.y0, box.x1, box.y1), spec, accent)
        return
    draw = {
        "bars": _bars,
        "hbars": _hbars,
        "line": _line,
        "pie": _pie,
        "tree": _tree,
        "waves": _waves,
        "arrows": _arrows,
        "grid": _grid,
        "stripes": _stripes,
        "rings": _rings,
    }
    if spec.figure == "table":
        _table(page, box, spec.rows, accent)
    else:
        draw[spec.figure](page, box, spec, accent)


def _table(page: Any, box: Any, rows: tuple[tuple[str, ...], ...], accent: Color) -> None:
    height = min(box.height / len(rows), 24.0)
    columns = len(rows[0])
    # The last column takes what the others leave; a text column gets more room.
    widths = [box.width / columns] * columns
    if columns == 2:
        widths = [box.width * 0.25, box.width * 0.75]
    fontsize = 9 if box.width < 300 else 10
    for r, row in enumerate(rows):
        top = box.y0 + r * height
        if r == 0:
            page.draw_rect(
                pymupdf.Rect(box.x0, top, box.x1, top + height), color=accent, fill=accent
            )
        x = box.x0
        for c, cell in enumerate(row):
            cell_box = pymupdf.Rect(x + 3, top + 3, x + widths[c] - 3, top + height)
            left = page.insert_textbox(
                cell_box,
                cell,
                fontsize=fontsize - 2 if r == 0 else fontsize,
                fontname="hebo" if r == 0 else "helv",
                color=(1, 1, 1) if r == 0 else (0, 0, 0),
            )
            if left < 0:  # PyMuPDF writes nothing when the text does not fit
                raise ValueError(f"table cell {cell!r} does not fit its column")
            x += widths[c]
        page.draw_line((box.x0, top + height), (box.x1, top + height), color=(0.6, 0.6, 0.6))


def _bars(page: Any, box: Any, spec: SanityPage, accent: Color) -> None:
    top = max(spec.values)
    step = box.width / len(spec.values)
    for i, (value, label) in enumerate(zip(spec.values, spec.labels, strict=True)):
        height = (box.height - 20) * value / top
        x = box.x0 + i * step
        shade = (accent[0], accent[1] * (0.6 + 0.4 * i / len(spec.values)), accent[2])
        page.draw_rect(
            pymupdf.Rect(x + 4, box.y1 - 20 - height, x + step - 4, box.y1 - 20),
            color=shade,
            fill=shade,
        )
        page.insert_text((x + 6, box.y1 - 6), label, fontsize=8)
    page.draw_line((box.x0, box.y1 - 20), (box.x1, box.y1 - 20), color=(0, 0, 0))


def _hbars(page: Any, box: Any, spec: SanityPage, accent: Color) -> None:
    top = max(spec.values)
    step = box.height / len(spec.values)
    for i, (value, label) in enumerate(zip(spec.values, spec.labels, strict=True)):
        y = box.y0 + i * step
        page.insert_text((box.x0, y + step / 2 + 3), label, fontsize=10)
        width = (box.width - 90) * value / top
        page.draw_rect(
            pymupdf.Rect(box.x0 + 80, y + 4, box.x0 + 80 + width, y + step - 4),
            color=accent,
            fill=accent,
        )


def _line(page: Any, box: Any, spec: SanityPage, accent: Color) -> None:
    top, count = max(spec.values), len(spec.values)
    points = [
        (box.x0 + i * box.width / (count - 1), box.y1 - (box.height - 10) * v / top)
        for i, v in enumerate(spec.values)
    ]
    page.draw_polyline(points, color=accent, width=3)
    for point in points:
        page.draw_circle(point, 5, color=accent, fill=(1, 1, 1))
    page.draw_line((box.x0, box.y1), (box.x1, box.y1), color=(0, 0, 0))


def _pie(page: Any, box: Any, spec: SanityPage, accent: Color) -> None:
    center = pymupdf.Point(box.x0 + box.height / 2, (box.y0 + box.y1) / 2)
    radius = box.height / 2 - 10
    total, angle = sum(spec.values), 0.0
    for i, (value, label) in enumerate(zip(spec.values, spec.labels, strict=True)):
        start = center + pymupdf.Point(radius * math.cos(angle), radius * math.sin(angle))
        shade = tuple(min(1.0, c + 0.12 * i) for c in accent)
        page.draw_sector(center, start, 360 * value / total, color=(1, 1, 1), fill=shade)
        angle += 2 * math.pi * value / total
        y = box.y0 + 20 + 24 * i
        page.draw_rect(pymupdf.Rect(box.x1 - 150, y - 10, box.x1 - 138, y + 2), fill=shade)
        page.insert_text((box.x1 - 130, y), label, fontsize=11)


def _tree(page: Any, box: Any, spec: SanityPage, accent: Color) -> None:
    def branch(x: float, y: float, spread: float, depth: int) -> None:
        if depth == 0:
            page.draw_circle((x, y), 4, color=accent, fill=accent)
            return
        for side in (-1, 1):
            end = (x + side * spread, y + box.height / 5)
            page.draw_line((x, y), end, color=accent, width=1 + depth / 2)
            branch(*end, spread / 2, depth - 1)

    branch((box.x0 + box.x1) / 2, box.y0 + 10, box.width / 4, 4)


def _waves(page: Any, box: Any, spec: SanityPage, accent: Color) -> None:
    for row in range(6):
        y0 = box.y0 + 20 + row * box.height / 6
        points = [
            (box.x0 + x, y0 + 10 * math.sin((x + row * 30) / 25))
            for x in range(0, int(box.width), 4)
        ]
        page.draw_polyline(points, color=accent, width=2)


def _arrows(page: Any, box: Any, spec: SanityPage, accent: Color) -> None:
    middle = (box.y0 + box.y1) / 2
    center = (box.x0 + box.x1) / 2
    page.draw_rect(pymupdf.Rect(center - 40, middle - 40, center + 40, middle + 40), fill=accent)
    for direction in (-1, 1):
        tip = center + direction * 200
        start = center + direction * 50
        page.draw_line((start, middle), (tip, middle), color=(0, 0, 0), width=4)
        page.draw_polyline(
            [
                (tip - direction * 16, middle - 12),
                (tip, middle),
                (tip - direction * 16, middle + 12),
            ],
            color=(0, 0, 0),
            width=4,
        )


def _grid(page: Any, box: Any, spec: SanityPage, accent: Color) -> None:
    size = 60
    for i, label in enumerate(spec.labels):
        x = box.x0 + (i % 7) * (size + 10)
        y = box.y0 + 20 + (i // 7) * (size + 20)
        page.draw_rect(pymupdf.Rect(x, y, x + size, y + size), color=accent, fill=accent)
        page.insert_text((x + 16, y + 38), label, fontsize=16, fontname="hebo", color=(1, 1, 1))


def _stripes(page: Any, box: Any, spec: SanityPage, accent: Color) -> None:
    height = box.height / 13
    for i in range(13):
        color = (0.7, 0.1, 0.15) if i % 2 == 0 else (1, 1, 1)
        rect = pymupdf.Rect(box.x0, box.y0 + i * height, box.x1, box.y0 + (i + 1) * height)
        page.draw_rect(rect, color=(0.7, 0.1, 0.15), fill=color, width=0.5)
    page.draw_rect(
        pymupdf.Rect(box.x0, box.y0, box.x0 + box.width * 0.4, box.y0 + 7 * height),
        fill=(0.1, 0.15, 0.4),
    )


def _rings(page: Any, box: Any, spec: SanityPage, accent: Color) -> None:
    center = pymupdf.Point((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2)
    for i in range(8):
        shade = (1 - i / 8) * 0.9
        page.draw_circle(center, box.height / 2 - i * 14, color=accent, fill=(shade, shade, 1))


def render_png(pdf: bytes, dpi: int = IMAGE_DPI) -> bytes:
    with pymupdf.open(stream=pdf, filetype="pdf") as document:
        data: bytes = document[0].get_pixmap(dpi=dpi, alpha=False).tobytes("png")
    return data


def build_sanity_set(out: Path) -> Path:
    """Write the sanity set under `out` (corpus/, queries/, qrels/); return `out`."""
    import pyarrow as pa  # type: ignore[import-untyped]
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    corpus: list[dict[str, Any]] = []
    queries: list[dict[str, Any]] = []
    qrels: list[dict[str, Any]] = []
    for index, spec in enumerate(PAGES):
        pdf = build_pdf_page(index, spec)
        corpus.append(
            {
                "corpus-id": index,
                "image": {"bytes": render_png(pdf), "path": f"page-{index:02d}.png"},
                "pdf": pdf,
            }
        )
        for query in spec.queries:
            qrels.append({"query-id": len(queries), "corpus-id": index, "score": 1})
            queries.append({"query-id": len(queries), "query": query})
    image = pa.struct([("bytes", pa.binary()), ("path", pa.string())])
    tables = {
        "corpus": pa.Table.from_pylist(
            corpus,
            schema=pa.schema([("corpus-id", pa.int64()), ("image", image), ("pdf", pa.binary())]),
        ),
        "queries": pa.Table.from_pylist(
            queries, schema=pa.schema([("query-id", pa.int64()), ("query", pa.string())])
        ),
        "qrels": pa.Table.from_pylist(
            qrels,
            schema=pa.schema(
                [("query-id", pa.int64()), ("corpus-id", pa.int64()), ("score", pa.int64())]
            ),
        ),
    }
    for part, table in tables.items():
        (out / part).mkdir(parents=True, exist_ok=True)
        pq.write_table(table, out / part / "test-00000-of-00001.parquet")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("out", type=Path, help="directory to write corpus/, queries/, qrels/ to")
    out = build_sanity_set(parser.parse_args().out)
    queries = sum(len(page.queries) for page in PAGES)
    print(f"wrote {len(PAGES)} pages and {queries} queries to {out}")


if __name__ == "__main__":
    main()
