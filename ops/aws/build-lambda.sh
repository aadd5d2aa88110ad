#!/usr/bin/env bash
# Package the sync API for AWS Lambda (python3.11, x86_64) into build/lambda/ for `sam deploy`.
#
# The package ships bytecode: Lambda's code directory is read-only, so a module without a
# usable .pyc is compiled from source on every cold start (for this app, most of the import
# time). The .pyc files are "unchecked-hash": a zip does not keep modification times exactly,
# and a timestamp-checked .pyc whose source looks newer would be ignored.
set -euo pipefail
cd "$(dirname "$0")/../.."
rm -rf build/lambda && mkdir -p build/lambda
python3 -m uv export --locked --no-dev --package story-gen-sync-api --no-emit-workspace -o build/lambda-requirements.txt
python3 -m uv build --wheel --package story-gen-core -o build/lambda-wheels
python3 -m uv build --wheel --package story-gen-sync-api -o build/lambda-wheels
python3 -m pip install --quiet --no-compile --target build/lambda --platform manylinux2014_x86_64 \
    --implementation cp --python-version 3.11 --only-binary=:all: \
    -r build/lambda-requirements.txt build/lambda-wheels/*.whl
# The bytecode must be CPython 3.11's, the Lambda runtime's.
python3.11 -m compileall -q -j 0 --invalidation-mode unchecked-hash build/lambda
echo "build/lambda ready: sam deploy -t ops/aws/template.yaml --guided"
