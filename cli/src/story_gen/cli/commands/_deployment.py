"""What ``backup`` and ``restore`` share: the deployment's services from its ``STORY_GEN_*``
settings, read exactly as the API reads them, and server dependencies imported on use."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from story_gen.sync_api.services import Services


def deployment_services() -> Services:
    try:
        from pydantic import ValidationError

        from story_gen.sync_api.config import Settings
        from story_gen.sync_api.services_factory import services_from_settings
    except ImportError as error:  # pragma: no cover - depends on the installed extras
        raise click.ClickException(
            f"this command needs the server ({error.name} is missing): "
            "pip install 'story-gen-cli[serve]'"
        ) from error
    try:
        settings = Settings()
    except ValidationError as error:
        raise click.ClickException(f"invalid STORY_GEN_* settings: {error}") from None
    return services_from_settings(settings)
