"""The database URL with its credentials from AWS Secrets Manager or SSM Parameter Store.

Hosted on AWS, the password never sits in a plain environment variable:
``STORY_GEN_DATABASE_URL`` names host, port and database (no password) and
``STORY_GEN_DATABASE_SECRET_ARN`` the secret that completes it. The secret is read when the
engine is created (once per process; again after a SnapStart restore, which resets the engine),
never per request. boto3 is imported only then.

Secret shapes understood (``SecretString`` or the decrypted parameter value):

- JSON, as RDS writes for a managed master password (``{"username", "password"}``) or for
  rotation (``host``, ``port``, ``dbname`` too): each key present replaces that part of the URL;
- a whole SQLAlchemy/libpq URL (``postgresql+psycopg://...``);
- anything else: the password alone.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy.engine import URL, make_url

from story_gen.sync_api.config import Settings
from story_gen.sync_api.db import Database

__all__ = ["SecretError", "apply_secret", "database_for", "read_secret"]


class SecretError(Exception):
    """The secret cannot be read or does not describe database credentials."""


def read_secret(arn: str) -> str:
    """The secret's text: a Secrets Manager secret or an SSM (SecureString) parameter, by ARN."""
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn" or parts[2] not in {"secretsmanager", "ssm"}:
        raise SecretError(
            f"STORY_GEN_DATABASE_SECRET_ARN {arn!r} is not the ARN of a Secrets Manager secret "
            "(arn:aws:secretsmanager:...) or an SSM parameter (arn:aws:ssm:...:parameter/...)"
        )
    service, region = parts[2], parts[3]
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    client = boto3.session.Session().client(service, region_name=region or None)  # type: ignore[call-overload]
    try:
        if service == "secretsmanager":
            value = client.get_secret_value(SecretId=arn).get("SecretString")
        else:
            value = client.get_parameter(Name=arn, WithDecryption=True)["Parameter"]["Value"]
    except (BotoCoreError, ClientError) as error:
        raise SecretError(f"cannot read the database secret {arn!r}: {error}") from error
    if not isinstance(value, str) or not value:
        raise SecretError(f"the database secret {arn!r} has no text value")
    return str(value)


def apply_secret(url: str, secret: str) -> str:
    """``url`` completed by ``secret`` (see the module docstring for the shapes)."""
    text = secret.strip()
    if text.startswith("{"):
        try:
            fields = json.loads(text)
        except json.JSONDecodeError as error:
            raise SecretError(f"the database secret is not valid JSON: {error.msg}") from None
        if not isinstance(fields, dict) or "password" not in fields:
            raise SecretError("the database secret's JSON must hold at least `password`")
        parsed: URL = make_url(url)
        updates: dict[str, object] = {"password": str(fields["password"])}
        for key, part in (("username", "username"), ("host", "host"), ("dbname", "database")):
            if fields.get(key):
                updates[part] = str(fields[key])
        if fields.get("port"):
            updates["port"] = int(fields["port"])
        return parsed.set(**updates).render_as_string(hide_password=False)  # type: ignore[arg-type]
    if "://" in text:
        return text
    return make_url(url).set(password=text).render_as_string(hide_password=False)


def database_for(settings: Settings, *, pool_size: int | None = None) -> Database:
    """The :class:`Database` the settings describe, credentials resolved on first connect."""
    resolve: Callable[[], str] | None = None
    arn = settings.database_secret_arn
    if arn:
        base = settings.resolved_database_url

        def resolve() -> str:
            return apply_secret(base, read_secret(arn))

    return Database(
        settings.resolved_database_url,
        pool_size=pool_size if pool_size is not None else settings.db_pool_size,
        resolve_url=resolve,
    )
