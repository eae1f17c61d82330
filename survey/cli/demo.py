"""``flask --app survey demo``: a realistic demo database."""

from __future__ import annotations

import click
from flask import current_app

from ..demo import build_demo


@click.command("demo")
@click.option("--respondents", default=360, show_default=True)
@click.option("--seed", default=2026, show_default=True)
def demo_command(respondents: int, seed: int) -> None:
    """Fill an empty database with realistic demo data and print the staff accounts."""
    ready = build_demo(respondents=respondents, seed=seed)
    base = current_app.config["PUBLIC_BASE_URL"]
    click.echo("Demo data built." if ready.built else "The demo was already there; kept as it is.")
    click.echo("Staff accounts (log in at " + base + "/staff/login):")
    for role, email, password in ready.accounts:
        click.echo(f"  {role:8} {email:28} password: {password}")
    click.echo("Invitation links to try the survey and test as a civil servant:")
    for language, path in ready.links:
        click.echo(f"  {language}  {base}{path}")
