"""Loaders: document files in, :class:`~policykg.graph.model.ParsedDocument` out; they never touch a store.

>>> from policykg.loaders import parse_text
>>> doc = parse_text("1.建设平台。（海关总署、商务部负责）", source="x.txt")
>>> [(a.as_written, a.role) for a in doc.measures[0].assignments]
[('海关总署', 'joint'), ('商务部', 'joint')]
"""

from __future__ import annotations

from policykg import _compiled

_compiled.activate()  # before any of the parser's modules is imported: the build, or its source

from policykg.loaders.parser import parse_file, parse_text  # noqa: E402  (after activate)
from policykg.loaders.reading import DEFAULT_MAX_BYTES  # noqa: E402

__all__ = ["DEFAULT_MAX_BYTES", "parse_file", "parse_text"]
