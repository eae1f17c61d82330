"""``flask --app survey …`` commands: thin click wrappers over plain functions."""

from __future__ import annotations

import subprocess
import sys

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from . import ROOT
from .extensions import db

users_cli = AppGroup("users", help="Staff accounts.")
translate_cli = AppGroup("translate", help="Gettext catalogues in translations/.")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", "full_name", required=True)
@click.option("--role", type=click.Choice(["admin", "hr", "trainer", "assessor"]), required=True)
@click.option("--org", "org_codes", multiple=True, help="Organisation code (repeatable).")
@click.option("--language", type=click.Choice(["kk", "ru", "en"]))
@click.password_option()
def create_user_command(email, full_name, role, org_codes, language, password):
    """Create a staff account scoped to the given organisations."""
    from .auth.operations import AccountError, create_user
    from .models import Organisation

    organisations = []
    for code in org_codes:
        org = db.session.scalar(db.select(Organisation).filter_by(code=code))
        if org is None:
            raise click.BadParameter(f"no organisation with code {code!r}", param_hint="--org")
        organisations.append(org)
    try:
        user = create_user(email, full_name, password, role, organisations, language)
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Created {user.role} account {user.email}.")


def pybabel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True, cwd=ROOT)


@translate_cli.command("extract")
def translate_extract():
    """Extract messages into translations/messages.pot and merge them into every catalogue."""
    pybabel("extract", "-F", "babel.cfg", "-k", "_l", "--add-comments=i18n:",
            "--no-location", "--sort-output", "-o", "translations/messages.pot", ".")
    pybabel("update", "-i", "translations/messages.pot", "-d", "translations", "--no-fuzzy-matching",
            "--ignore-obsolete")


@translate_cli.command("compile")
def translate_compile():
    """Compile the catalogues into .mo files."""
    pybabel("compile", "-d", "translations", "--statistics")


@click.command("demo")
@click.option("--respondents", default=360, show_default=True)
@click.option("--seed", default=2026, show_default=True)
def demo_command(respondents: int, seed: int):
    """Fill an empty database with realistic demo data and print the staff accounts."""
    from .demo import build_demo

    ready = build_demo(respondents=respondents, seed=seed)
    base = current_app.config["PUBLIC_BASE_URL"]
    click.echo("Demo data built." if ready.built else "The demo was already there; kept as it is.")
    click.echo("Staff accounts (log in at " + base + "/staff/login):")
    for role, email, password in ready.accounts:
        click.echo(f"  {role:8} {email:28} password: {password}")
    click.echo("Invitation links to try the survey and test as a civil servant:")
    for language, path in ready.links:
        click.echo(f"  {language}  {base}{path}")


def register_commands(app: Flask) -> None:
    from .campaigns.cli import campaigns_cli, invitations_cli
    from .questionnaires.commands import questionnaires_cli

    app.cli.add_command(questionnaires_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(campaigns_cli)
    app.cli.add_command(invitations_cli)
    app.cli.add_command(translate_cli)
    app.cli.add_command(demo_command)
