"""``flask --app survey translate extract|compile``: pybabel over the catalogues in
translations/."""

from __future__ import annotations

import subprocess
import sys

from flask.cli import AppGroup

from .. import ROOT

translate_cli = AppGroup("translate", help="Gettext catalogues in translations/.")


def pybabel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True, cwd=ROOT)


@translate_cli.command("extract")
def translate_extract() -> None:
    """Extract messages into translations/messages.pot and merge them into every catalogue."""
    pybabel("extract", "-F", "babel.cfg", "-k", "_l", "--add-comments=i18n:",
            "--no-location", "--sort-output", "-o", "translations/messages.pot", ".")
    pybabel("update", "-i", "translations/messages.pot", "-d", "translations", "--no-fuzzy-matching",
            "--ignore-obsolete")


@translate_cli.command("compile")
def translate_compile() -> None:
    """Compile the catalogues into .mo files."""
    pybabel("compile", "-d", "translations", "--statistics")
