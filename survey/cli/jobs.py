"""``flask --app survey jobs …`` (the consumer, the scheduler's tick), ``backup`` and
``restore``."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from ..backup import BackupError, backup, restore
from ..campaigns.delivery import record_bounce, unfinished_sends
from ..extensions import db
from ._common import get_campaign

jobs_cli = AppGroup("jobs", help="Background jobs: the consumer and the scheduler.")


@jobs_cli.command("consume")
@click.option("--workers", default=2, show_default=True, help="Worker threads.")
def consume(workers: int) -> None:
    """Run the job consumer (e-mail, the scheduler every minute) until stopped."""
    from huey.consumer import Consumer

    from ..jobs import huey
    from ..jobs.tasks import send_mail, use_app

    use_app(current_app._get_current_object())  # type: ignore[attr-defined]
    huey.flush_locks()
    # A consumer that stopped mid-send lost the job it ran: take up every unfinished send.
    for send_id in unfinished_sends():
        send_mail(send_id)
    click.echo(f"job consumer: {type(huey.storage).__name__}, {workers} worker threads")
    Consumer(huey, workers=workers, worker_type="thread", periodic=True,
             check_worker_health=True).run()


@jobs_cli.command("tick")
def tick_command() -> None:
    """Run the scheduler's periodic tasks once (for cron, where no consumer runs)."""
    from ..jobs.tasks import run_scheduler

    report = run_scheduler()
    click.echo(json.dumps(asdict(report)))


@jobs_cli.command("bounce")
@click.argument("campaign_code")
@click.argument("addresses", nargs=-1, required=True)
@click.option("--reason", default="bounced", show_default=True)
def bounce(campaign_code: str, addresses: tuple[str, ...], reason: str) -> None:
    """Record bounces reported back by the mail system for these addresses."""
    campaign = get_campaign(campaign_code)
    marked = sum(record_bounce(campaign, address, reason) for address in addresses)
    db.session.commit()
    click.echo(f"{marked} of {len(addresses)} addresses marked as bounced")


@click.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(target: Path) -> None:
    """Write a consistent copy of the database to TARGET (while the app runs)."""
    try:
        backup(target)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"backed up to {target}")


@click.command("restore")
@click.argument("source", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--replace", is_flag=True, help="Overwrite a database that is not empty.")
@with_appcontext
def restore_command(source: Path, replace: bool) -> None:
    """Load a backup made by the backup command into the configured database."""
    try:
        restore(source, replace=replace)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"restored from {source}")
