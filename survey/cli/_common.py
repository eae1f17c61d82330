"""What several command groups share: finding rows by the codes given on the command line, and
printing a domain function's problems."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NoReturn

import click

from ..campaigns.problems import ProblemsError, describe_in_english
from ..extensions import db
from ..models import Campaign, Organisation


def organisations_by_code(codes: Iterable[str], option: str = "--org") -> list[Organisation]:
    """The government bodies with these codes, in order; a usage error names a missing one."""
    found = []
    for code in codes:
        organisation = db.session.scalar(db.select(Organisation).filter_by(code=code))
        if organisation is None:
            raise click.BadParameter(f"no organisation with code {code!r}", param_hint=option)
        found.append(organisation)
    return found


def get_campaign(code: str) -> Campaign:
    """The campaign with this code, or a usage error."""
    campaign = db.session.scalar(db.select(Campaign).filter_by(code=code))
    if campaign is None:
        raise click.ClickException(f"no campaign with code {code!r}")
    return campaign


def fail_with(error: ProblemsError) -> NoReturn:
    """Print every problem in English, one per line, and exit with status 1, writing nothing."""
    for problem in error.problems:
        click.echo(describe_in_english(problem), err=True)
    db.session.rollback()
    raise SystemExit(1)
