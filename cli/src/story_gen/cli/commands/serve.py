"""``story-gen serve``: the studio and the sync API from one origin, on the embedded default.

SQLite at ``<data-dir>/story_gen.db`` and revision blobs under ``<data-dir>/blobs``, both
created on first run, migrations applied at startup. Every ``STORY_GEN_*`` setting
(docs/settings.md) still applies; the options here override them. The server's dependencies
are imported only when this command runs (``pip install 'story-gen-cli[serve]'``).
"""

from __future__ import annotations

from pathlib import Path

import click


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where the database and blobs live [default: work/local or STORY_GEN_DATA_DIR].",
)
@click.option(
    "--web-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The built studio served at / [default: build/web or STORY_GEN_WEB_DIR].",
)
def command(host: str, port: int, data_dir: Path | None, web_dir: Path | None) -> None:
    """Run the studio and the sync API locally (uvicorn, SQLite, a blob folder)."""
    try:
        import uvicorn

        from story_gen.sync_api import Settings, create_app
    except ImportError as error:  # pragma: no cover - depends on the installed extras
        raise click.ClickException(
            f"`story-gen serve` needs the server ({error.name} is missing): "
            "pip install 'story-gen-cli[serve]'"
        ) from error

    overrides: dict[str, object] = {}
    if data_dir is not None:
        overrides["data_dir"] = data_dir
    if web_dir is not None:
        overrides["web_dir"] = web_dir
    settings = Settings(**overrides)  # type: ignore[arg-type]
    if settings.web_dir is None:
        settings = settings.model_copy(update={"web_dir": Path("build/web")})
    app = create_app(settings)
    where = "the embedded SQLite" if settings.is_sqlite else "the configured database"
    click.echo(
        f"story_gen studio on http://{host}:{port}/ (API at /api/v1, schema at /openapi.json); "
        f"data in {where} under {settings.data_dir}",
        err=True,
    )
    # The app resolves the client's address itself (STORY_GEN_TRUSTED_PROXIES); uvicorn's own
    # X-Forwarded-For rewrite would let a local caller pick the address its login limit counts.
    uvicorn.run(
        app, host=host, port=port, log_level="warning", access_log=False, proxy_headers=False
    )
