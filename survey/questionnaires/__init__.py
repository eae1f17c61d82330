"""Questionnaire definitions: schema validation and loading into versions."""
