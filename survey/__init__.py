"""Qabilet: digital-culture surveys and digital-skill tests for civil servants."""
