"""The one settings class. Only the CLI and the API read it; library code takes arguments.

Every field can be set from the environment with the ``POLICYKG_`` prefix,
e.g. ``POLICYKG_BACKEND=neo4j POLICYKG_NEO4J_URI=bolt://127.0.0.1:7687``.

>>> Settings(backend="embedded").backend
'embedded'
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import Field, HttpUrl, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

if TYPE_CHECKING:
    from policykg.graph.store import GraphStore
    from policykg.loaders.limits import ReadLimits


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
    public_base_url: HttpUrl | None = Field(
        default=None,
        description="The server's public URL (e.g. https://kg.example.org) for absolute next links; "
        "unset, links are relative. The request's Host header is never used.",
    )
    render_workers: int = Field(default=2, ge=1, le=64, description="Charts, graph pages and analytics at once.")
    render_queue: int = Field(default=100, ge=0, description="Renders waiting beyond which the answer is 503.")
    cache_seconds: float = Field(default=300.0, gt=0, description="Longest a cached render is reused.")
    slow_query_ms: float | None = Field(
        default=1000.0, gt=0, description="Named queries slower than this many milliseconds are logged; unset: none."
    )
    buffer_pool_mb: int = Field(
        default=512,
        ge=64,
        le=1024 * 1024,
        description="The embedded engine's page cache in MiB; the workload list over a million measures "
        "needs about 2048.",
    )
    read_only: bool = Field(
        default=False,
        description="Open the embedded store for reading only and refuse writes (the workers of "
        "`policykg serve --workers N`, beside one writing process such as `policykg load`).",
    )
    rate_limit: str | None = Field(
        default=None, description="Requests per client address, e.g. 120/minute (limits syntax); unset, no limit."
    )
    log_level: Literal["debug", "info", "warning", "error"] = Field(
        default="warning", description="Least severe policykg log record shown (the CLI's -v and -vv lower it)."
    )

    @field_validator("log_level", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value

    @field_validator("public_base_url", "rate_limit", "slow_query_ms", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        # POLICYKG_PUBLIC_BASE_URL= (set but empty) means "not configured", as for a shell default.
        return None if value == "" else value

    # Reading one document (see policykg.loaders.limits): a time budget, OCR of pages with no text.
    parse_time_budget_s: float = Field(default=300.0, description="Seconds one document may take to read; 0: none.")
    ocr: bool = Field(default=True, description="Read pages with no text layer (scans, images) by OCR.")
    ocr_max_pages: int = Field(default=30, description="Most pages of one document read by OCR.")

    def read_limits(self, max_bytes: int | None = None) -> ReadLimits:
        """The bounds on reading one document that these settings give.

        >>> Settings(ocr=False).read_limits(1000).ocr
        False
        """
        from policykg.loaders.limits import ReadLimits

        return ReadLimits(
            max_bytes=max_bytes if max_bytes is not None else self.max_upload_bytes,
            time_budget_s=self.parse_time_budget_s,
            ocr=self.ocr,
            ocr_max_pages=self.ocr_max_pages,
        )

    def open_store(self, *, read_only: bool = False) -> GraphStore:
        """The store ``backend`` names: the embedded directory or the Neo4j server.

        ``read_only`` opens the embedded store for reading only, so several processes can read
        while one writes; Neo4j ignores it (reads run in read transactions anyway).

        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     store = Settings(store_dir=tmp, slow_query_ms=250, buffer_pool_mb=2048).open_store()
        ...     (store.dialect, store.slow_query_ms, store.buffer_pool_mb)
        ...     store.close()
        ('embedded', 250.0, 2048)
        """
        from policykg.graph.open import open_store_at

        if self.backend == "neo4j":
            return open_store_at(
                "neo4j",
                self.neo4j_uri,
                user=self.neo4j_user,
                password=self.neo4j_password.get_secret_value(),
                database=self.neo4j_database,
                slow_query_ms=self.slow_query_ms,
            )
        return open_store_at(
            "embedded",
            self.store_dir,
            read_only=read_only,
            slow_query_ms=self.slow_query_ms,
            buffer_pool_mb=self.buffer_pool_mb,
        )
