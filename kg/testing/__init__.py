"""Helpers shared by the tests and the benchmark scripts (a throw-away FalkorDB Bolt server)."""
