"""``flask --app survey users create``."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ..accounts.users import AccountError, create_user
from ..extensions import db
from ..i18n import LANGUAGE_CODES
from ._common import organisations_by_code

users_cli = AppGroup("users", help="Staff accounts.")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", "full_name", required=True)
@click.option("--role", type=click.Choice(["admin", "hr", "trainer", "assessor"]), required=True)
@click.option("--org", "org_codes", multiple=True, help="Organisation code (repeatable).")
@click.option("--language", type=click.Choice(LANGUAGE_CODES))
@click.password_option()
def create_user_command(email: str, full_name: str, role: str, org_codes: tuple[str, ...],
                        language: str | None, password: str) -> None:
    """Create a staff account scoped to the given organisations."""
    organisations = organisations_by_code(org_codes)
    try:
        user = create_user(email, full_name, password, role, organisations, language)
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Created {user.role} account {user.email}.")
