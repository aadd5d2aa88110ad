"""One module per ``story-gen`` command; each defines ``command: click.Command``."""
