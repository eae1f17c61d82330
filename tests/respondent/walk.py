"""Walking the respondent path with a test client, as a person would with the buttons."""

from __future__ import annotations

import re

from survey.models import QuestionnaireVersion

FIELD = re.compile(r'name="(q\d+)" value="([^"]+)"')


def consent(client, token: str):
    return client.post(f"/i/{token}", data={"consent": "yes"})


def survey_page_form(version: QuestionnaireVersion, scale: str, value: str = "4") -> dict:
    return {f"q{item.id}": value for item in version.items if item.scale == scale}


def fields_on(html: str) -> list[str]:
    """The question field names of a page, in page order."""
    seen: list[str] = []
    for name, _value in FIELD.findall(html):
        if name not in seen:
            seen.append(name)
    return seen


def complete_survey(client, token: str, version: QuestionnaireVersion, scales, value="4"):
    response = None
    for page, scale in enumerate(scales, start=1):
        response = client.post(f"/i/{token}/survey/{page}",
                               data=survey_page_form(version, scale, value))
        assert response.status_code == 302, response.text
    return response


def complete_test(client, token: str, answers: dict[str, list[str]]):
    """Start the test, answer every page with ``answers`` (field name → values) and confirm
    the finish on the review page."""
    response = client.post(f"/i/{token}/test")
    page = 1
    while "/result" not in response.location:
        if response.location.endswith("/test/review"):
            assert client.get(response.location).status_code == 200
            response = client.post(f"/i/{token}/finish")
            assert response.status_code == 302, response.text
            break
        html = client.get(f"/i/{token}/test/{page}").text
        data = {name: answers[name] for name in fields_on(html) if name in answers}
        response = client.post(f"/i/{token}/test/{page}",
                               data={**data, "action": "next"})
        assert response.status_code == 302, response.text
        page += 1
    return response
