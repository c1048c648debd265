"""Contract suites: HTTP-only tests that run against the fake (in-process or live) or a real API."""
