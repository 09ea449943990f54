"""The `minutes` command line, settings, and the bundled demo source."""
