"""Scoring and statistics for Qabilet. Pure numpy/scipy: no Flask, SQLAlchemy or survey import."""
