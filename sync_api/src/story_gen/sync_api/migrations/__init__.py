"""Alembic migrations, shipped inside the package so the wheel (and the Lambda zip) carries them."""
