"""Shared helpers: the shipped folder, a small valid test file, and ways to break files."""

from __future__ import annotations

import copy
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from survey.questionnaires.schema import FILES, DefinitionError, parse_file, validate_folder

SHIPPED = Path(__file__).resolve().parents[2] / "questionnaires"
TEST_FILE = "digital_skills_test.yaml"

Mutation = Callable[[dict[str, Any]], object]


def shipped(file: str) -> dict[str, Any]:
    """A fresh copy of a shipped file's parsed YAML (the sample test if it is not written yet)."""
    path = SHIPPED / file
    if file == TEST_FILE and not path.exists():
        return sample_test()
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def copy_folder(target: Path, *, sample: bool = False) -> Path:
    """The shipped definition files copied into ``target``.

    The test file is the sample one when ``sample`` is true or none is shipped yet, so that
    tests can name its items.
    """
    for file in FILES:
        if (SHIPPED / file).exists():
            shutil.copy(SHIPPED / file, target / file)
    if sample or not (target / TEST_FILE).exists():
        write(target / TEST_FILE, sample_test())
    return target


def write(path: Path, data: Any) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def refusal(file: str, mutate: Mutation) -> list[str]:
    """The messages given for a file broken by ``mutate``, validated on its own.

    The file is the shipped one, except the test file, which is always the sample.
    """
    data = sample_test() if file == TEST_FILE else copy.deepcopy(shipped(file))
    mutate(data)
    with pytest.raises(DefinitionError) as caught:
        parse_file(file, data)
    return [str(problem) for problem in caught.value.problems]


def folder_refusal(folder: Path, file: str, mutate: Mutation) -> list[str]:
    """The messages given for a whole folder in which ``file`` was broken by ``mutate``."""
    data = yaml.safe_load((folder / file).read_text(encoding="utf-8"))
    mutate(data)
    write(folder / file, data)
    return [str(problem) for problem in validate_folder(folder)]


def item(data: dict[str, Any], ident: str) -> dict[str, Any]:
    """The entry of ``items`` with this id."""
    return next(entry for entry in data["items"] if entry["id"] == ident)


def sample_test() -> dict[str, Any]:
    """A small valid test: one item of each type."""
    return {
        "id": "digital_skills",
        "kind": "test",
        "title": {
            "kk": "Цифрлық дағдылар тесті",
            "ru": "Тест цифровых навыков",
            "en": "Digital skills test",
        },
        "intro": {
            "kk": "Әр сұраққа бір немесе бірнеше дұрыс жауапты таңдаңыз.",
            "ru": "Выберите один или несколько правильных ответов на каждый вопрос.",
            "en": "Choose one or more right answers to each question.",
        },
        "items": [
            {
                "id": "inf-01",
                "competence": "information_data",
                "level": 1,
                "type": "single",
                "text": {
                    "kk": "Заңның қолданыстағы редакциясын қай дереккөзден тексерген дұрыс?",
                    "ru": "В каком источнике лучше проверить действующую редакцию закона?",
                    "en": "Where should you check the current wording of a law?",
                },
                "options": [
                    {
                        "id": "a",
                        "text": {
                            "kk": "Ресми құқықтық ақпарат жүйесінде",
                            "ru": "В официальной системе правовой информации",
                            "en": "In the official legal information system",
                        },
                    },
                    {
                        "id": "b",
                        "text": {
                            "kk": "Интернет-форумдағы жазбада",
                            "ru": "В записи на интернет-форуме",
                            "en": "In a post on an internet forum",
                        },
                    },
                    {
                        "id": "c",
                        "text": {
                            "kk": "Жаңалықтар агрегаторында",
                            "ru": "В новостном агрегаторе",
                            "en": "In a news aggregator",
                        },
                    },
                ],
                "key": "a",
                "explanation": {
                    "kk": "Заңдардың ресми мәтіні ресми құқықтық ақпарат жүйесінде жарияланады.",
                    "ru": "Официальные тексты законов публикуются в системе правовой информации.",
                    "en": "The official texts of laws are published in the legal information "
                    "system.",
                },
            },
            {
                "id": "saf-01",
                "competence": "safety",
                "level": 2,
                "type": "multiple",
                "text": {
                    "kk": "Фишингтік хаттың белгілерін таңдаңыз.",
                    "ru": "Выберите признаки фишингового письма.",
                    "en": "Choose the signs of a phishing e-mail.",
                },
                "options": [
                    {
                        "id": "a",
                        "text": {
                            "kk": "Құпиясөзді дереу енгізу талабы",
                            "ru": "Срочное требование ввести пароль",
                            "en": "An urgent demand to enter your password",
                        },
                    },
                    {
                        "id": "b",
                        "text": {
                            "kk": "Ресми мекенжайға ұқсас, бірақ басқа жіберуші мекенжайы",
                            "ru": "Адрес отправителя, похожий на официальный, но другой",
                            "en": "A sender address that looks official but differs",
                        },
                    },
                    {
                        "id": "c",
                        "text": {
                            "kk": "Хат мемлекеттік тілде жазылған",
                            "ru": "Письмо написано на государственном языке",
                            "en": "The e-mail is written in the state language",
                        },
                    },
                    {
                        "id": "d",
                        "text": {
                            "kk": "Хатта бөлімнің телефон нөмірі көрсетілген",
                            "ru": "В письме указан телефон отдела",
                            "en": "The e-mail gives the unit's phone number",
                        },
                    },
                ],
                "key": ["a", "b"],
                "explanation": {
                    "kk": "Асықтыру және жалған мекенжай — фишингтің басты белгілері.",
                    "ru": "Спешка и поддельный адрес — главные признаки фишинга.",
                    "en": "Urgency and a forged address are the main signs of phishing.",
                },
            },
            {
                "id": "eds-01",
                "competence": "egov_eds",
                "level": 1,
                "type": "true_false",
                "text": {
                    "kk": "Сенімді әріптеске ЭЦҚ кілтін беруге болады.",
                    "ru": "Ключ ЭЦП можно передать надёжному коллеге.",
                    "en": "You may hand your EDS key to a trusted colleague.",
                },
                "key": False,
                "explanation": {
                    "kk": "ЭЦҚ кілті тек иесіне тиесілі, оны ешкімге беруге болмайды.",
                    "ru": "Ключ ЭЦП принадлежит только владельцу, передавать его нельзя.",
                    "en": "An EDS key belongs to its owner alone and must never be handed on.",
                },
            },
        ],
    }
