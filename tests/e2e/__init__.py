"""End-to-end tests in headless Chromium (a package, so its browser fixtures end with it)."""
