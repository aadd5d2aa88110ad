"""Settings: every knob of the sync API, read from ``STORY_GEN_*`` environment variables.

This class is the single source of the names; docs/settings.md documents each one and a test
checks that the page and the class agree. The defaults are the embedded single-user setup
(SQLite + a blob folder under ``work/local``); hosted deployments set the database URL, the
S3 bucket and the CORS allowlist (see ops/ and docs/deployment.md).
"""

from __future__ import annotations

from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

__all__ = ["LONGEST_PUSH_SECONDS", "OWASP_ARGON2ID_MINIMUM", "Settings"]

OWASP_ARGON2ID_MINIMUM = {"memory_kib": 19_456, "time_cost": 2, "parallelism": 1}
"""OWASP Password Storage Cheat Sheet's weakest acceptable argon2id configuration."""

LONGEST_PUSH_SECONDS = 900
"""The longest a push can run between uploading its blob and committing its row: Lambda's
largest function timeout (15 minutes). A merge is bounded by the diff budget (ADR 0070) and
takes seconds at most, so the embedded server and containers finish far sooner."""


class Settings(BaseSettings):
    """Sync API settings. Field ``x`` is read from the environment variable ``STORY_GEN_X``."""

    model_config = SettingsConfigDict(env_prefix="STORY_GEN_", frozen=True, extra="ignore")

    stage: str = Field(default="local", description="Deployment stage shown by GET /api/v1.")
    data_dir: Path = Field(
        default=Path("work/local"),
        description="Folder of the embedded default: the SQLite file and the blob folder.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; unset means SQLite at <data_dir>/story_gen.db. "
        "Postgres: postgresql+psycopg://user:pass@host:5432/db.",
    )
    db_pool_size: int = Field(default=5, ge=1, le=100, description="Connections kept per process.")
    auto_migrate: bool = Field(
        default=True,
        description="Run `alembic upgrade head` at startup (embedded default). Hosted "
        "deployments run the migrate step instead and set this to false.",
    )
    blob_store: Literal["folder", "s3"] = Field(
        default="folder", description="Where revision documents are kept."
    )
    blob_dir: Path | None = Field(
        default=None, description="Blob folder; unset means <data_dir>/blobs."
    )
    s3_bucket: str | None = Field(default=None, description="Bucket (required for s3).")
    s3_prefix: str = Field(default="", description="Key prefix inside the bucket, e.g. `prod/`.")
    s3_endpoint_url: str | None = Field(
        default=None,
        description="Any S3-compatible endpoint (MinIO, Spaces); unset means AWS S3.",
    )
    s3_region: str = Field(default="us-east-1", description="Region for signing requests.")
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Comma-separated allowlist of browser origins, e.g. "
        "`https://me.github.io`. `*` is refused.",
    )
    trusted_proxies: Annotated[list[IPv4Network | IPv6Network], NoDecode] = Field(
        default_factory=list,
        description="Comma-separated addresses or CIDR ranges of the reverse proxies in front "
        "of the API, whose `X-Forwarded-For` names the client (Caddy on a compose network: "
        "`10.0.0.0/8,172.16.0.0/12,192.168.0.0/16`). Empty: no proxy; the connection's "
        "address is the client's and `X-Forwarded-For` is ignored (also right for Lambda "
        "behind API Gateway, which passes the caller's address itself).",
    )
    web_dir: Path | None = Field(
        default=None,
        description="Built studio folder served at `/` (same origin as the API); "
        "unset means no studio.",
    )
    token_ttl_seconds: int = Field(
        default=7 * 24 * 3600, ge=60, description="Lifetime of an access token."
    )
    argon2_time_cost: int = Field(default=3, ge=1, description="argon2id iterations.")
    argon2_memory_kib: int = Field(default=65_536, ge=8, description="argon2id memory (KiB).")
    argon2_parallelism: int = Field(default=4, ge=1, description="argon2id lanes.")
    login_window_seconds: int = Field(
        default=900, ge=1, description="Window over which failed logins are counted."
    )
    login_max_failures_per_account: int = Field(
        default=5,
        ge=1,
        description="Failed logins per e-mail from one client address per window before 429 "
        "(per address, so nobody elsewhere can lock the owner out).",
    )
    login_max_failures_per_address: int = Field(
        default=30, ge=1, description="Failed logins per client address per window before 429."
    )
    register_max_per_address: int = Field(
        default=10,
        ge=1,
        description="Registrations (successful or not) per client address per login window "
        "before 429.",
    )
    max_request_bytes: int = Field(
        default=8 * 1024 * 1024, ge=1024, description="Largest request body (413 above)."
    )
    max_blueprint_bytes: int = Field(
        default=4 * 1024 * 1024,
        ge=256,
        description="Largest blueprint, as canonical JSON bytes (413 above).",
    )
    max_push_changes: int = Field(default=50, ge=1, description="Changes per push (413 above).")
    max_stories_per_account: int = Field(
        default=1000,
        ge=1,
        description="Stories one account may hold, the bin included (413 "
        "`story_quota_exceeded` on creating one more).",
    )
    max_account_bytes: int = Field(
        default=2 * 1024 * 1024 * 1024,
        ge=1024,
        description="Bytes of revisions one account may store as stored (compressed snapshots "
        "and deltas), history included (413 `storage_quota_exceeded` on a write past it).",
    )
    max_revisions_per_story: int = Field(
        default=10_000,
        ge=2,
        description="Revisions kept per story: past it, a write prunes the oldest (never the "
        "head); at most this many plus `STORY_GEN_REVISION_SNAPSHOT_EVERY` stay (ADR 0082).",
    )
    revision_snapshot_every: int = Field(
        default=50,
        ge=1,
        description="A revision is stored whole (a compressed snapshot) at least every this "
        "many revisions of a story, the others as compressed deltas (ADR 0081).",
    )
    max_pull_page: int = Field(default=100, ge=1, description="Largest pull page.")
    max_response_bytes: int = Field(
        default=5 * 1024 * 1024,
        ge=1024,
        description="Bytes of stories a pull page or a page of `GET /api/v1/stories` carries "
        "before it ends (a next page follows); one story larger than this still comes alone. "
        "The default stays under Lambda's 6 MB response limit.",
    )
    anomaly_max_rows: int = Field(default=10_000, ge=10, description="Anomaly events kept.")
    anomaly_max_age_days: int = Field(default=30, ge=1, description="Anomaly events' lifetime.")
    push_budget_seconds: int = Field(
        default=20,
        ge=1,
        description="A push starts no further change after this many seconds (503 "
        "`push_budget_exceeded`: send it again, the changes made answer from storage); each "
        "change's own work is bounded by the diff budget (ADR 0083).",
    )
    merge_workers: int = Field(
        default=0,
        ge=0,
        le=64,
        description="Worker processes for pushes' three-way merges, so a costly merge does not "
        "share the serving process's interpreter lock; 0 merges in the request's thread "
        "(needed on Lambda) (ADR 0084).",
    )
    push_result_max_age_days: int = Field(
        default=90,
        ge=1,
        description="How long a push's stored result answers a retry of its change_id (the "
        "replay window); older results are pruned. A change retried later is merged again, "
        "which never loses an edit.",
    )
    blob_gc_interval_seconds: int = Field(
        default=3600,
        ge=0,
        description="Period of the maintenance jobs the API process schedules (blob GC, "
        "pruning of tokens and login failures, anomaly pruning); 0 turns the schedule off.",
    )
    blob_gc_grace_seconds: int = Field(
        default=24 * 3600,
        description="A blob without a revision row is collected only when older than this "
        "(a push uploads its blob before committing its row); at least 900, the longest a "
        "push can run (Lambda's largest timeout).",
    )
    document_cache_bytes: int = Field(
        default=64 * 1024 * 1024,
        ge=0,
        description="Parsed story documents kept in memory per process, bounded by the size "
        "of their JSON (the parsed objects take about 2.5 times that); 0 turns the cache off.",
    )
    log_level: str = Field(default="INFO", description="Python logging level of the JSON logs.")
    log_file: Path | None = Field(
        default=None,
        description="Also write the JSON logs to this file, rotated by size; unset means "
        "stdout only.",
    )
    log_file_max_bytes: int = Field(
        default=10 * 1024 * 1024, ge=1024, description="Size at which the log file is rotated."
    )
    log_file_backups: int = Field(
        default=5, ge=1, description="Rotated log files kept (`<log_file>.1` ... `.N`)."
    )
    database_secret_arn: str | None = Field(
        default=None,
        description="ARN of a Secrets Manager secret or an SSM SecureString parameter holding "
        "the database credentials, resolved once per process (and again after a SnapStart "
        "restore). A JSON secret supplies `username`/`password` (and `host`/`port`/`dbname` if "
        "present) to the password-less `STORY_GEN_DATABASE_URL`; a plain string is a whole "
        "URL or the password.",
    )
    api_gateway_base_path: str = Field(
        default="/",
        description="Lambda only: the path prefix API Gateway puts before every route, `/<stage>` "
        "for a named stage (the SAM template sets it); `/` for `$default` or a custom domain.",
    )
    metrics_enabled: bool = Field(
        default=True, description="Serve Prometheus metrics at GET /metrics."
    )
    metrics_token: str | None = Field(
        default=None,
        description="When set, GET /metrics needs `Authorization: Bearer <token>` (401 "
        "otherwise); unset means open (keep /metrics on an internal network).",
    )
    job_queue: Literal["inprocess", "redis"] = Field(
        default="inprocess",
        description="Where background jobs run: `inprocess` (threads of the API process) or "
        "`redis` (an RQ queue served by `story-gen-sync-api worker`).",
    )
    redis_url: str = Field(
        default="redis://127.0.0.1:6379/0", description="Redis of the `redis` job queue."
    )
    job_queue_name: str = Field(
        default="story-gen", min_length=1, description="Name of the RQ queue (keys `rq:*`)."
    )
    job_retries: int = Field(
        default=3, ge=0, le=20, description="Retries of a failed job before it is given up."
    )
    job_retry_delay_seconds: int = Field(
        default=10,
        ge=0,
        description="Wait before a failed job's first retry; the second waits 6 times as long, "
        "later ones 30 times.",
    )
    job_timeout_seconds: int = Field(
        default=1800, ge=10, description="A job running longer than this is stopped (redis)."
    )
    backup_dest: str | None = Field(
        default=None,
        description="Where the scheduled backup job writes: a folder or `s3://bucket/prefix`; "
        "unset means no scheduled backup.",
    )
    backup_interval_seconds: int = Field(
        default=0,
        ge=0,
        description="In-process schedule of the backup job (needs `STORY_GEN_BACKUP_DEST`); 0 "
        "leaves scheduling to cron / EventBridge.",
    )

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _split_proxies(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [part.strip() for part in value.split(",") if part.strip()]
            try:
                return [ip_network(part, strict=False) for part in parts]
            except ValueError as error:
                raise ValueError(
                    f"STORY_GEN_TRUSTED_PROXIES: {error}; list addresses or CIDR ranges "
                    "such as 10.0.0.0/8, separated by commas"
                ) from None
        return value

    @field_validator("blob_gc_grace_seconds")
    @classmethod
    def _grace_outlasts_a_push(cls, value: int) -> int:
        if value < LONGEST_PUSH_SECONDS:
            raise ValueError(
                f"STORY_GEN_BLOB_GC_GRACE_SECONDS={value} is shorter than the longest push "
                f"({LONGEST_PUSH_SECONDS} s): the collector could delete a blob a push "
                f"uploaded but has not committed yet; set it to at least {LONGEST_PUSH_SECONDS} "
                "(the default is 86400, a day)"
            )
        return value

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("cors_origins")
    @classmethod
    def _no_wildcard(cls, origins: list[str]) -> list[str]:
        for origin in origins:
            if "*" in origin:
                raise ValueError(
                    "STORY_GEN_CORS_ORIGINS is an allowlist: list each origin "
                    "(e.g. https://me.github.io) instead of '*'"
                )
            if not origin.startswith(("http://", "https://")) or origin.endswith("/"):
                raise ValueError(
                    f"CORS origin {origin!r} must look like https://host[:port] with no path"
                )
        return origins

    @field_validator(
        "database_url",
        "database_secret_arn",
        "s3_bucket",
        "s3_endpoint_url",
        "metrics_token",
        "backup_dest",
        "web_dir",
        "blob_dir",
        "log_file",
        mode="before",
    )
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        # An env file line `STORY_GEN_X=` (or compose's `${X-}`) means "not set", never "".
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("api_gateway_base_path")
    @classmethod
    def _base_path_shape(cls, value: str) -> str:
        if not value.startswith("/") or (value != "/" and value.endswith("/")):
            raise ValueError(
                f"STORY_GEN_API_GATEWAY_BASE_PATH {value!r} must be `/` or `/<stage>` "
                "(a leading slash, no trailing one)"
            )
        return value

    @model_validator(mode="after")
    def _s3_needs_bucket(self) -> Settings:
        if self.blob_store == "s3" and not self.s3_bucket:
            raise ValueError("STORY_GEN_BLOB_STORE=s3 needs STORY_GEN_S3_BUCKET")
        return self

    @model_validator(mode="after")
    def _secret_needs_url(self) -> Settings:
        if self.database_secret_arn and not self.database_url:
            raise ValueError(
                "STORY_GEN_DATABASE_SECRET_ARN completes STORY_GEN_DATABASE_URL: set that too "
                "(host, port and database, e.g. postgresql+psycopg://db.internal:5432/storygen)"
            )
        return self

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'story_gen.db').resolve()}"

    @property
    def resolved_blob_dir(self) -> Path:
        return self.blob_dir if self.blob_dir is not None else self.data_dir / "blobs"

    @property
    def is_sqlite(self) -> bool:
        return self.resolved_database_url.startswith("sqlite")
