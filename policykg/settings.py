"""The one settings class. Only the CLI and the API read it; library code takes arguments.

Every field can be set from the environment with the ``POLICYKG_`` prefix,
e.g. ``POLICYKG_BACKEND=neo4j POLICYKG_NEO4J_URI=bolt://127.0.0.1:7687``.

>>> Settings(backend="embedded").backend
'embedded'
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="POLICYKG_", env_file=None, extra="ignore")

    backend: Literal["embedded", "neo4j"] = "embedded"
    store_dir: Path = Field(default=Path(".policykg/store"), description="Embedded store directory.")
    neo4j_uri: str = "bolt://127.0.0.1:7687"
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr = SecretStr("")
    neo4j_database: str = "neo4j"
    api_token: SecretStr | None = Field(default=None, description="Bearer token for writes; unset disables writes.")
    max_upload_bytes: int = 20 * 1024 * 1024
    explorer_dir: Path = Path(".policykg/explorer")
