"""``flask --app survey questionnaires validate|load|export|calibrate``."""

from __future__ import annotations

import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from ..extensions import db
from ..questionnaires.loader import load_folder, stored_version
from ..questionnaires.problems import DefinitionError
from ..questionnaires.schema import FILES, parse_file, to_yaml, validate_folder
from ..responses.adaptive import prepare_exposure
from ..results.calibration import CalibrationError, calibrate_campaigns
from ._common import get_campaign

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


@questionnaires_cli.command("calibrate")
@click.argument("campaigns", nargs=-1, required=True)
@click.option("--model", type=click.Choice(["2pl", "rasch"]), default="2pl", show_default=True,
              help="The IRT model to fit.")
def calibrate_command(campaigns: tuple[str, ...], model: str) -> None:
    """Fit the test's items on the finished attempts of CAMPAIGNS (one test version) and store
    the parameters as the version's next calibration; adaptive campaigns use it from then on."""
    try:
        report = calibrate_campaigns([get_campaign(code) for code in campaigns], model)
    except CalibrationError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    calibration = report.calibration
    click.echo(f"Calibration {calibration.number} of test version {calibration.test_version_id}: "
               f"{calibration.model}, {calibration.n_takers} takers, "
               f"{len(calibration.parameters)} items, {calibration.iterations} EM cycles, "
               f"{'converged' if calibration.converged else 'NOT converged'}, "
               f"{report.seconds:.1f} s.")
    for code, cuts in report.cut_scores.items():
        click.echo(f"  cut scores implied for {code}: {', '.join(f'{c:g}' for c in cuts)}")
    click.echo("The cut scores in maturity_model.yaml (adaptive_test) are not changed.")
    started = time.perf_counter()
    if prepare_exposure(calibration.test_version_id):
        click.echo(f"Exposure control simulated and stored for the new parameters "
                   f"({time.perf_counter() - started:.1f} s).")
