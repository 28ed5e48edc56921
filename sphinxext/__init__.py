"""The Sphinx extension (filled in by the Sphinx issue)."""
