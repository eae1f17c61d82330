"""Property-based fuzzing of every route (hypothesis): each rule of ``app.url_map``, as an
anonymous visitor, an administrator, an HR analyst and a trainer, with hostile path values,
query arguments and form fields. No answer may be a 5xx.

One app and one small world serve the whole module; hypothesis is derandomized (the same cases
on every run) and draws cheap values from pools of the inputs that broke the app before:
integers of 2^31 and 2^63 and more, non-ASCII digits ("²", "٣"), dates at the ends of the calendar,
mathtext, formula starts, control characters, over-long text."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from survey import create_app
from survey.accounts.users import create_user
from survey.extensions import db
from survey.models import Invitation, User
from survey.models._types import utcnow
from survey.tokens import hash_token
from tests.conftest import STAFF_PASSWORD, empty_all_tables, make_config
from tests.hr import factories as f

pytestmark = pytest.mark.fuzz

EXAMPLES = 300
TOKEN = "fuzz-token-" + "x" * 32

NUMBERS = ["0", "1", "2", "3", "4", "5", "7", "2147483647", "2147483648", "9223372036854775807", "9223372036854775808",
           "18446744073709551616", "99999999999999999999999", "-1", "1.5", "1e3", "²", "٣",
           "１", "0x10", " 1", "1 ", "00001"]
TEXTS = ["", "a", "x;=1+1", "=1+1", "@SUM(A1)", "Finance $\\undefinedcmd$", "$x^$", "<script>",
         "'; DROP TABLE user_account; --", "\x00", "\r\n", "ә" * 400, "a" * 5000, "../../etc",
         "%2e%2e", "kk", "ru", "en", "xx", "true", "null", "next", "//evil.example",
         "https://evil.example/", "javascript:alert(1)", TOKEN]
DATES = ["0001-01-01", "9999-12-31", "2026-01-01", "2026-12-31", "1999-12-31", "2101-01-01",
         "2026-02-30", "26-1-1", "２０２６-01-01"]
VALUES = NUMBERS + TEXTS + DATES
QUERY_NAMES = ["unit", "position", "organisation", "governance_level", "sector", "page", "next",
               "time_up", "lang", "model", "k", "q"]
FORM_NAMES = [
    "code", "title_kk", "title_ru", "title_en", "name_kk", "name_ru", "name_en", "opens",
    "closes", "time_limit", "organisations", "anonymous", "default_language", "survey_version",
    "test_version", "email", "password", "full_name", "role", "language", "governance_level",
    "sector", "parent", "is_project_office", "digest", "filename", "action", "consent",
    "scope-role", "scope-organisations", "password-password", "page", "answer", "q1", "item-1",
]


def _form_fields() -> list[str]:
    """Every field of every form of the app (FlaskForm subclasses), the answer fields of the
    respondent pages (``q<item id>``) and the names above (with the prefixes pages use)."""
    from flask_wtf import FlaskForm
    from wtforms.fields.core import UnboundField

    import survey.admin.forms
    import survey.auth.forms  # noqa: F401

    names = set(FORM_NAMES) | {f"q{n}" for n in range(1, 31)}
    pending = list(FlaskForm.__subclasses__())
    while pending:
        form = pending.pop()
        pending.extend(form.__subclasses__())
        for name in dir(form):
            if isinstance(getattr(form, name, None), UnboundField):
                names.add(name)
    return sorted(names)


FIELDS = _form_fields()
CHOICES = {"governance_level": ["republican", "regional", "local"],
           "sector": ["health", "education", "social"],
           "name": ["subscores", "levels", "response", "gaps_units", "gaps_positions"],
           "key": ["levels", "units", "positions", "gaps", "items", "plan"],
           "target": ["open", "closed", "draft", "archived"],
           "language": ["kk", "ru", "en"], "code": ["kk", "ru", "en"], "opens": DATES,
           "closes": DATES}
FILES = [b"", b"organisation,unit,position\nalpha,alpha-u0000,specialist\n", b"PK\x03\x04junk",
         b"\xff\xfe\x00bad", b"a;b;c\n=1+1;x;y\n", b"kind: survey\n", b"[[[[[[[[[["]


def _path_value(rule: str, name: str) -> st.SearchStrategy[str]:
    """An id is mostly a hostile number (half of them), else any value."""
    if f"<int:{name}>" in rule:
        return st.one_of(st.sampled_from(NUMBERS), st.sampled_from(NUMBERS),
                         st.integers(0, 6).map(str), _value(name))
    return _value(name)


def _value(name: str | None = None) -> st.SearchStrategy[str]:
    pool = VALUES + CHOICES.get(name or "", [])
    return st.one_of(st.sampled_from(pool), st.integers(0, 12).map(str),
                     st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)),
                             max_size=12))


@pytest.fixture(scope="module")
def fuzz_app(migrated_database):
    app = create_app(make_config(migrated_database, RATELIMIT_ENABLED=False))
    with app.app_context():
        cat = f.catalogue()
        alpha = f.body("alpha", 3)
        beta = f.body("beta", 2, governance_level="regional", sector="health")
        db.session.flush()
        current = f.campaign(cat, [alpha, beta], code="wave-2026")
        f.results(current, cat, {alpha.units[0]: 12, alpha.units[1]: 6, beta.units[0]: 8})
        f.store_shipped_maturity_model()
        users = {
            "admin": create_user("admin@example.kz", "Admin", STAFF_PASSWORD, "admin"),
            "hr": create_user("hr@alpha.kz", "HR", STAFF_PASSWORD, "hr", [alpha]),
            "trainer": create_user("trainer@alpha.kz", "Trainer", STAFF_PASSWORD, "trainer",
                                   [alpha]),
        }
        db.session.add(Invitation(campaign_id=current.id, token_hash=hash_token(TOKEN),
                                  organisation_id=alpha.id, unit_id=alpha.units[0].id,
                                  position_category_id=cat.profiles[0].id, status="sent"))
        current.closes_at = utcnow() + timedelta(days=30)
        db.session.commit()
        app.fuzz_users = {role: user.id for role, user in users.items()}
        yield app
        db.session.remove()
        empty_all_tables()
        db.engine.dispose()


def _client(app, role: str):
    """A client holding a session for ``role`` (none for "anonymous"); the accounts are made
    active again first, since a case may deactivate one or end its sessions."""
    db.session.rollback()
    client = app.test_client()
    if role == "anonymous":
        return client
    user = db.session.get(User, app.fuzz_users[role])
    if not user.active:
        user.active = True
        db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    return client


def _rules():
    app = create_app(make_config("sqlite://"))
    return sorted(((rule.rule, sorted(rule.methods - {"HEAD", "OPTIONS"}), rule.arguments)
                   for rule in app.url_map.iter_rules()), key=lambda r: r[0])


RULES = _rules()


def _fill(rule: str, values: dict[str, str]) -> str:
    import re
    from urllib.parse import quote

    return re.sub(r"<(?:[a-z]+(?:\([^)]*\))?:)?([a-z_]+)>",
                  lambda m: quote(values[m.group(1)], safe=""), rule)


@pytest.mark.parametrize(("rule", "methods", "arguments"), RULES, ids=[r[0] for r in RULES])
def test_no_route_answers_5xx(fuzz_app, rule, methods, arguments):
    cases = []

    @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(role=st.sampled_from(["anonymous", "admin", "hr", "trainer"]),
           method=st.sampled_from(methods),
           path=st.fixed_dictionaries({name: _path_value(rule, name)
                                       for name in sorted(arguments)}),
           query=st.dictionaries(st.sampled_from(QUERY_NAMES),
                                 st.one_of(st.sampled_from(NUMBERS), _value()), max_size=3),
           form=st.dictionaries(st.sampled_from(FIELDS), _value(), max_size=6),
           upload=st.none() | st.sampled_from(FILES))
    def case(role, method, path, query, form, upload):
        cases.append(rule)
        if rule == "/staff/logout" and role != "anonymous":
            role = "anonymous"  # logging out ends every session of the account
        client = _client(fuzz_app, role)
        url = _fill(rule, path)
        data = dict(form)
        if upload is not None and method == "POST":
            data["file"] = (io.BytesIO(upload), "staff.csv")
        response = client.open(url, method=method, query_string=query,
                               data=data if method == "POST" else None)
        assert response.status_code < 500, (role, method, url, query, form, upload,
                                            response.get_data(as_text=True)[:300])

    case()
    assert len(cases) >= EXAMPLES
