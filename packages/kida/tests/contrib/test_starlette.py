"""``KidaTemplates`` renders Kida templates as Starlette responses (through Starlette's client)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from kida import DictLoader, Environment, Template, TemplateRuntimeError
from kida.contrib.starlette import KidaTemplates

WriteTemplates = Callable[..., Path]
Endpoint = Callable[[Request], Any]

HTMX_PAGE = (
    "{{ hx_request() }} {{ hx_target() }} {{ hx_trigger() }} {{ hx_boosted() }}"
    "{% block part %}[{{ hx_target() }}]{% end %}"
)
HTMX_HEADERS = {
    "HX-Request": "true",
    "HX-Target": "results",
    "HX-Trigger": "search",
    "HX-Boosted": "true",
}


def client(endpoint: Endpoint, *routes: Route) -> TestClient:
    """A client of an app serving ``endpoint`` at ``/`` (plus ``routes``)."""
    return TestClient(Starlette(routes=[Route("/", endpoint, name="home"), *routes]))


def make_request(headers: dict[str, str] | None = None) -> Request:
    raw = [(key.lower().encode(), value.encode()) for key, value in (headers or {}).items()]
    return Request({"type": "http", "method": "GET", "path": "/", "headers": raw})


async def numbers(count: int) -> AsyncIterator[int]:
    for number in range(count):
        yield number


# -- construction -----------------------------------------------------------------------------


def test_a_directory_builds_an_environment_loading_from_it(write_templates: WriteTemplates) -> None:
    folder = write_templates({"hello.html": "Hello {{ name }}"})

    templates = KidaTemplates(str(folder))

    assert templates.get_template("hello.html").render(name="Kida") == "Hello Kida"


def test_a_directory_may_be_a_path(write_templates: WriteTemplates) -> None:
    folder: os.PathLike[str] = write_templates({"hello.html": "from a path"})

    assert KidaTemplates(folder).get_template("hello.html").render() == "from a path"


def test_several_directories_are_searched_in_order(write_templates: WriteTemplates) -> None:
    theme = write_templates({"page.html": "theme"}, folder="theme")
    base = write_templates({"page.html": "base", "other.html": "base other"}, folder="base")

    templates = KidaTemplates([theme, base])

    assert templates.get_template("page.html").render() == "theme"
    assert templates.get_template("other.html").render() == "base other"


def test_environment_options_pass_through(write_templates: WriteTemplates) -> None:
    folder = write_templates({"raw.html": "{{ html }}"})

    templates = KidaTemplates(folder, autoescape=False, cache_size=5)

    assert templates.env.cache_size == 5
    assert templates.get_template("raw.html").render(html="<b>") == "<b>"


def test_templates_are_escaped_by_default(write_templates: WriteTemplates) -> None:
    folder = write_templates({"page.html": "{{ html }}"})

    assert KidaTemplates(folder).get_template("page.html").render(html="<b>") == "&lt;b&gt;"


def test_a_configured_environment_is_used_as_is() -> None:
    env = Environment(loader=DictLoader({"page.html": "from env"}))

    templates = KidaTemplates(env=env)

    assert templates.env is env
    assert isinstance(templates.get_template("page.html"), Template)


def test_without_directory_or_environment_construction_fails() -> None:
    with pytest.raises(ValueError, match="Either 'directory' or 'env' must be provided"):
        KidaTemplates()


def test_a_directory_and_an_environment_together_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not both"):
        KidaTemplates(tmp_path, env=Environment())


def test_environment_options_beside_an_environment_are_refused() -> None:
    with pytest.raises(ValueError, match="not both"):
        KidaTemplates(env=Environment(), autoescape=False)


def test_context_processors_are_kept_in_order() -> None:
    def first(request: Request) -> dict[str, Any]:
        return {}

    def second(request: Request) -> dict[str, Any]:
        return {}

    templates = KidaTemplates(env=Environment(), context_processors=[first, second])

    assert templates.context_processors == templates._context_processors == [first, second]


# -- TemplateResponse: the original contract ------------------------------------------------------


def contract_response() -> Response:
    env = Environment(loader=DictLoader({"hello.html": "Hello {{ name }}" + HTMX_PAGE}))
    templates = KidaTemplates(env=env, context_processors=[lambda request: {"processor": True}])
    return templates.TemplateResponse(
        make_request(HTMX_HEADERS),
        "hello.html",
        {"name": "Kida"},
        status_code=201,
        headers={"X-Test": "yes"},
        media_type="text/custom",
    )


def test_template_response_is_an_html_response_with_the_rendered_body() -> None:
    response = contract_response()

    assert isinstance(response, HTMLResponse)
    assert response.body == b"Hello KidaTrue results search True[results]"


def test_template_response_keeps_status_headers_and_media_type() -> None:
    response = contract_response()

    assert response.status_code == 201
    assert response.headers["X-Test"] == "yes"
    assert response.headers["content-type"] == "text/custom; charset=utf-8"


def test_template_response_context_has_request_values_and_processor_values() -> None:
    response = contract_response()

    assert set(response.context) == {"request", "name", "processor"}  # type: ignore[attr-defined]


# -- TemplateResponse through the client ------------------------------------------------------


def test_template_response_serves_html(write_templates: WriteTemplates) -> None:
    templates = KidaTemplates(write_templates({"hello.html": "Hello {{ name }}"}))

    async def home(request: Request) -> Response:
        return templates.TemplateResponse(request, "hello.html", {"name": "<Kida>"})

    response = client(home).get("/")

    assert response.status_code == 200
    assert response.text == "Hello &lt;Kida&gt;"
    assert response.headers["content-type"] == "text/html; charset=utf-8"


def test_templates_see_the_request(write_templates: WriteTemplates) -> None:
    templates = KidaTemplates(write_templates({"page.html": "{{ request.query_params['q'] }}"}))

    async def home(request: Request) -> Response:
        return templates.TemplateResponse(request, "page.html")

    assert client(home).get("/?q=kida").text == "kida"


def test_context_processor_values_win_over_the_callers(write_templates: WriteTemplates) -> None:
    templates = KidaTemplates(
        write_templates({"page.html": "{{ site }} {{ user }}"}),
        context_processors=[lambda request: {"site": "processor"}],
    )

    async def home(request: Request) -> Response:
        return templates.TemplateResponse(request, "page.html", {"site": "view", "user": "ada"})

    assert client(home).get("/").text == "processor ada"


def test_context_processors_receive_the_request(write_templates: WriteTemplates) -> None:
    templates = KidaTemplates(
        write_templates({"page.html": "{{ path }}"}),
        context_processors=[lambda request: {"path": request.url.path}],
    )

    async def home(request: Request) -> Response:
        return templates.TemplateResponse(request, "page.html")

    assert client(home).get("/").text == "/"


def test_the_callers_context_is_not_changed(write_templates: WriteTemplates) -> None:
    templates = KidaTemplates(
        write_templates({"page.html": "{{ site }}"}),
        context_processors=[lambda request: {"site": "processor"}],
    )
    context = {"site": "view"}

    async def home(request: Request) -> Response:
        return templates.TemplateResponse(request, "page.html", context)

    client(home).get("/")

    assert context == {"site": "view"}


def test_url_for_builds_urls_for_the_request(write_templates: WriteTemplates) -> None:
    templates = KidaTemplates(
        write_templates({"page.html": "{{ url_for('user', name='ada') }} {{ url_for('home') }}"})
    )

    async def home(request: Request) -> Response:
        return templates.TemplateResponse(request, "page.html")

    async def user(request: Request) -> Response:
        return Response()

    response = client(home, Route("/users/{name}", user, name="user")).get("/")

    assert response.text == "http://testserver/users/ada http://testserver/"


def test_url_for_without_a_request_says_what_is_missing(write_templates: WriteTemplates) -> None:
    templates = KidaTemplates(write_templates({"page.html": "{{ url_for('home') }}"}))

    with pytest.raises(TemplateRuntimeError, match="needs the request"):
        templates.get_template("page.html").render()


def test_the_test_client_sees_the_template_and_context(write_templates: WriteTemplates) -> None:
    templates = KidaTemplates(write_templates({"page.html": "{{ name }}"}))

    async def home(request: Request) -> Response:
        return templates.TemplateResponse(request, "page.html", {"name": "Kida"})

    response = client(home).get("/")

    assert response.template.name == "page.html"  # type: ignore[attr-defined]
    assert response.context["name"] == "Kida"  # type: ignore[attr-defined]


def test_a_background_task_runs_after_the_response(write_templates: WriteTemplates) -> None:
    templates = KidaTemplates(write_templates({"page.html": "done"}))
    ran: list[str] = []

    async def home(request: Request) -> Response:
        task = BackgroundTask(ran.append, "task")
        return templates.TemplateResponse(request, "page.html", background=task)

    assert client(home).get("/").text == "done"
    assert ran == ["task"]


def test_arguments_may_be_given_by_keyword(write_templates: WriteTemplates) -> None:
    templates = KidaTemplates(write_templates({"page.html": "{{ name }}"}))

    async def home(request: Request) -> Response:
        return templates.TemplateResponse(
            request=request, name="page.html", context={"name": "kw"}, status_code=202
        )

    response = client(home).get("/")

    assert (response.status_code, response.text) == (202, "kw")


# -- the older call style -------------------------------------------------------------------------


def test_the_name_first_call_still_renders_and_warns(write_templates: WriteTemplates) -> None:
    templates = KidaTemplates(write_templates({"page.html": "{{ request.url.path }} {{ n }}"}))

    async def home(request: Request) -> Response:
        with pytest.warns(DeprecationWarning, match="pass the request first"):
            return templates.TemplateResponse("page.html", {"request": request, "n": 1}, 203)

    response = client(home).get("/")

    assert (response.status_code, response.text) == (203, "/ 1")


def test_the_name_first_call_without_a_request_in_the_context_fails() -> None:
    templates = KidaTemplates(env=Environment(loader=DictLoader({"page.html": ""})))

    with (
        pytest.warns(DeprecationWarning),
        pytest.raises(ValueError, match='context must include a "request" key'),
    ):
        templates.TemplateResponse("page.html", {"name": "x"})


def test_keywords_without_a_request_take_it_from_the_context() -> None:
    templates = KidaTemplates(env=Environment(loader=DictLoader({"page.html": "{{ n }}"})))

    with pytest.warns(DeprecationWarning):
        response = templates.TemplateResponse(
            name="page.html", context={"request": make_request(), "n": 2}
        )

    assert response.body == b"2"


# -- HTMX ---------------------------------------------------------------------------------------


def test_htmx_request_headers_reach_the_template(write_templates: WriteTemplates) -> None:
    templates = KidaTemplates(write_templates({"page.html": HTMX_PAGE}))

    async def home(request: Request) -> Response:
        return templates.TemplateResponse(request, "page.html")

    assert client(home).get("/", headers=HTMX_HEADERS).text == "True results search True[results]"


def test_a_request_without_htmx_headers_is_not_an_htmx_request(
    write_templates: WriteTemplates,
) -> None:
    templates = KidaTemplates(write_templates({"page.html": HTMX_PAGE}))

    async def home(request: Request) -> Response:
        return templates.TemplateResponse(request, "page.html")

    assert client(home).get("/").text == "False   False[]"  # None prints as nothing


def test_an_htmx_header_other_than_true_is_not_an_htmx_request(
    write_templates: WriteTemplates,
) -> None:
    templates = KidaTemplates(write_templates({"page.html": "{{ hx_request() }}"}))

    async def home(request: Request) -> Response:
        return templates.TemplateResponse(request, "page.html")

    assert client(home).get("/", headers={"HX-Request": "false"}).text == "False"


SEARCH_PAGE = """\
<form>{{ query }}</form>
{%- block results %}<ul>{% for hit in hits %}<li>{{ hit }}</li>{% end %}</ul>{% end %}"""


def test_block_name_renders_only_that_block(write_templates: WriteTemplates) -> None:
    templates = KidaTemplates(write_templates({"search.html": SEARCH_PAGE}))

    async def home(request: Request) -> Response:
        hits = [request.query_params["q"]]
        return templates.TemplateResponse(
            request, "search.html", {"query": "", "hits": hits}, block_name="results"
        )

    body = client(home).get("/?q=<Admin>").text

    assert body == "<ul><li>&lt;Admin&gt;</li></ul>"
    assert "<form" not in body


def test_a_rendered_block_sees_the_htmx_headers(write_templates: WriteTemplates) -> None:
    templates = KidaTemplates(write_templates({"page.html": HTMX_PAGE}))

    async def home(request: Request) -> Response:
        return templates.TemplateResponse(request, "page.html", block_name="part")

    assert client(home).get("/", headers=HTMX_HEADERS).text == "[results]"


def test_a_missing_block_raises_a_key_error(write_templates: WriteTemplates) -> None:
    templates = KidaTemplates(write_templates({"page.html": "{% block part %}{% end %}"}))

    with pytest.raises(KeyError, match="prat"):
        templates.TemplateResponse(make_request(), "page.html", block_name="prat")


# -- async templates and streaming --------------------------------------------------------------

ASYNC_PAGE = (
    "<h1>{{ title }}</h1>{% block items %}{% async for n in numbers %}{{ n }},{% end %}{% end %}"
)


def test_an_async_template_renders_into_a_template_response(
    write_templates: WriteTemplates,
) -> None:
    templates = KidaTemplates(write_templates({"async.html": ASYNC_PAGE}))

    async def home(request: Request) -> Response:
        context = {"title": "<Count>", "numbers": numbers(3)}
        return templates.TemplateResponse(request, "async.html", context)

    response = client(home).get("/")

    assert response.text == "<h1>&lt;Count&gt;</h1>0,1,2,"
    assert response.headers["content-length"] == str(len(response.content))


def test_a_block_of_an_async_template_renders(write_templates: WriteTemplates) -> None:
    templates = KidaTemplates(write_templates({"async.html": ASYNC_PAGE}))

    async def home(request: Request) -> Response:
        context = {"title": "", "numbers": numbers(2)}
        return templates.TemplateResponse(request, "async.html", context, block_name="items")

    assert client(home).get("/").text == "0,1,"


def test_an_async_template_sees_the_htmx_headers(write_templates: WriteTemplates) -> None:
    source = "{% async for n in numbers %}{{ hx_target() }}{{ n }}{% end %}"
    templates = KidaTemplates(write_templates({"async.html": source}))

    async def home(request: Request) -> Response:
        return templates.TemplateResponse(request, "async.html", {"numbers": numbers(2)})

    assert client(home).get("/", headers=HTMX_HEADERS).text == "results0results1"


def test_a_streaming_response_streams_an_async_template(write_templates: WriteTemplates) -> None:
    templates = KidaTemplates(write_templates({"async.html": ASYNC_PAGE}))

    async def home(request: Request) -> Response:
        context = {"title": "Count", "numbers": numbers(3)}
        return templates.StreamingTemplateResponse(request, "async.html", context)

    response = client(home).get("/")

    assert response.text == "<h1>Count</h1>0,1,2,"
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "content-length" not in response.headers


def test_a_streaming_response_streams_a_sync_template(write_templates: WriteTemplates) -> None:
    templates = KidaTemplates(
        write_templates({"page.html": "{% for n in range(3) %}{{ n }}{% end %}"})
    )

    async def home(request: Request) -> Response:
        response = templates.StreamingTemplateResponse(request, "page.html", status_code=202)
        assert isinstance(response, StreamingResponse)
        return response

    response = client(home).get("/")

    assert (response.status_code, response.text) == (202, "012")


def test_a_streaming_response_may_stream_one_block(write_templates: WriteTemplates) -> None:
    templates = KidaTemplates(write_templates({"search.html": SEARCH_PAGE}))

    async def home(request: Request) -> Response:
        context = {"query": "", "hits": ["<Admin>"]}
        return templates.StreamingTemplateResponse(
            request, "search.html", context, block_name="results"
        )

    assert client(home).get("/").text == "<ul><li>&lt;Admin&gt;</li></ul>"


def test_a_streaming_response_sees_the_htmx_headers(write_templates: WriteTemplates) -> None:
    templates = KidaTemplates(write_templates({"page.html": HTMX_PAGE}))

    async def home(request: Request) -> Response:
        return templates.StreamingTemplateResponse(request, "page.html")

    response = client(home).get("/", headers=HTMX_HEADERS)

    assert response.text == "True results search True[results]"


def test_a_streaming_response_exposes_template_and_context_to_tests(
    write_templates: WriteTemplates,
) -> None:
    templates = KidaTemplates(write_templates({"page.html": "{{ name }}"}))

    async def home(request: Request) -> Response:
        return templates.StreamingTemplateResponse(request, "page.html", {"name": "Kida"})

    response = client(home).get("/")

    assert response.template.name == "page.html"  # type: ignore[attr-defined]
    assert response.context["name"] == "Kida"  # type: ignore[attr-defined]


# -- the sandbox --------------------------------------------------------------------------------


def sandboxed(source: str) -> KidaTemplates:
    from kida_sandbox import SandboxedEnvironment

    return KidaTemplates(env=SandboxedEnvironment(loader=DictLoader({"page.html": source})))


def test_sandboxed_templates_may_call_url_for() -> None:
    templates = sandboxed("{{ url_for('home') }} {{ hx_request() }}")

    async def home(request: Request) -> Response:
        return templates.TemplateResponse(request, "page.html")

    assert client(home).get("/", headers=HTMX_HEADERS).text == "http://testserver/ True"


def test_sandboxed_templates_cannot_reach_into_url_for() -> None:
    from kida import SecurityError

    templates = sandboxed("{{ url_for.__globals__ }}")

    with pytest.raises(SecurityError):
        templates.TemplateResponse(make_request(), "page.html")
