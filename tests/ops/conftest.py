"""ops/ and docker/ checked without a Docker engine (none exists here): real schemas, linters and
Caddy's own adapter."""
