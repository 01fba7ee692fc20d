"""FastAPI apps use ``KidaTemplates`` as they use Starlette's ``Jinja2Templates``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from fastapi import FastAPI, Form, Request
from fastapi.responses import HTMLResponse
from fastapi.testclient import TestClient
from starlette.responses import Response

from kida.contrib.starlette import KidaTemplates

WriteTemplates = Callable[..., Path]

CONTACTS = """\
{% def contact_row(name) %}<li>{{ name }}</li>{% end %}
<h1>Contacts</h1>
<form hx-post="{{ url_for('add_contact') }}" hx-target="#list"><input name="name"></form>
{% block contact_list %}<ul id="list">
{%- for name in names %}{{ contact_row(name) }}{% end %}</ul>{% end %}"""
LIVE = '<ul id="live">{% async for name in names %}<li>{{ name }}</li>{% end %}</ul>'


@pytest.fixture
def app(write_templates: WriteTemplates) -> FastAPI:
    folder = write_templates({"contacts.html": CONTACTS, "live.html": LIVE})
    templates = KidaTemplates(folder)
    names: list[str] = ["Ada"]
    app = FastAPI()

    @app.get("/", response_class=HTMLResponse)
    async def contacts(request: Request) -> Response:
        return templates.TemplateResponse(request, "contacts.html", {"names": names})

    @app.post("/contacts", response_class=HTMLResponse, name="add_contact")
    async def add_contact(request: Request, name: str = Form()) -> Response:
        names.append(name)
        return templates.TemplateResponse(
            request, "contacts.html", {"names": names}, block_name="contact_list"
        )

    @app.get("/stream", response_class=HTMLResponse)
    async def stream(request: Request) -> Response:
        async def slowly() -> AsyncIterator[str]:
            for name in names:
                yield name

        return templates.StreamingTemplateResponse(request, "live.html", {"names": slowly()})

    return app


def test_a_page_renders_with_url_for_of_the_app(app: FastAPI) -> None:
    response = TestClient(app).get("/")

    assert response.status_code == 200
    assert 'hx-post="http://testserver/contacts"' in response.text
    assert '<ul id="list"><li>Ada</li></ul>' in response.text


def test_a_posted_form_value_comes_back_escaped_in_the_fragment(app: FastAPI) -> None:
    response = TestClient(app).post(
        "/contacts", data={"name": "<Admin>"}, headers={"HX-Request": "true"}
    )

    assert response.text == '<ul id="list"><li>Ada</li><li>&lt;Admin&gt;</li></ul>'
    assert "<form" not in response.text


def test_an_async_template_streams(app: FastAPI) -> None:
    client = TestClient(app)
    client.post("/contacts", data={"name": "<Admin>"})

    response = client.get("/stream")

    assert response.text == '<ul id="live"><li>Ada</li><li>&lt;Admin&gt;</li></ul>'
