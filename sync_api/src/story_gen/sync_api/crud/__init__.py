"""Database access: keyword-only functions that take a session and never commit.

The caller (a route or a service) owns the transaction, so one request's writes commit or
roll back together.
"""
