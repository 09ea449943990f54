"""Orchestration: Prefect flows and tasks that compose the plain stage functions."""
