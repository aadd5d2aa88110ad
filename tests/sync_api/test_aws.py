"""The AWS stack without AWS: ops/aws/template.yaml linted by cfn-lint (with the SAM
transform) and read for what it must declare; the migrate custom resource driven through
CloudFormation's reply protocol against a local HTTP endpoint; the database secret read from
Secrets Manager and SSM as served by moto's server (standing in for AWS)."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, ClassVar

import boto3
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from story_gen.sync_api import Settings, create_app
from story_gen.sync_api.config import Settings as SettingsClass
from story_gen.sync_api.db_secret import SecretError, apply_secret
from story_gen.sync_api.migrate import current_revision, head_revision

from .conftest import settings_env
from .sam import TEMPLATE, function_environment, load_template

SETTINGS = {f"STORY_GEN_{name.upper()}" for name in SettingsClass.model_fields}


def test_cfn_lint_passes() -> None:
    done = subprocess.run(
        [str(Path(sys.executable).with_name("cfn-lint")), str(TEMPLATE)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_template_declares_what_a_private_subnet_deployment_needs() -> None:
    template = load_template()
    resources = template["Resources"]
    functions = template["Globals"]["Function"]
    runtime = functions["Runtime"]
    assert runtime.startswith("python3.")
    assert int(runtime.removeprefix("python3.")) >= 12

    api = resources["ApiFunction"]["Properties"]
    assert api["Handler"] == "story_gen.sync_api.lambda_handler.handler"
    assert api["SnapStart"] == {"ApplyOn": "PublishedVersions"}
    assert api["AutoPublishAlias"]  # SnapStart applies to published versions only
    event = api["Events"]["Api"]
    assert event["Type"] == "HttpApi"
    assert event["Properties"]["PayloadFormatVersion"] == "2.0"

    endpoint = resources["S3GatewayEndpoint"]
    assert endpoint["Type"] == "AWS::EC2::VPCEndpoint"
    assert endpoint["Properties"]["VpcEndpointType"] == "Gateway"
    assert endpoint["Properties"]["ServiceName"] == {"Sub": "com.amazonaws.${AWS::Region}.s3"}
    assert endpoint["Properties"]["RouteTableIds"] == {"Ref": "PrivateRouteTableIds"}

    variables = functions["Environment"]["Variables"]
    assert set(variables) <= SETTINGS
    assert variables["STORY_GEN_S3_REGION"] == {"Ref": "AWS::Region"}
    assert variables["STORY_GEN_DATABASE_SECRET_ARN"] == {"Ref": "DatabaseSecretArn"}
    assert variables["STORY_GEN_AUTO_MIGRATE"] == "false"
    environment = function_environment(DatabaseHost="db.internal")
    url = environment["STORY_GEN_DATABASE_URL"]
    assert url is not None
    assert make_url(url).password is None  # no secret in the environment
    assert not any(spec.get("NoEcho") for spec in template["Parameters"].values()), (
        "a secret passed as a parameter ends up in the function's plain environment"
    )
    # What the functions get are valid settings (with the bucket the stack creates).
    given: dict[str, Any] = {
        k.removeprefix("STORY_GEN_").lower(): v for k, v in environment.items() if v
    }
    Settings(**{**given, "s3_bucket": "from-the-stack"})

    migrations = resources["Migrations"]
    assert migrations["Type"] == "AWS::CloudFormation::CustomResource"
    assert migrations["Properties"]["ServiceToken"] == {"GetAtt": "JobsFunction.Arn"}
    assert resources["ApiFunction"]["DependsOn"] == "Migrations"

    jobs = resources["JobsFunction"]["Properties"]
    schedules = dict(jobs["Events"])
    inputs = {json.loads(event["Properties"]["Input"])["job"] for event in schedules.values()}
    assert {"backup", "gc"} <= inputs
    assert all(event["Type"] in {"ScheduleV2", "Schedule"} for event in schedules.values())


def test_every_handler_the_template_names_imports() -> None:
    """In a fresh interpreter, as Lambda loads them: each handler the template names."""
    template = load_template()
    handlers = [
        resource["Properties"]["Handler"]
        for resource in template["Resources"].values()
        if resource.get("Properties", {}).get("Handler")
    ]
    assert len(handlers) == 2
    script = "import importlib\n" + "".join(
        f"assert callable(getattr(importlib.import_module({module!r}), {attribute!r}))\n"
        for module, _, attribute in (handler.rpartition(".") for handler in handlers)
    )
    imported = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=False,
        env={**settings_env(Settings()), "STORY_GEN_AUTO_MIGRATE": "false"},
    )
    assert imported.returncode == 0, imported.stderr


class _CloudFormation(BaseHTTPRequestHandler):
    """Stands in for the pre-signed S3 URL a custom resource answers with a PUT."""

    replies: ClassVar[list[dict[str, Any]]] = []

    def do_PUT(self) -> None:
        length = int(self.headers["Content-Length"])
        type(self).replies.append(json.loads(self.rfile.read(length)))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *_args: Any) -> None:
        pass


@pytest.fixture
def response_url() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    replies: list[dict[str, Any]] = []
    handler = type("Replies", (_CloudFormation,), {"replies": replies})
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/reply?X-Amz-Signature=x", replies
    server.shutdown()
    server.server_close()


def custom_resource_event(request_type: str, url: str) -> dict[str, Any]:
    return {
        "RequestType": request_type,
        "ServiceToken": "arn:aws:lambda:eu-west-1:123456789012:function:jobs",
        "ResponseURL": url,
        "StackId": "arn:aws:cloudformation:eu-west-1:123456789012:stack/story-gen/guid",
        "RequestId": str(uuid.uuid4()),
        "LogicalResourceId": "Migrations",
        "ResourceType": "AWS::CloudFormation::CustomResource",
        "ResourceProperties": {"CodeVersion": "arn:...:function:jobs:7"},
    }


class _Context:
    log_stream_name = "2026/12/06/[7]abc"


def test_the_deploy_migrates_through_the_custom_resource(
    settings_for: Any,
    empty_postgres_url: str,
    response_url: tuple[str, list[dict[str, Any]]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from story_gen.sync_api import jobs_handler

    url, replies = response_url
    settings = settings_for("postgres", database_url=empty_postgres_url, auto_migrate=False)
    for name, value in settings_env(settings).items():
        monkeypatch.setenv(name, value)
    jobs_handler.handler(custom_resource_event("Create", url), _Context())
    [reply] = replies
    assert reply["Status"] == "SUCCESS", reply
    assert reply["LogicalResourceId"] == "Migrations"
    app = create_app(settings)
    assert current_revision(app.state.services.db.engine) == head_revision()
    with TestClient(app) as client:
        assert client.get("/healthz").status_code == 200
    app.state.services.db.dispose()

    jobs_handler.handler(custom_resource_event("Delete", url), _Context())
    assert replies[-1]["Status"] == "SUCCESS"  # the database outlives the stack

    monkeypatch.setenv("STORY_GEN_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:9/none")
    jobs_handler.handler(custom_resource_event("Update", url), _Context())
    assert replies[-1]["Status"] == "FAILED"  # the deploy fails and rolls back
    assert "log stream" in replies[-1]["Reason"]


def test_a_scheduled_job_that_fails_fails_the_invocation(monkeypatch: pytest.MonkeyPatch) -> None:
    from story_gen.sync_api import jobs_handler

    monkeypatch.setenv("STORY_GEN_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:9/none")
    with pytest.raises(RuntimeError, match="job backup failed"):
        jobs_handler.handler({"job": "backup"}, _Context())
    with pytest.raises(ValueError, match="unknown job"):
        jobs_handler.handler({"job": "nope"}, _Context())


@pytest.mark.parametrize(
    ("secret", "expected"),
    [
        (
            '{"username": "app", "password": "p@ss/word"}',
            "postgresql+psycopg://app:p%40ss%2Fword@db:5432/sg",
        ),
        (
            '{"username": "u", "password": "p", "host": "h", "port": 6543, "dbname": "d"}',
            "postgresql+psycopg://u:p@h:6543/d",
        ),
        ("postgresql+psycopg://x:y@z:1/w", "postgresql+psycopg://x:y@z:1/w"),
        ("just-the-password", "postgresql+psycopg://app:just-the-password@db:5432/sg"),
    ],
)
def test_secret_shapes(secret: str, expected: str) -> None:
    base = "postgresql+psycopg://app@db:5432/sg"
    if ("username" not in secret and "://" not in secret) or "://" in secret:
        assert apply_secret(base, secret) == expected
    else:
        assert apply_secret("postgresql+psycopg://db:5432/sg", secret) == expected


def test_a_secret_without_a_password_is_refused() -> None:
    with pytest.raises(SecretError, match="password"):
        apply_secret("postgresql+psycopg://db/sg", '{"username": "app"}')


@pytest.mark.parametrize("store", ["secretsmanager", "ssm"])
def test_the_database_credentials_come_from_the_secret_store(
    store: str,
    postgres_url: str,
    s3_endpoint: str,
    settings_for: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The app connects with the credentials of a secret it reads once, on first use."""
    real = make_url(postgres_url)
    monkeypatch.setenv("AWS_ENDPOINT_URL_SECRETS_MANAGER", s3_endpoint)
    monkeypatch.setenv("AWS_ENDPOINT_URL_SSM", s3_endpoint)
    secret = json.dumps({"username": real.username, "password": "unused-with-trust-auth"})
    name = f"story-gen-db-{uuid.uuid4().hex[:8]}"
    if store == "secretsmanager":
        client = boto3.client("secretsmanager", region_name="eu-west-1", endpoint_url=s3_endpoint)
        arn = client.create_secret(Name=name, SecretString=secret)["ARN"]
    else:
        client = boto3.client("ssm", region_name="eu-west-1", endpoint_url=s3_endpoint)
        client.put_parameter(Name=f"/{name}", Value=secret, Type="SecureString")
        arn = f"arn:aws:ssm:eu-west-1:123456789012:parameter/{name}"
    without_user = real._replace(username=None, password=None).render_as_string(hide_password=False)
    settings = settings_for(
        "postgres", database_url=without_user, database_secret_arn=arn, auto_migrate=False
    )
    assert make_url(settings.database_url or "").username is None
    app = create_app(settings)
    with TestClient(app) as client_:
        assert client_.get("/healthz").json()["checks"]["database"] == "ok"
    assert app.state.services.db.engine.url.username == real.username
    app.state.services.db.dispose()


def test_a_secret_arn_needs_the_url_it_completes() -> None:
    with pytest.raises(ValueError, match="STORY_GEN_DATABASE_URL"):
        Settings(database_secret_arn="arn:aws:secretsmanager:eu-west-1:1:secret:x")
