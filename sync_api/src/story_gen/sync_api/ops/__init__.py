"""Operations built in: request context and JSON logs, anomaly events, blob garbage collection."""
