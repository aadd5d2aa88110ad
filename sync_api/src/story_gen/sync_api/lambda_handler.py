"""AWS Lambda entry point (API Gateway HTTP API v2 -> Mangum -> the app).

Module scope runs once per container: it builds the app from ``STORY_GEN_*`` settings but opens
no connection (engine and boto3 client are lazy). ``lifespan="off"``: Mangum would otherwise run
startup and shutdown on every invocation; migrations are a deploy step (ops/), not a request.
"""

from mangum import Mangum

from story_gen.sync_api.app import create_app

handler = Mangum(create_app(), lifespan="off")
