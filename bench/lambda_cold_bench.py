"""Lambda cold start: import of the handler module + first request, vs a bare FastAPI + Mangum
hello app, each in fresh interpreters in the same run.

    python bench/lambda_cold_bench.py [--runs N] [--shapes embedded,hosted] [--bytecode none]

The first request is an API Gateway HTTP API (v2) event for ``GET /healthz``, which reaches the
database and the object store, or ``GET /hello`` (the bare app). The handler runs in two shapes,
each migrated beforehand like a deploy step would: ``embedded`` (SQLite + blob folder in a
scratch dir) and ``hosted``, the shape Lambda runs (PostgreSQL + S3 over HTTP, via
bench/_hosted.py; needs PostgreSQL on 127.0.0.1:5432). AWS itself is not here: this measures
the Python part of a cold start (imports, app construction, first invocation), which is what
our code controls. Probes alternate between the apps so that load from elsewhere on the
machine falls on all of them alike.

Bytecode: a deployment package ships compiled ``.pyc`` files (ops/aws/build-lambda.sh compiles
them with ``--invalidation-mode unchecked-hash``, since Lambda's code directory is read-only
and a zip does not keep exact modification times). By default each app is imported once,
untimed, into a scratch ``PYTHONPYCACHEPREFIX`` so the timed runs read bytecode as Lambda
would. ``--bytecode none`` measures without any (every module compiled from source on every
start, which is what an environment with ``PYTHONDONTWRITEBYTECODE=1`` and an install without
``.pyc`` files does).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench._hosted import hosted_env

PROBE = r"""
import json, sys, time
t0 = time.perf_counter()
import importlib
module = importlib.import_module(sys.argv[1])
t1 = time.perf_counter()
event = {
    "version": "2.0", "routeKey": "$default", "rawPath": sys.argv[2], "rawQueryString": "",
    "headers": {"host": "x.execute-api.eu-west-1.amazonaws.com"},
    "requestContext": {"http": {"method": "GET", "path": sys.argv[2], "protocol": "HTTP/1.1",
                                "sourceIp": "203.0.113.1", "userAgent": "bench"},
                       "requestId": "r", "routeKey": "$default", "stage": "$default",
                       "accountId": "1", "apiId": "x", "domainName": "x", "domainPrefix": "x",
                       "time": "t", "timeEpoch": 0},
    "body": None, "isBase64Encoded": False,
}
class Ctx:
    def get_remaining_time_in_millis(self): return 30000
response = module.handler(event, Ctx())
t2 = time.perf_counter()
response2 = module.handler(event, Ctx())
t3 = time.perf_counter()
assert response["statusCode"] == 200, response
print(json.dumps({"import_ms": (t1 - t0) * 1000, "first_request_ms": (t2 - t1) * 1000,
                  "warm_request_ms": (t3 - t2) * 1000}))
"""

HELLO = """
from fastapi import FastAPI
from mangum import Mangum

app = FastAPI()


@app.get("/hello")
def hello() -> dict[str, str]:
    return {"hello": "world"}


handler = Mangum(app, lifespan="off")
"""


def probe(module: str, path: str, env: dict[str, str]) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, module, path],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def summarise(samples: list[dict[str, float]]) -> dict[str, float]:
    summary = {
        key: round(statistics.median(s[key] for s in samples), 1)
        for key in ("import_ms", "first_request_ms", "warm_request_ms")
    }
    summary["cold_total_ms"] = round(
        statistics.median(s["import_ms"] + s["first_request_ms"] for s in samples), 1
    )
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--shapes", default="embedded,hosted")
    parser.add_argument("--bytecode", choices=["cached", "none"], default="cached")
    args = parser.parse_args()
    shapes = [shape for shape in args.shapes.split(",") if shape]
    with tempfile.TemporaryDirectory() as scratch, ExitStack() as stack:
        root = Path(scratch)
        (root / "hello_lambda.py").write_text(HELLO, encoding="utf-8")
        base = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]),
            "STORY_GEN_DATA_DIR": str(root / "data"),
            "STORY_GEN_AUTO_MIGRATE": "false",
            "STORY_GEN_LOG_LEVEL": "WARNING",
        }
        base.pop("PYTHONDONTWRITEBYTECODE", None)
        if args.bytecode == "cached":
            base["PYTHONPYCACHEPREFIX"] = str(root / "pycache")
        else:
            base["PYTHONDONTWRITEBYTECODE"] = "1"
            base.pop("PYTHONPYCACHEPREFIX", None)
        envs: dict[str, dict[str, str]] = {}
        if "embedded" in shapes:
            migrate = (
                "from story_gen.sync_api import Settings; from story_gen.sync_api.db import "
                "Database; from story_gen.sync_api.migrate import upgrade_head;"
                "upgrade_head(Database(Settings().resolved_database_url).engine)"
            )
            subprocess.run([sys.executable, "-c", migrate], env=base, check=True, timeout=120)
            envs["embedded"] = base
        if "hosted" in shapes:
            hosted = stack.enter_context(hosted_env(root / "hosted"))
            envs["hosted"] = {**base, **hosted, "STORY_GEN_AUTO_MIGRATE": "false"}
        samples: dict[str, list[dict[str, float]]] = {name: [] for name in [*envs, "bare"]}
        if args.bytecode == "cached":  # write the bytecode, untimed
            for env in envs.values():
                probe("story_gen.sync_api.lambda_handler", "/healthz", env)
            probe("hello_lambda", "/hello", base)
        for _ in range(args.runs):
            for name, env in envs.items():
                samples[name].append(probe("story_gen.sync_api.lambda_handler", "/healthz", env))
            samples["bare"].append(probe("hello_lambda", "/hello", base))
    results: dict[str, Any] = {
        "benchmark": "lambda_cold_start",
        "runs": args.runs,
        "bytecode": args.bytecode,
        "story_gen_handler": {name: summarise(samples[name]) for name in envs},
        "bare_fastapi_mangum": summarise(samples["bare"]),
        "machine": "2 cores, 24 GiB, no GPU; CPython " + sys.version.split()[0],
    }
    print(json.dumps(results))
    rows = {f"story_gen ({name})": results["story_gen_handler"][name] for name in envs}
    rows["bare FastAPI+Mangum"] = results["bare_fastapi_mangum"]
    print(
        f"\n{'median of ' + str(args.runs) + ', bytecode ' + args.bytecode:<30} {'import ms':>10} {'1st request ms':>15}"
        f" {'cold total ms':>14} {'warm ms':>8}"
    )
    for name, row in rows.items():
        print(
            f"{name:<30} {row['import_ms']:>10} {row['first_request_ms']:>15}"
            f" {row['cold_total_ms']:>14} {row['warm_request_ms']:>8}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
