"""``python -m story_gen.cli`` is ``story-gen``."""

from story_gen.cli.main import main

main()
