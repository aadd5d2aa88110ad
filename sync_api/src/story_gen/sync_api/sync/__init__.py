"""The sync protocol, version 1 (docs/sync-protocol.md): pull changes since a cursor, push
batches of changes with per-change results."""

PROTOCOL_VERSION = 1
