"""OCR of scanned pages and images with Tesseract (Debian ``tesseract-ocr`` + ``tesseract-ocr-chi-sim``).

Pages are rendered at up to 200 dpi with pypdfium2 (already a dependency of pdfplumber) and read
with pytesseract's word table. Each word keeps its confidence: a line's confidence is the mean
of its words', and words under :data:`UNCERTAIN_BELOW` are marked so that an agency name
containing one is reported and left unlinked (see :func:`policykg.loaders.reading.with_reader_notes`).
The lines go through the same paragraph assembly as a PDF's text layer.
"""

from __future__ import annotations

import io
import re
from typing import Any

from policykg.errors import InputError
from policykg.loaders.blocks import ReadDocument
from policykg.loaders.limits import ReadLimits
from policykg.loaders.pdf_text import Line, Page, assemble

UNCERTAIN_BELOW = 60.0  # Tesseract word confidence (0–100) under which a word is uncertain
# 200 dpi, not the usual 300: at 300 dpi a 12 pt "一" is a thin stroke long enough for
# Tesseract's line finder to remove as a rule, which loses the outline numbers 一、二、三、.
# A finer scan is downscaled to it (see _page_image).
DPI = 200
_LATIN = re.compile(r"[A-Za-z0-9]")


def ocr_pdf_pages(
    data: bytes, indexes: list[int], *, source: str, limits: ReadLimits, dpi: dict[int, float] | None = None
) -> list[Page]:
    """OCR the given 0-based pages of a PDF, within the OCR page cap and the time budget.

    Each page is rendered at its scan's own resolution (``dpi``, from the page image), between
    150 and :data:`DPI`: rendering a scan finer than it was made costs OCR time and reads no better.
    """
    if len(indexes) > limits.ocr_max_pages:
        raise InputError(
            f"The PDF has {len(indexes)} pages with no text layer to read by OCR, more than the OCR limit of "
            f"{limits.ocr_max_pages} pages; split it or raise the limit (setting ocr_max_pages).",
            path=source,
        )
    import pypdfium2

    pdf = pypdfium2.PdfDocument(data)
    try:
        pages = []
        for index in indexes:
            limits.check_time(source, "Reading the document by OCR")
            image = _page_image(pdf[index], min(max((dpi or {}).get(index, DPI), 150), DPI))
            pages.append(ocr_image(image, index + 1, source=source, limits=limits))
        return pages
    finally:
        pdf.close()


def _page_image(page: Any, dpi: float) -> Any:
    """A scanned page as an image at no more than :data:`DPI`: the scan itself, downscaled with
    a Lanczos filter when finer (which also smooths JPEG noise), else the page rendered."""
    import pypdfium2
    import pypdfium2.raw as pdfium_c
    from PIL import Image

    images = list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=1))
    if len(images) == 1:
        try:
            image = images[0].get_bitmap(render=False).to_pil().convert("L")
        except pypdfium2.PdfiumError:
            image = None
        if image is not None:
            target = page.get_width() / 72 * DPI
            if image.width > target * 1.05:
                scale = target / image.width
                image = image.resize(
                    (round(image.width * scale), round(image.height * scale)), Image.Resampling.LANCZOS
                )
            return image
    return page.render(scale=dpi / 72, grayscale=True).to_pil()


def read_image(data: bytes, *, source: str, limits: ReadLimits | None = None) -> ReadDocument:
    """A page image (PNG, JPEG, TIFF, BMP; every frame of a multi-page TIFF) read by OCR."""
    from PIL import Image, UnidentifiedImageError

    limits = limits or ReadLimits()
    if not limits.ocr:
        raise InputError(
            "The file is an image and OCR is switched off (setting ocr); switch it on to read it.", path=source
        )
    try:
        image = Image.open(io.BytesIO(data))
        frames = getattr(image, "n_frames", 1)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise InputError("The file is not a readable image.", path=source) from None
    if frames > limits.ocr_max_pages:
        raise InputError(
            f"The image has {frames} pages, more than the OCR limit of {limits.ocr_max_pages} pages "
            "(setting ocr_max_pages).",
            path=source,
        )
    pages = []
    for frame in range(frames):
        image.seek(frame)
        limits.check_time(source, "Reading the document by OCR")
        page = image.convert("L")
        dpi = float((image.info.get("dpi") or (DPI, DPI))[0] or DPI)
        if dpi > DPI:  # see DPI: finer than that loses 一、
            page = page.resize(
                (round(page.width * DPI / dpi), round(page.height * DPI / dpi)), Image.Resampling.LANCZOS
            )
        pages.append(ocr_image(page, frame + 1, source=source, limits=limits))
    from policykg.loaders.pdf_text import _drop_running_lines

    _drop_running_lines(pages)
    warning = "The file is an image: it was read by OCR, so check names and numbers."
    return ReadDocument(assemble(pages), source, [warning], kind="image")


def ocr_image(image: Any, number: int, *, source: str, limits: ReadLimits) -> Page:
    """One page image as lines with word confidences."""
    import pytesseract

    timeout = limits.remaining_s()
    try:
        table = pytesseract.image_to_data(
            image,
            lang=limits.ocr_language,
            config="--psm 3",
            output_type=pytesseract.Output.DICT,
            timeout=0 if timeout is None else max(1, int(timeout)),
        )
    except pytesseract.TesseractNotFoundError:
        raise InputError(
            "Reading a scan needs Tesseract OCR, which is not installed "
            "(Debian: apt-get install tesseract-ocr tesseract-ocr-chi-sim).",
            path=source,
        ) from None
    except RuntimeError as error:  # pytesseract's timeout
        if "timeout" in str(error).lower():
            limits.check_time(source, "Reading the document by OCR")
            raise InputError(f"OCR of page {number} ran out of the time budget.", path=source) from None
        raise
    except pytesseract.TesseractError as error:
        raise InputError(
            f"Tesseract could not read page {number} ({error.message.strip()[:120]}).", path=source
        ) from None
    lines: dict[tuple[int, int, int], list[int]] = {}
    for i, word in enumerate(table["text"]):
        if word and word.strip() and float(table["conf"][i]) >= 0:
            lines.setdefault((table["block_num"][i], table["par_num"][i], table["line_num"][i]), []).append(i)
    out: list[Line] = []
    for indexes in lines.values():
        text = ""
        uncertain: list[tuple[int, int]] = []
        confidences: list[float] = []
        for i in indexes:
            word = table["text"][i].strip()
            # Tesseract separates every CJK character and punctuation mark by a space; only a
            # space between two Latin letters or digits is one in the document.
            if text and _LATIN.match(text[-1]) and _LATIN.match(word[0]):
                text += " "
            conf = float(table["conf"][i])
            if conf < UNCERTAIN_BELOW:
                uncertain.append((len(text), len(text) + len(word)))
            text += word
            confidences.append(conf)
        x0 = min(table["left"][i] for i in indexes)
        x1 = max(table["left"][i] + table["width"][i] for i in indexes)
        top = min(table["top"][i] for i in indexes)
        bottom = max(table["top"][i] + table["height"][i] for i in indexes)
        heights = sorted(table["height"][i] for i in indexes)
        out.append(
            Line(
                text,
                float(x0),
                float(x1),
                float(top),
                float(bottom),
                float(heights[len(heights) // 2]),
                uncertain,
                round(sum(confidences) / len(confidences) / 100, 3),
            )
        )
    out.sort(key=lambda line: (line.top, line.x0))
    confidence = round(sum(line.confidence or 0 for line in out) / len(out), 3) if out else None
    width, height = image.size
    return Page(number, float(width), float(height), list(out), ocr=True, confidence=confidence)
