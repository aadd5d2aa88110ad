"""AWS Lambda entry point (API Gateway HTTP API v2 -> Mangum -> the app); see
:mod:`story_gen.sync_api.lambda_app`. Module scope runs once per container (or once per
SnapStart snapshot): it builds the app from ``STORY_GEN_*`` settings but opens no connection."""

from story_gen.sync_api.lambda_app import build_handler

handler = build_handler()
