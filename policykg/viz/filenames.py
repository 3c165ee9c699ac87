"""File names for the explorer's pages: readable, safe on every file system, never colliding.

>>> page = agency_page("省经信委")
>>> page.startswith("agencies/省经信委-"), page.endswith(".html"), len(page) == len("agencies/省经信委-12345678.html")
(True, True, True)
>>> agency_page("../etc/passwd").startswith("agencies/etc_passwd-")
True
>>> document_page("doc-0123456789ab")
'documents/doc-0123456789ab.html'
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

AGENCY_DIR = "agencies"
DOCUMENT_DIR = "documents"
_UNSAFE = re.compile(r"[^\w-]+")
_MAX_STEM = 48


def safe_stem(name: str) -> str:
    """Word characters (CJK included) of ``name`` plus a short digest of the whole name.

    The digest keeps two names that clean to the same text (``a/b`` and ``a b``) apart.

    >>> safe_stem("a/b") != safe_stem("a b")
    True
    """
    cleaned = _UNSAFE.sub("_", unicodedata.normalize("NFKC", name)).strip("_.-")[:_MAX_STEM] or "unnamed"
    digest = hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
    return f"{cleaned}-{digest}"


def agency_page(name: str) -> str:
    """Path of an agency's page relative to the site root."""
    return f"{AGENCY_DIR}/{safe_stem(name)}.html"


def document_page(doc_id: str) -> str:
    """Path of a document's page relative to the site root."""
    return f"{DOCUMENT_DIR}/{safe_stem(doc_id) if _UNSAFE.search(doc_id) else doc_id}.html"


def measure_anchor(measure_id: str) -> str:
    """The HTML id of a measure on its document's page.

    >>> measure_anchor("doc-1~三.一.1").startswith("m-三_一_1-")
    True
    >>> measure_anchor("doc-1~三.一.1") == measure_anchor("doc-2~三.一.1") != measure_anchor("doc-1~三.一.2")
    True
    """
    return "m-" + safe_stem(measure_id.split("~", 1)[-1])
