"""story-gen command line."""
