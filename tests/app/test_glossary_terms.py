"""The glossary's fixed terms are used, and the forms a native editor struck out never come back.

Every Kazakh and Russian text a person reads is checked: each msgstr of the kk and ru
catalogues and each kk and ru text of the questionnaire files. The forbidden forms, and why:

Kazakh
- "тұрғыдан маңызды": a calque of "statistically significant"; the term is "статистикалық мәнді".
- "Мәртебе": "status" of a campaign or an invitation is "күйі".
- "Тіркелгіні өшіру": deactivating an account does not delete it; the term is "бұғаттау".
- "IT" in Latin letters: the Kazakh abbreviation is "АТ" (ақпараттық технологиялар).
- "Біз жақта": a word-for-word "on our side"; a server fault is "Жүйеде қате орын алды".
- "Ескірек", "Жаңарақ": comparatives with no noun; the log pages through "Ескі/Жаңа жазбалар".
- "жағдаят": the eGov term is "өмірлік жағдай".
- a placeholder followed by a case ending ("%(k)s-тен аз", "%(date)s дейін"): the ending depends
  on how the number or date is pronounced, so it is right for some values only. The value stands
  after a colon or before a noun that carries the ending ("%(k)s адамнан аз").

The test bank (digital_skills_test.yaml) is left out of the questionnaire check: its items are
written and reviewed by their own native writers, and an item may quote the wording of the
system it is about rather than the glossary's.

Russian
- "Затрудняюсь ответить": means "I find it hard to answer", not the neutral point of the
  agreement scale, which is "Ни да, ни нет".
- "Совершенно не согласен": the glossary's point 1 is "Полностью не согласен(-на)".
- "Старше", "Новее": said of people, not of log entries ("Более ранние/поздние записи").
- "не известен": officialese; "Неизвестный столбец …".
- "Подбалл": a calque of "sub-score"; the term is "составляющая".
- "IT" in Latin letters: the Russian abbreviation is "ИТ".
"""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
import yaml
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
LATIN_IT = r"(?<![A-Za-z])IT(?![A-Za-z])"
CASE_ENDING = r"(?:ге|ке|ға|қа|ден|тен|нен|дан|тан|нан|де|те|да|та|ні|ны|ді|ты|ды|ті)"

FORBIDDEN = {
    "kk": {
        "тұрғыдан маңызды": r"тұрғыдан маңызды",
        "Мәртебе": r"[Мм]әртебе",
        "Тіркелгіні өшіру": r"[Тт]іркелгіні өшір",
        "IT": LATIN_IT,
        "Біз жақта": r"[Бб]із жақта",
        "Ескірек": r"\b[Ее]скірек\b",
        "Жаңарақ": r"\b[Жж]аңарақ\b",
        "жағдаят": r"жағдаят",
        "a case ending glued to a placeholder": r"%\(\w+\)s-?" + CASE_ENDING + r"(?![а-яәғқңөұүһі])",
        "a date before a word needing a case": r"%\(date\)s\s+(?:дейін|бастап|кейін|жабыл|ашыл)",
    },
    "ru": {
        "Затрудняюсь ответить": r"[Зз]атрудняюсь ответить",
        "Совершенно не согласен": r"[Сс]овершенно не согласен",
        "Старше": r"^Старше$",
        "Новее": r"^Новее$",
        "не известен": r"не известен",
        "Подбалл": r"[Пп]одбалл",
        "IT": LATIN_IT,
    },
}

REVIEWED_ELSEWHERE = {"digital_skills_test.yaml"}

AGREEMENT_SCALE = [  # the glossary's 5-point scale: value, kk, ru, en
    (1, "Мүлдем келіспеймін", "Полностью не согласен(-на)", "Strongly disagree"),
    (2, "Келіспеймін", "Скорее не согласен(-на)", "Disagree"),
    (3, "Бейтараппын", "Ни да, ни нет", "Neither agree nor disagree"),
    (4, "Келісемін", "Скорее согласен(-на)", "Agree"),
    (5, "Толығымен келісемін", "Полностью согласен(-на)", "Strongly agree"),
]


def catalogue(locale: str, root: Path = ROOT):
    with open(root / "translations" / locale / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=locale)


def catalogue_texts(locale: str, root: Path = ROOT) -> list[tuple[str, str]]:
    """(where, text) for every msgstr of the locale's catalogue."""
    found = []
    for message in catalogue(locale, root):
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        found += [(f"messages.po: {msgid!r}", s) for s in strings if s]
    return found


def questionnaire_texts(locale: str, root: Path = ROOT) -> list[tuple[str, str]]:
    """(where, text) for every text in that language of every questionnaire file."""
    found = []

    def walk(node, where: str) -> None:
        if isinstance(node, dict):
            if {"kk", "ru", "en"} <= set(node) and isinstance(node[locale], str):
                found.append((where, node[locale]))
                return
            for key, value in node.items():
                walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{where}[{i}]")

    for path in sorted((root / "questionnaires").glob("*.yaml")):
        if path.name in REVIEWED_ELSEWHERE:
            continue
        walk(yaml.safe_load(path.read_text(encoding="utf-8")), path.name)
    return found


def forbidden_forms(locale: str, texts: list[tuple[str, str]]) -> list[str]:
    """Each text that holds one of the locale's forbidden forms, with the form's name."""
    problems = []
    for where, text in texts:
        for name, pattern in FORBIDDEN[locale].items():
            if re.search(pattern, text, re.MULTILINE):
                problems.append(f"{where}: {name}: {text!r}")
    return problems


@pytest.mark.parametrize("locale", ["kk", "ru"])
def test_the_catalogue_never_uses_a_struck_out_form(locale):
    assert forbidden_forms(locale, catalogue_texts(locale)) == []


@pytest.mark.parametrize("locale", ["kk", "ru"])
def test_the_questionnaires_never_use_a_struck_out_form(locale):
    assert forbidden_forms(locale, questionnaire_texts(locale)) == []


def test_the_checks_catch_the_forms_they_forbid():
    """Each pattern fires on the text it was written against (so no check is vacuous)."""
    kk = [("t", "Статистикалық тұрғыдан маңызды"), ("t", "Мәртебесі"), ("t", "IT маманы"),
          ("t", "%(k)s-тен аз"), ("t", "%(date)s дейін"), ("t", "Біз жақта қате"),
          ("t", "Ескірек"), ("t", "Жаңарақ"), ("t", "Тіркелгіні өшіру"), ("t", "жағдаяттар")]
    ru = [("t", "Затрудняюсь ответить"), ("t", "Старше"), ("t", "Новее"), ("t", "IT-отдел"),
          ("t", "Столбец не известен"), ("t", "Подбаллы"), ("t", "Совершенно не согласен")]
    assert len(forbidden_forms("kk", kk)) == len(kk)
    assert len(forbidden_forms("ru", ru)) == len(ru)
    allowed = [("t", "%(page)s-беті"), ("t", "%(number)s-нұсқа"), ("t", "%(k)s адамнан аз"),
               ("t", "Соңғы күн: %(date)s."), ("t", "NCALayer"), ("t", "ITU")]
    assert forbidden_forms("kk", allowed) == []


@pytest.mark.parametrize(("msgid", "kk", "ru"), [
    ("Status", "Күйі", "Статус"),
    ("Deactivate the account", "Тіркелгіні бұғаттау", "Заблокировать учётную запись"),
    ("Audit log", "Әрекеттер журналы", "Журнал действий"),
    ("Response rate", "Жауап беру үлесі", "Доля ответивших"),
    ("Competency gap", "Құзыреттілік олқылығы", "Дефицит компетенций"),
    ("Campaign", "Сауалнама кезеңі", "Волна опроса"),
    ("Standard error", "Стандартты қате", "Стандартная ошибка"),
])
def test_a_glossary_term_reads_as_the_glossary_has_it(msgid, kk, ru):
    assert catalogue("kk")[msgid].string == kk
    assert catalogue("ru")[msgid].string == ru


@pytest.mark.parametrize(("english", "kk", "ru"), [
    ("statistically significant", "статистикалық мәнді", "статистически значим"),
    ("status", "күй", "статус"),
    ("deactivate", "бұғат", "заблокир"),
])
def test_every_message_with_a_glossary_word_uses_its_term(english, kk, ru):
    for locale, term in (("kk", kk), ("ru", ru)):
        for message in catalogue(locale):
            msgid = message.id if isinstance(message.id, str) else message.id[0]
            if message.id and english in msgid.lower():
                assert term in message.string.lower(), (locale, msgid, message.string)


def test_information_technology_is_at_in_kazakh_and_it_in_russian():
    texts = {locale: dict(questionnaire_texts(locale)) for locale in ("kk", "ru", "en")}
    mentions = [where for where, text in texts["en"].items() if re.search(LATIN_IT, text)]
    assert mentions, "the questionnaires speak of IT somewhere"
    for where in mentions:
        assert "АТ" in texts["kk"][where], where
        assert "ИТ" in texts["ru"][where], where


def test_the_survey_and_the_pages_use_the_glossary_agreement_scale():
    survey = yaml.safe_load((ROOT / "questionnaires" / "digital_culture.yaml").read_text("utf-8"))
    labels = [(o["value"], o["label"]["kk"], o["label"]["ru"], o["label"]["en"])
              for o in survey["response_scale"]]
    assert labels == AGREEMENT_SCALE
    kk, ru = catalogue("kk"), catalogue("ru")
    for _value, kk_label, ru_label, en_label in AGREEMENT_SCALE:
        assert (kk[en_label].string, ru[en_label].string) == (kk_label, ru_label)


def test_levels_below_the_required_one_take_the_russian_plural(tmp_path):
    mo = tmp_path / "ru.mo"
    with open(mo, "wb") as f:
        write_mo(f, catalogue("ru"))
    with open(mo, "rb") as f:
        ru = gettext.GNUTranslations(f)
    one, many = "%(num)s level below the required level", "%(num)s levels below the required level"
    assert [ru.ngettext(one, many, n) % {"num": n} for n in (1, 2, 5, 21)] == [
        "На 1 уровень ниже требуемого", "На 2 уровня ниже требуемого",
        "На 5 уровней ниже требуемого", "На 21 уровень ниже требуемого",
    ]
