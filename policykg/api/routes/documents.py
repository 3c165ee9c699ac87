"""``/documents``: the list, one document with its outline, and the two writes (upload, delete).

Writes need the bearer token (see :mod:`policykg.api.auth`); an upload is parsed and
loaded in one atomic store write by :mod:`policykg.ingest`, and its load report returned.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import tempfile
import time
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse
from starlette.datastructures import UploadFile

from policykg.api.auth import check_write_token
from policykg.api.deps import StoreDep, app_state
from policykg.api.errors import ApiError
from policykg.api.from_catalogue import add_catalogue_route
from policykg.api.limits import BodyTooLarge
from policykg.api.upload_watch import ClientBoundLimits, run_while_client_waits
from policykg.graph.store import GraphStore
from policykg.loaders.limits import ReadLimits
from policykg.loaders.reading import ACCEPTED_SUFFIXES, sniff
from policykg.queries import writes

router = APIRouter(prefix="/documents", tags=["documents"])
log = logging.getLogger("policykg.api")

DocumentId = Annotated[str, Path(min_length=1, max_length=200, description="A document id, e.g. doc-3643f442774e.")]
_UNSAFE = re.compile(r"[^\w.\-]+")

_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "The document, its kind found from its content: .txt (UTF-8 or GB18030), "
                            ".html, .docx, .pdf (scans by OCR), .doc/.wps/.odt, .xlsx/.xls/.et/.ods, page images.",
                        }
                    },
                }
            }
        },
    },
    "security": [{"bearer": []}],
}


add_catalogue_route(
    router, "", "documents", summary="Loaded documents with their counts of measures and sections", title="Documents"
)
add_catalogue_route(
    router,
    "/{doc_id}",
    "document_detail",
    summary="One document: metadata, counts, implementing links and its outline",
    path_params={"doc_id": "id"},
    missing="No document has the id {doc_id!r}; GET /documents lists them.",
    also=["document_outline"],
    title=lambda rows, params: str(rows["row"]["title"]),
)


@router.post(
    "",
    status_code=201,
    summary="Upload a document: parsed and loaded atomically (bearer token required)",
    openapi_extra=_UPLOAD_BODY,
    responses={
        401: {"description": "Missing or wrong token"},
        403: {"description": "Writes disabled"},
        413: {"description": "Too large"},
    },
)
async def upload_document(request: Request) -> JSONResponse:
    """Parse an uploaded document and load it atomically; answers the load report (bearer token)."""
    state = app_state(request)
    check_write_token(state.settings, request.headers.get("authorization"))
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise ApiError(415, "Send the document as multipart/form-data with one part named 'file'.", param="file")
    try:
        form = await request.form(max_files=1, max_fields=4)
    except BodyTooLarge:
        raise  # the body-limit middleware answers 413
    except Exception as error:  # the multipart parser's own errors carry no useful common type
        log.info("unreadable multipart body: %r", error)
        raise ApiError(
            400, "The multipart body cannot be read; send one part named 'file' as multipart/form-data.", param="file"
        ) from None
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise ApiError(422, "The form has no file part named 'file'.", param="file")
    data = await upload.read(state.settings.max_upload_bytes + 1)
    name = _safe_filename(upload.filename or "upload.txt", data)
    await form.close()
    if len(data) > state.settings.max_upload_bytes:
        raise ApiError(413, f"The file is larger than the limit of {state.settings.max_upload_bytes} bytes.")
    if not data.strip():
        raise ApiError(422, f"The file {name} is empty.", param="file")
    store = state.stores.get()
    started = time.perf_counter()
    try:
        limits = ClientBoundLimits.of(state.settings.read_limits())
        report = await run_while_client_waits(request, limits.gone, _load_upload, store, name, data, limits)
    finally:
        state.store_changed()  # even a failed load has upserted the reference data
    return JSONResponse(
        {"loaded": name, "time_ms": round((time.perf_counter() - started) * 1000, 3), "report": report}, status_code=201
    )


@router.delete(
    "/{doc_id}",
    summary="Delete a document and everything it owns (bearer token required)",
    openapi_extra={"security": [{"bearer": []}]},
    responses={401: {"description": "Missing or wrong token"}, 403: {"description": "Writes disabled"}},
)
def delete_document(request: Request, doc_id: DocumentId, store: StoreDep) -> JSONResponse:
    """Delete a document and everything it owns (bearer token)."""
    state = app_state(request)
    check_write_token(state.settings, request.headers.get("authorization"))
    try:
        deleted = writes.delete_document(store, doc_id)
    finally:
        state.store_changed()
    if not deleted:
        raise ApiError(404, f"No document has the id {doc_id!r}; nothing was deleted.")
    return JSONResponse({"deleted": doc_id})


_KIND_SUFFIX = {
    "pdf": ".pdf",
    "docx": ".docx",
    "xlsx": ".xlsx",
    "ods": ".ods",
    "odt": ".odt",
    "ole": ".doc",
    "image": ".png",
}


def _safe_filename(filename: str, head: bytes = b"") -> str:
    """The client's file name reduced to a safe base name with an accepted suffix; a file whose
    name has no known suffix is accepted when its content is of a known binary kind."""
    base = _UNSAFE.sub("_", FilePath(filename.replace("\\", "/")).name).strip("._") or "upload"
    suffix = FilePath(base).suffix.lower()
    if suffix == ".ofd" or (head and sniff(head, suffix) == "ofd"):
        raise ApiError(
            415,
            f"{filename!r} is an OFD document, which policykg does not read yet; open it in an OFD reader "
            "(e.g. 数科OFD阅读器), save or print it as PDF and upload the PDF.",
            param="file",
        )
    if suffix not in ACCEPTED_SUFFIXES:
        kind = _KIND_SUFFIX.get(sniff(head, suffix)) if head else None
        if kind is None:
            raise ApiError(
                415,
                f"{filename!r} is not a document policykg reads; send {', '.join(ACCEPTED_SUFFIXES)}.",
                param="file",
            )
        base, suffix = f"{FilePath(base).stem or 'upload'}{kind}", kind
    return base[:120] if len(base) <= 120 else FilePath(base).stem[:100] + suffix


def _load_upload(store: GraphStore, name: str, data: bytes, limits: ReadLimits | None = None) -> Any:
    from policykg.ingest import load_files

    with tempfile.TemporaryDirectory(prefix="policykg-upload-") as tmp:
        path = FilePath(tmp) / name
        path.write_bytes(data)
        report = _without_path(_plain(load_files([path], store, progress=False, limits=limits)), str(path), name)
    if not report.get("documents") and report.get("failures"):
        # Nothing was written: the file itself is at fault, and the parser's sentence says why.
        log.warning("upload %s refused: %s", name, report["failures"][0]["message"])
        raise ApiError(422, report["failures"][0]["message"], param="file", report=report)
    return report


def _without_path(value: Any, path: str, name: str) -> Any:
    """The report with the server's temporary path replaced by the uploaded file's name."""
    if isinstance(value, str):
        return value.replace(path, name)
    if isinstance(value, dict):
        return {k: _without_path(v, path, name) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_path(v, path, name) for v in value]
    return value


def _plain(report: Any) -> Any:
    """A load report as JSON-ready data, whatever shape ingest gives it."""
    for method in ("to_json", "as_dict", "to_dict"):
        if callable(getattr(report, method, None)):
            return getattr(report, method)()
    if dataclasses.is_dataclass(report) and not isinstance(report, type):
        return _plain(dataclasses.asdict(report))
    if isinstance(report, dict):
        return {str(k): _plain(v) for k, v in report.items()}
    if isinstance(report, list | tuple):
        return [_plain(v) for v in report]
    if report is None or isinstance(report, str | int | float | bool):
        return report
    return str(report)
