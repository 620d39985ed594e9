"""CLI commands registered on :data:`areo.cli.app` (filled in by its issue)."""
