"""``flask --app survey questionnaires validate|load|export``."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from ..extensions import db
from ..questionnaires.loader import load_folder, stored_version
from ..questionnaires.problems import DefinitionError
from ..questionnaires.schema import FILES, parse_file, to_yaml, validate_folder

questionnaires_cli = AppGroup("questionnaires", help="Questionnaire definitions in questionnaires/.")

FOLDER_OPTION = click.option(
    "--folder",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder of definition files (default: the project's questionnaires/).",
)


def _folder(folder: Path | None) -> Path:
    return folder or Path(current_app.config["QUESTIONNAIRES_DIR"])


@questionnaires_cli.command("validate")
@FOLDER_OPTION
def validate_command(folder: Path | None) -> None:
    """Check every file; print each problem with its file, id and field."""
    problems = validate_folder(_folder(folder))
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        raise click.ClickException(f"{len(problems)} problem(s); nothing was loaded")
    click.echo("All definition files are valid.")


@questionnaires_cli.command("load")
@FOLDER_OPTION
def load_command(folder: Path | None) -> None:
    """Validate, then load into the database. Loading twice changes nothing."""
    try:
        report = load_folder(_folder(folder))
    except DefinitionError as error:
        db.session.rollback()
        for problem in error.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(
            f"{len(error.problems)} problem(s); nothing was loaded"
        ) from None
    db.session.commit()
    for line in report.lines():
        click.echo(line)


@questionnaires_cli.command("export")
@click.argument("code")
@click.option("--version", "number", type=int, help="Version number (default: the latest).")
def export_command(code: str, number: int | None) -> None:
    """Print a stored questionnaire version as YAML, in the format it was loaded from."""
    version = stored_version(code, number)
    if version is None:
        raise click.ClickException(f"no stored version of {code!r}")
    file = next(name for name, spec in FILES.items() if spec.role == (
        "survey" if version.questionnaire.kind == "survey" else "test"))
    click.echo(to_yaml(parse_file(file, version.definition)), nl=False)
