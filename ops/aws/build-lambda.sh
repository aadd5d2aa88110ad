#!/usr/bin/env bash
# `make lambda`: package the sync API for AWS Lambda (python3.12 on Amazon Linux 2023: glibc
# 2.34, so wheels up to manylinux_2_34; x86_64) into build/lambda/ for
# `sam build`/`sam deploy -t ops/aws/template.yaml`, from the lock file (uv.lock): the exact
# versions the tests ran, as manylinux wheels for the runtime. Prints the package's size.
#
# The package ships bytecode: Lambda's code directory is read-only, so a module without a
# usable .pyc is compiled from source on every cold start (for this app, most of the import
# time). The .pyc files are "unchecked-hash": a zip does not keep modification times exactly,
# and a timestamp-checked .pyc whose source looks newer would be ignored. The bytecode must be
# the runtime's (CPython 3.12): set LAMBDA_PYTHON to a python3.12 if none is found below.
set -euo pipefail
cd "$(dirname "$0")/../.."

RUNTIME_VERSION=3.12
find_python() {
    local candidate
    for candidate in "${LAMBDA_PYTHON:-}" "python$RUNTIME_VERSION" \
        "$(python3 -m uv python find --no-project "$RUNTIME_VERSION" 2>/dev/null || true)" \
        "$HOME"/.pyenv/versions/"$RUNTIME_VERSION".*/bin/python"$RUNTIME_VERSION"; do
        [ -n "$candidate" ] || continue
        if "$candidate" -c "import sys; sys.exit(sys.version_info[:2] != (${RUNTIME_VERSION/./, }))" \
            >/dev/null 2>&1; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}
if ! runtime_python="$(find_python)"; then
    echo "build-lambda: no CPython $RUNTIME_VERSION found to compile the runtime's bytecode;" \
        "install one (e.g. pyenv install $RUNTIME_VERSION) or set LAMBDA_PYTHON=/path/to/python$RUNTIME_VERSION" >&2
    exit 1
fi

rm -rf build/lambda build/lambda-wheels build/lambda.zip && mkdir -p build/lambda
python3 -m uv export --locked --no-dev --package story-gen-sync-api --no-emit-workspace \
    --no-hashes -o build/lambda-requirements.txt >/dev/null
# uvicorn and its [standard] extras serve HTTP in a container; on Lambda, Mangum does (22 MB less).
LAMBDA_EXCLUDED='uvicorn|uvloop|httptools|watchfiles|websockets|pyyaml'
grep -Ev "^($LAMBDA_EXCLUDED)==" build/lambda-requirements.txt >build/lambda-requirements.lambda.txt
python3 -m uv build --quiet --wheel --package story-gen-core -o build/lambda-wheels
python3 -m uv build --quiet --wheel --package story-gen-sync-api -o build/lambda-wheels
python3 -m uv pip install --quiet --target build/lambda --python-platform x86_64-manylinux_2_34 \
    --python-version "$RUNTIME_VERSION" --only-binary :all: --no-deps --no-compile \
    -r build/lambda-requirements.lambda.txt build/lambda-wheels/*.whl
"$runtime_python" -m compileall -q -j 0 --invalidation-mode unchecked-hash build/lambda
# What the deploy reads back: the exact commit and lock this package was built from.
{
    echo "commit=$(git rev-parse HEAD 2>/dev/null || echo unknown)"
    echo "uv_lock_sha256=$(sha256sum uv.lock | cut -d' ' -f1)"
    echo "runtime=python$RUNTIME_VERSION"
} >build/lambda/BUILD_INFO

unzipped=$(du -sb build/lambda | cut -f1)
(cd build/lambda && python3 -c "
import os, zipfile
with zipfile.ZipFile('../lambda.zip', 'w', zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    for root, dirs, files in os.walk('.'):
        dirs.sort()
        for name in sorted(files):
            z.write(os.path.join(root, name))
")
zipped=$(stat -c %s build/lambda.zip)
printf 'build/lambda ready: %s MB unzipped (Lambda limit 250 MB), build/lambda.zip %s MB (limit 50 MB for a direct upload)\n' \
    "$(python3 -c "print(round($unzipped / 1e6, 1))")" "$(python3 -c "print(round($zipped / 1e6, 1))")"
echo "deploy: sam deploy -t ops/aws/template.yaml --guided"
