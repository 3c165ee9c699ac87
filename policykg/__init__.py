"""policykg: a knowledge graph of government policy measures from Chinese task-decomposition documents.

``policykg.connect(path_or_uri)`` opens a store for notebooks and scripts (see :mod:`policykg.kg`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["KnowledgeGraph", "__version__", "connect"]

if TYPE_CHECKING:
    from policykg.kg import KnowledgeGraph, connect


def __getattr__(name: str) -> Any:
    # Imported on first use, so `import policykg` (and the CLI's start-up) stays light.
    if name in {"connect", "KnowledgeGraph"}:
        from policykg import kg

        return getattr(kg, name)
    raise AttributeError(f"module 'policykg' has no attribute {name!r}")
