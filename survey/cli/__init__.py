"""``flask --app survey …`` commands, one module per command group: thin click commands over
the plain functions of the domain packages."""

from __future__ import annotations

from flask import Flask

from .campaigns import campaigns_cli, invitations_cli
from .demo import demo_command
from .jobs import backup_command, jobs_cli, restore_command
from .questionnaires import questionnaires_cli
from .translate import translate_cli
from .users import users_cli


def register_commands(app: Flask) -> None:
    """Add every command group to ``app.cli``."""
    for command in (questionnaires_cli, users_cli, campaigns_cli, invitations_cli, translate_cli,
                    demo_command, jobs_cli, backup_command, restore_command):
        app.cli.add_command(command)
