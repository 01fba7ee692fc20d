"""Views rendering Kida templates, exercised through Django's test client."""

from __future__ import annotations

import re
import types
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist, engines, loader
from django.test import AsyncClient, Client, RequestFactory
from django.urls import path
from django.utils import translation

from kida.contrib.django import render_block_to_string, render_htmx

from .conftest import UseTemplates, kida_settings

PAGE = """\
<html><body>
{% block content %}
<form method="post">{{ csrf_input }}<input name="who"></form>
{% block greeting %}<p id="greeting">Hello {{ who }}</p>{% end %}
{% end %}
</body></html>
"""


def greet(request: HttpRequest) -> HttpResponse:
    who = request.POST.get("who", "nobody")
    return render(request, "page.html", {"who": who}, using="kida")


def greeting_fragment(request: HttpRequest) -> HttpResponse:
    who = request.POST.get("who", "nobody")
    content = render_block_to_string("page.html", "greeting", {"who": who}, request)
    return HttpResponse(content)


def page_or_fragment(request: HttpRequest) -> HttpResponse:
    return render_htmx(request, "page.html", "greeting", {"who": "Ada"})


def htmx_state(request: HttpRequest) -> HttpResponse:
    return render(request, "htmx.html", using="kida")


def csrf_forms(request: HttpRequest) -> HttpResponse:
    return render(request, "csrf.html", using="kida")


def streamed(request: HttpRequest) -> StreamingHttpResponse:
    template = engines["kida"].get_template("list.html")
    return StreamingHttpResponse(template.render_stream({"items": [1, 2, 3]}, request))


async def streamed_async(request: HttpRequest) -> StreamingHttpResponse:
    async def items() -> AsyncIterator[int]:
        for item in (1, 2, 3):
            yield item

    template = engines["kida"].get_template("feed.html")
    return StreamingHttpResponse(template.render_stream_async({"items": items()}, request))


def failing(request: HttpRequest) -> HttpResponse:
    return render(request, "failing.html", {"user": {"name": "Ada"}}, using="kida")


def broken(request: HttpRequest) -> HttpResponse:
    return render(request, "broken.html", using="kida")


def links(request: HttpRequest) -> HttpResponse:
    with translation.override(request.GET.get("lang", "en")):
        return render(request, "links.html", using="kida")


def missing(request: HttpRequest) -> HttpResponse:
    return render(request, "missing.html")


URLS = types.ModuleType("kida_django_test_urls")
URLS.urlpatterns = [
    path("greet/", greet, name="greet"),
    path("greet/fragment/", greeting_fragment),
    path("page-or-fragment/", page_or_fragment),
    path("htmx/", htmx_state),
    path("csrf/", csrf_forms),
    path("stream/", streamed),
    path("stream/async/", streamed_async),
    path("failing/", failing),
    path("broken/", broken),
    path("missing/", missing),
    path("links/", links),
]


@pytest.fixture
def site(templates: Path, use_templates: UseTemplates) -> Path:
    """The Kida engine over ``templates`` with :data:`URLS` as the URLconf."""
    (templates / "page.html").write_text(PAGE)
    use_templates(kida_settings([templates]), ROOT_URLCONF=URLS)
    return templates


# -- context and CSRF ---------------------------------------------------------------------------


def test_a_view_renders_with_the_request_in_the_context(site: Path) -> None:
    response = Client().get("/greet/")
    assert response.status_code == 200
    assert '<p id="greeting">Hello nobody</p>' in response.content.decode()


def test_csrf_input_is_a_real_token_the_middleware_accepts(site: Path) -> None:
    client = Client(enforce_csrf_checks=True)
    form = client.get("/greet/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    assert token is not None
    refused = client.post("/greet/", {"who": "Ada"})
    accepted = client.post("/greet/", {"who": "Ada", "csrfmiddlewaretoken": token.group(1)})
    assert refused.status_code == 403
    assert accepted.status_code == 200


def test_csrf_token_is_a_context_variable(site: Path, templates: Path) -> None:
    (templates / "csrf.html").write_text("<input value='{{ csrf_token }}'>")
    client = Client(enforce_csrf_checks=True)
    token = client.get("/csrf/").content.decode()[len("<input value='") : -2]
    assert len(token) == 64
    assert client.post("/greet/", {"csrfmiddlewaretoken": token}).status_code == 200


def test_kidas_csrf_token_global_works_in_imported_defs(site: Path, templates: Path) -> None:
    (templates / "forms.html").write_text(
        "{% def token_field() %}<input value='{{ csrf_token() }}'>{% end %}"
    )
    (templates / "csrf.html").write_text(
        "{% from 'forms.html' import token_field %}{{ token_field() }}"
    )
    client = Client(enforce_csrf_checks=True)
    token = client.get("/csrf/").content.decode()[len("<input value='") : -2]
    assert len(token) == 64
    assert client.post("/greet/", {"csrfmiddlewaretoken": token}).status_code == 200


def test_the_callers_context_is_not_changed_by_a_render(site: Path) -> None:
    context = {"who": "Ada"}
    loader.render_to_string("page.html", context, RequestFactory().get("/"))
    assert context == {"who": "Ada"}


def test_the_guides_environment_callable_adds_url_and_the_backend_translates(
    templates: Path, use_templates: UseTemplates
) -> None:
    (templates / "links.html").write_text("<a href=\"{{ url('greet') }}\">{{ _('January') }}</a>")
    options = {"environment": "kida_django_support.django_environment"}
    use_templates(kida_settings([templates], OPTIONS=options), ROOT_URLCONF=URLS)
    client = Client()
    assert client.get("/links/").content.decode() == '<a href="/greet/">January</a>'
    assert client.get("/links/?lang=de").content.decode() == '<a href="/greet/">Januar</a>'


# -- HTMX partials ------------------------------------------------------------------------------


def test_htmx_headers_reach_the_htmx_globals(site: Path, templates: Path) -> None:
    (templates / "htmx.html").write_text(
        "{{ hx_request() }} {{ hx_target() }} {{ hx_trigger() }} {{ hx_boosted() }}"
    )
    client = Client()
    plain = client.get("/htmx/").content.decode()
    htmx = client.get(
        "/htmx/",
        headers={"HX-Request": "true", "HX-Target": "results", "HX-Trigger": "search"},
    ).content.decode()
    assert plain == "False   False"
    assert htmx == "True results search False"


def test_a_fragment_view_returns_only_the_block_with_values_escaped(site: Path) -> None:
    response = Client().post("/greet/fragment/", {"who": "<Admin>"})
    body = response.content.decode()
    assert body == '<p id="greeting">Hello &lt;Admin&gt;</p>'
    assert "<form" not in body


def test_render_htmx_sends_the_block_to_htmx_and_the_page_to_browsers(site: Path) -> None:
    client = Client()
    page = client.get("/page-or-fragment/")
    fragment = client.get("/page-or-fragment/", headers={"HX-Request": "true"})
    assert "<form" in page.content.decode()
    assert fragment.content.decode() == '<p id="greeting">Hello Ada</p>'
    assert "HX-Request" in page["Vary"]
    assert "HX-Request" in fragment["Vary"]


def test_render_htmx_sends_boosted_requests_the_whole_page(site: Path) -> None:
    response = Client().get(
        "/page-or-fragment/", headers={"HX-Request": "true", "HX-Boosted": "true"}
    )
    assert "<html>" in response.content.decode()


def test_render_block_to_string_selects_from_a_list_of_names(site: Path) -> None:
    rendered = render_block_to_string(["custom.html", "page.html"], "greeting", {"who": "Bo"})
    assert rendered == '<p id="greeting">Hello Bo</p>'


def test_render_block_to_string_refuses_a_template_of_another_engine(
    site: Path, tmp_path: Path, use_templates: UseTemplates
) -> None:
    (tmp_path / "dtl.html").write_text("{% block b %}x{% endblock %}")
    use_templates(
        {"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [tmp_path]}
    )
    with pytest.raises(TypeError, match="non-Kida template engine"):
        render_block_to_string("dtl.html", "b")


def test_a_missing_block_is_a_key_error(site: Path) -> None:
    with pytest.raises(KeyError, match="greting"):
        render_block_to_string("page.html", "greting")


# -- test tooling and streaming --------------------------------------------------------------------


def test_the_test_client_records_the_template_and_its_context(site: Path) -> None:
    response = Client().get("/greet/")
    assert [template.name for template in response.templates] == ["page.html"]
    assert response.context["who"] == "nobody"


def test_assert_template_used_sees_kida_templates(site: Path) -> None:
    from django.test import SimpleTestCase

    response = Client().get("/greet/")
    SimpleTestCase().assertTemplateUsed(response, "page.html")


def test_a_streaming_response_renders_chunk_by_chunk(site: Path, templates: Path) -> None:
    (templates / "list.html").write_text("{% for i in items %}<li>{{ i }}</li>{% end %}")
    response = Client().get("/stream/")
    assert response.streaming
    assert b"".join(response.streaming_content) == b"<li>1</li><li>2</li><li>3</li>"


async def test_an_async_template_streams_to_an_async_view(site: Path, templates: Path) -> None:
    (templates / "feed.html").write_text(
        "{% async for i in items %}<li>{{ i }}{{ hx_target() }}</li>{% end %}"
    )
    response = await AsyncClient().get(
        "/stream/async/", headers={"HX-Request": "true", "HX-Target": "t"}
    )
    assert b"".join([chunk async for chunk in response.streaming_content]) == (
        b"<li>1t</li><li>2t</li><li>3t</li>"
    )


def test_every_render_mode_gives_the_same_page(site: Path) -> None:
    template = loader.get_template("page.html")
    request = RequestFactory().get("/", headers={"HX-Request": "true"})
    context = {"who": "Ada"}
    whole = template.render(context, request)
    streamed = "".join(template.render_stream(context, request))
    block = template.render_block("greeting", context, request)
    assert re.sub(r'value="[^"]+"', "", streamed) == re.sub(r'value="[^"]+"', "", whole)
    assert block in whole


# -- Django's debug page ------------------------------------------------------------------------


def debug_page(url: str) -> str:
    """The technical 500 page Django shows with ``DEBUG = True``."""
    response = Client(raise_request_exception=False).get(url)
    assert response.status_code == 500
    return str(response.content.decode())


@pytest.fixture
def debug(site: Path, use_templates: UseTemplates) -> Callable[[str], str]:
    """:func:`debug_page`, with the site's templates and ``DEBUG = True``."""
    use_templates(*settings.TEMPLATES, DEBUG=True)
    return debug_page


def test_the_debug_page_shows_the_template_lines_of_a_render_error(
    debug: Callable[[str], str], templates: Path
) -> None:
    (templates / "failing.html").write_text("<h1>Profile</h1>\n<p>{{ user.nmae }}</p>\n<footer>")
    page = debug("/failing/")
    assert "Error during template rendering" in page
    assert f"In template <code>{templates / 'failing.html'}</code>" in page
    assert "error at line <strong>2</strong>" in page
    assert "&lt;h1&gt;Profile&lt;/h1&gt;" in page
    assert '<span class="specific">&lt;p&gt;{{ user.nmae }}&lt;/p&gt;</span>' in page


def test_the_debug_page_shows_the_template_lines_of_a_syntax_error(
    debug: Callable[[str], str], templates: Path
) -> None:
    (templates / "broken.html").write_text("fine\n{% for x in %}\n")
    page = debug("/broken/")
    assert "TemplateSyntaxError" in page
    assert "error at line <strong>2</strong>" in page
    assert '<span class="specific">{% for x in %}</span>' in page


def test_the_debug_page_lists_the_files_tried_for_a_missing_template(
    debug: Callable[[str], str], templates: Path
) -> None:
    page = debug("/missing/")
    assert "Template-loader postmortem" in page
    assert "Using engine <code>kida</code>" in page
    assert str(templates / "missing.html") in page
    assert "Source does not exist" in page


def test_a_missing_template_is_template_does_not_exist_for_the_view(site: Path) -> None:
    with pytest.raises(TemplateDoesNotExist):
        Client().get("/missing/")
