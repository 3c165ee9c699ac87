"""policykg: a knowledge graph of government policy measures from Chinese task-decomposition documents."""

__version__ = "0.1.0"
