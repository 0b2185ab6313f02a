"""Ledningsdashboard: database, import, queries, charts and formatting for municipal follow-up."""

__version__ = "0.1.0"
