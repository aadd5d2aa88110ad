"""Lambda cold start: import of the handler module + first request, vs a bare FastAPI + Mangum
hello app, each in fresh interpreters in the same run.

    python bench/lambda_cold_bench.py [--runs N]

The first request is an API Gateway HTTP API (v2) event for ``GET /healthz`` (the real app:
SQLite + blob folder in a scratch dir, migrated beforehand like a deploy step would) or
``GET /hello`` (the bare app). AWS itself is not here: this measures the Python part of a cold
start (imports, app construction, first invocation), which is what our code controls.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

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
    return {
        key: round(statistics.median(s[key] for s in samples), 1)
        for key in ("import_ms", "first_request_ms", "warm_request_ms")
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        (root / "hello_lambda.py").write_text(HELLO, encoding="utf-8")
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]),
            "STORY_GEN_DATA_DIR": str(root / "data"),
            "STORY_GEN_AUTO_MIGRATE": "false",
            "STORY_GEN_LOG_LEVEL": "WARNING",
        }
        migrate = (
            "from story_gen.sync_api import Settings; from story_gen.sync_api.db import Database;"
            "from story_gen.sync_api.migrate import upgrade_head;"
            "upgrade_head(Database(Settings().resolved_database_url).engine)"
        )
        subprocess.run([sys.executable, "-c", migrate], env=env, check=True, timeout=120)
        ours = [
            probe("story_gen.sync_api.lambda_handler", "/healthz", env) for _ in range(args.runs)
        ]
        bare = [probe("hello_lambda", "/hello", env) for _ in range(args.runs)]
    results: dict[str, Any] = {
        "benchmark": "lambda_cold_start",
        "runs": args.runs,
        "story_gen_handler": summarise(ours),
        "bare_fastapi_mangum": summarise(bare),
        "machine": "2 cores, 24 GiB, no GPU; CPython " + sys.version.split()[0],
    }
    print(json.dumps(results))
    print(
        f"\n{'median of ' + str(args.runs):<22} {'import ms':>10} {'1st request ms':>15} {'warm ms':>8}"
    )
    for name in ("story_gen_handler", "bare_fastapi_mangum"):
        row = results[name]
        print(
            f"{name:<22} {row['import_ms']:>10} {row['first_request_ms']:>15} {row['warm_request_ms']:>8}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
