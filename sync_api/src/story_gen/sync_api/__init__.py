"""story_gen sync API."""
