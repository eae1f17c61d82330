"""Walking the respondent path with a test client, as a person would with the buttons."""

from __future__ import annotations

import re

from survey.models import QuestionnaireVersion

FIELD = re.compile(r'name="(q\d+)" value="([^"]+)"')
ACTION = re.compile(r'<form method="post" id="page-form" action="([^"]+)"')


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


def form_address(html: str) -> str:
    """Where the page's form posts: its own page, also when it answered a save."""
    return ACTION.search(html).group(1)


def complete_survey(client, token: str, version: QuestionnaireVersion, scales, value="4"):
    """Answer the pages of ``scales``: each saved page answers with the next page, and the
    survey's last page (when ``scales`` reaches it) with a redirect to the test, or, in a
    campaign without a test, with the result itself."""
    response = None
    for page, scale in enumerate(scales, start=1):
        response = client.post(f"/i/{token}/survey/{page}",
                               data=survey_page_form(version, scale, value))
        if response.status_code == 200 and ACTION.search(response.text):
            assert form_address(response.text) == f"/i/{token}/survey/{page + 1}"
        elif response.status_code == 200:
            assert f'<body data-address="/i/{token}/result">' in response.text
            assert page == len(scales), page
        else:
            assert response.status_code == 302, response.text
            assert page == len(scales), page
    return response


def complete_test(client, token: str, answers: dict[str, list[str]]):
    """Start the test, answer every page with ``answers`` (field name → values) and confirm
    the finish on the review page. A saved page answers with the next page itself; the last
    one redirects to the review."""
    response = client.post(f"/i/{token}/test")
    assert response.status_code == 302, response.text
    html = client.get(response.location).text
    page = 1
    while True:
        assert form_address(html) == f"/i/{token}/test/{page}"
        data = {name: answers[name] for name in fields_on(html) if name in answers}
        response = client.post(f"/i/{token}/test/{page}", data={**data, "action": "next"})
        if response.status_code != 200:
            break
        html, page = response.text, page + 1
    assert response.status_code == 302, response.text
    if response.location.endswith("/test/review"):
        assert client.get(response.location).status_code == 200
        response = client.post(f"/i/{token}/finish")
        assert response.status_code == 302, response.text
    return response
