"""AWS Lambda entry point for the jobs: the EventBridge schedules (``{"job": "gc"}``,
``{"job": "backup"}``), a direct invocation (``{"job": "migrate"}``), and the migrate step of
every deploy, invoked by CloudFormation as a custom resource (ops/aws/template.yaml).

The same code as ``story-gen-sync-api``. A custom resource is answered by an HTTPS PUT of its
result to the pre-signed ``ResponseURL`` CloudFormation gives (its documented protocol): on
Create and Update the migrations run and their failure fails the deploy (CloudFormation rolls
back); Delete changes nothing (the database outlives the stack).
"""

from __future__ import annotations

import json
import urllib.request
from typing import Any

from story_gen.sync_api.__main__ import main

__all__ = ["handler"]

JOB_COMMANDS = {
    "migrate": ["migrate"],
    "gc": ["gc"],
    "backup": ["run", "backup"],
    "blob_gc": ["run", "blob_gc"],
    "prune": ["run", "prune"],
    "prune_anomalies": ["run", "prune_anomalies"],
}


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    if "RequestType" in event and "ResponseURL" in event:
        return _custom_resource(event, context)
    job = str(event.get("job", "gc"))
    command = JOB_COMMANDS.get(job)
    if command is None:
        raise ValueError(f"unknown job {job!r}; jobs are {', '.join(sorted(JOB_COMMANDS))}")
    exit_code = main(command)
    if exit_code != 0:
        # A failed invocation is what Lambda retries and what CloudWatch alarms count.
        raise RuntimeError(f"job {job} failed (exit code {exit_code}); see the log above")
    return {"job": job, "exit_code": exit_code}


def _custom_resource(event: dict[str, Any], context: Any) -> dict[str, Any]:
    status, reason = "SUCCESS", "nothing to do on Delete"
    if event["RequestType"] in {"Create", "Update"}:
        try:
            exit_code = main(["migrate"])
        except Exception as error:
            exit_code, reason = 1, f"migrate raised {type(error).__name__}: {error}"
        if exit_code == 0:
            reason = "migrations applied"
        else:
            status = "FAILED"
            if not reason.startswith("migrate raised"):
                reason = f"migrate exited {exit_code}"
    log_stream = getattr(context, "log_stream_name", "") or ""
    body = {
        "Status": status,
        "Reason": f"{reason} (log stream {log_stream})" if log_stream else reason,
        "PhysicalResourceId": event.get("PhysicalResourceId") or "story-gen-migrations",
        "StackId": event["StackId"],
        "RequestId": event["RequestId"],
        "LogicalResourceId": event["LogicalResourceId"],
        "NoEcho": False,
        "Data": {},
    }
    data = json.dumps(body).encode()
    request = urllib.request.Request(
        event["ResponseURL"],
        data=data,
        method="PUT",
        headers={"Content-Type": "", "Content-Length": str(len(data))},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
    return body
