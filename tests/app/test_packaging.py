"""A plain ``pip install .`` carries everything the app reads at run time: the wheel holds every
template, catalogue, questionnaire, migration and static file, and an app built from the
unpacked wheel alone (no checkout on its path) serves pages in all three languages."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ("templates", "translations", "questionnaires", "migrations")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--no-build-isolation", "--wheel-dir", str(out), str(ROOT)],
                   check=True, cwd=out, capture_output=True)
    (found,) = out.glob("qabilet-*.whl")
    return found


def _tracked(folder: str) -> set[str]:
    listed = subprocess.run(["git", "ls-files", folder], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout.split()
    return set(listed)


def test_the_wheel_holds_every_file_the_app_reads(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    data = {n.split("/data/share/qabilet/", 1)[1] for n in names if "/data/share/qabilet/" in n}
    for folder in DATA:
        missing = {f for f in _tracked(folder) if f not in data}
        assert missing == set(), f"add to setup.cfg [options.data_files]: {sorted(missing)}"
    compiled = {f"translations/{lang}/LC_MESSAGES/messages.mo" for lang in ("kk", "ru", "en")}
    assert compiled <= data
    static = {n for n in names if n.startswith("survey/static/")}
    assert {f for f in _tracked("survey/static")} <= static


def test_an_app_built_from_the_installed_files_alone_serves_every_language(wheel, tmp_path):
    prefix = tmp_path / "prefix"
    site = prefix / "site-packages"
    with zipfile.ZipFile(wheel) as archive:
        for name in archive.namelist():
            if ".data/data/" in name:
                target = prefix / name.split(".data/data/", 1)[1]
            else:
                target = site / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(archive.read(name))
    script = f"""
import sys
sys.prefix = {str(prefix)!r}
sys.path.insert(0, {str(site)!r})
import survey
assert survey.__file__.startswith({str(site)!r}), survey.__file__
from survey import create_app
app = create_app({{"TESTING": True, "SECRET_KEY": "x",
                  "SQLALCHEMY_DATABASE_URI": "sqlite:///{tmp_path / 'db.sqlite'}"}})
import flask_migrate
with app.app_context():
    flask_migrate.upgrade()
client = app.test_client()
for lang, word in (("kk", "Кіру"), ("ru", "Войти"), ("en", "Log in")):
    client.get("/language/" + lang)
    page = client.get("/staff/login").get_data(as_text=True)
    assert word in page, (lang, page[:300])
print("served")
"""
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "served" in done.stdout
