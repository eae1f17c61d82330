"""Where the files the app reads at run time live: templates, translations, questionnaires and
migrations. In a source checkout (and an editable install) they sit beside the ``survey``
package; a plain ``pip install .`` puts them under ``<prefix>/share/qabilet`` (setup.cfg's
``data_files``)."""

from __future__ import annotations

import sys
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parent.parent


def resource_root() -> Path:
    """The folder holding ``templates/``, ``translations/``, ``questionnaires/``, ``migrations/``."""
    if (CHECKOUT / "templates").is_dir():
        return CHECKOUT
    return Path(sys.prefix) / "share" / "qabilet"
