"""Shared pieces of the dashboard: language, database access, formatting, charts, widgets."""
