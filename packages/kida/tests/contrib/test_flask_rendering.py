"""Flask apps render Kida templates as they render Jinja ones, through Flask's test client."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import (
    Blueprint,
    Flask,
    Response,
    flash,
    g,
    session,
    template_rendered,
)
from flask.signals import before_render_template
from flask.testing import FlaskClient

from kida import TemplateError, TemplatesNotFoundError, UndefinedError
from kida.contrib.flask import (
    init_kida,
    render_block,
    render_template,
    render_template_string,
    stream_template,
    stream_template_string,
)

WriteTemplates = Callable[..., Path]


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    app = Flask(__name__, root_path=str(tmp_path))
    app.config.update(TESTING=True, SECRET_KEY="test")
    return app


def get(app: Flask, path: str = "/", **kwargs: Any) -> str:
    client: FlaskClient = app.test_client()
    response = client.get(path, **kwargs)
    assert response.status_code == 200, response.text
    return response.text


# -- render_template ------------------------------------------------------------------------


def test_render_template_renders_the_named_template(
    app: Flask, write_templates: WriteTemplates
) -> None:
    write_templates({"hello.html": "Hello {{ name }}!"})
    init_kida(app)
    app.add_url_rule("/", view_func=lambda: render_template("hello.html", name="Kida"))

    assert get(app) == "Hello Kida!"


def test_render_template_takes_the_first_existing_name_of_a_list(
    app: Flask, write_templates: WriteTemplates
) -> None:
    write_templates({"fallback.html": "fallback"})
    init_kida(app)
    app.add_url_rule("/", view_func=lambda: render_template(["custom.html", "fallback.html"]))

    assert get(app) == "fallback"


def test_render_template_of_a_list_without_any_existing_name_names_each(
    app: Flask, write_templates: WriteTemplates
) -> None:
    write_templates({})
    init_kida(app)

    with app.app_context(), pytest.raises(TemplatesNotFoundError, match=r"a\.html.*b\.html"):
        render_template(["a.html", "b.html"])


def test_a_missing_variable_still_raises(app: Flask, write_templates: WriteTemplates) -> None:
    write_templates({"broken.html": "{{ user.name }}"})
    init_kida(app)

    with app.test_request_context("/"), pytest.raises(UndefinedError, match="user"):
        render_template("broken.html")


def test_flasks_jinja_environment_is_left_alone(
    app: Flask, write_templates: WriteTemplates
) -> None:
    write_templates({"page.html": "{{ 1 + 1 }}"})
    env = init_kida(app)

    assert app.jinja_env is not env
    assert type(app.jinja_env).__module__ == "flask.templating"


# -- autoescape -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["page.html", "page.htm", "page.xml", "icon.svg", "page.html.kida"]
)
def test_markup_templates_are_escaped(
    app: Flask, write_templates: WriteTemplates, name: str
) -> None:
    write_templates({name: "{{ value }}"})
    init_kida(app)

    with app.app_context():
        assert render_template(name, value="<b>") == "&lt;b&gt;"


@pytest.mark.parametrize("name", ["notes.txt", "mail.eml", "page.kida"])
def test_other_templates_are_not_escaped(
    app: Flask, write_templates: WriteTemplates, name: str
) -> None:
    write_templates({name: "{{ value }}"})
    init_kida(app)

    with app.app_context():
        assert render_template(name, value="<b>") == "<b>"


def test_string_templates_are_escaped(app: Flask, write_templates: WriteTemplates) -> None:
    write_templates({})
    init_kida(app)

    with app.app_context(), pytest.warns(UserWarning, match="from_string"):
        assert render_template_string("{{ value }}", value="<b>") == "&lt;b&gt;"


# -- Flask's template context ---------------------------------------------------------------


def test_templates_see_the_request(app: Flask, write_templates: WriteTemplates) -> None:
    write_templates({"page.html": "{{ request.args['q'] }} {{ request.path }}"})
    init_kida(app)
    app.add_url_rule("/search", view_func=lambda: render_template("page.html"))

    assert get(app, "/search?q=kida") == "kida /search"


def test_templates_see_the_session(app: Flask, write_templates: WriteTemplates) -> None:
    write_templates({"page.html": "{{ session['user'] }}"})
    init_kida(app)

    def view() -> str:
        session["user"] = "ada"
        return render_template("page.html")

    app.add_url_rule("/", view_func=view)

    assert get(app) == "ada"


def test_templates_see_g(app: Flask, write_templates: WriteTemplates) -> None:
    write_templates({"page.html": "{{ g.user }}"})
    init_kida(app)

    def view() -> str:
        g.user = "grace"
        return render_template("page.html")

    app.add_url_rule("/", view_func=view)

    assert get(app) == "grace"


def test_templates_see_the_config(app: Flask, write_templates: WriteTemplates) -> None:
    write_templates({"page.html": "{{ config['SITE'] }}"})
    app.config["SITE"] = "Example"
    init_kida(app)
    app.add_url_rule("/", view_func=lambda: render_template("page.html"))

    assert get(app) == "Example"


def test_templates_build_urls_with_url_for(app: Flask, write_templates: WriteTemplates) -> None:
    write_templates({"page.html": "{{ url_for('user', name='ada') }}"})
    init_kida(app)
    app.add_url_rule("/", view_func=lambda: render_template("page.html"))
    app.add_url_rule("/users/<name>", "user", view_func=lambda name: name)

    assert get(app) == "/users/ada"


def test_templates_read_flashed_messages(app: Flask, write_templates: WriteTemplates) -> None:
    write_templates({"page.html": "{{ get_flashed_messages() | join(',') }}"})
    init_kida(app)

    def view() -> str:
        flash("saved")
        flash("<done>")
        return render_template("page.html")

    app.add_url_rule("/", view_func=view)

    assert get(app) == "saved,&lt;done&gt;"


def test_globals_given_to_the_environment_win_over_flasks(
    app: Flask, write_templates: WriteTemplates
) -> None:
    write_templates({"page.html": "{{ config }}"})
    init_kida(app, globals={"config": "mine"})

    with app.app_context():
        assert render_template("page.html") == "mine"


def test_tojson_serializes_like_the_apps_json_provider(
    app: Flask, write_templates: WriteTemplates
) -> None:
    write_templates({"page.html": "{{ data | tojson }}"})
    app.json.sort_keys = True  # type: ignore[attr-defined]
    init_kida(app)

    with app.app_context():
        assert render_template("page.html", data={"b": 1, "a": "<"}) == ('{"a": "\\u003c", "b": 1}')


# -- context processors -----------------------------------------------------------------------


def test_app_context_processors_add_variables(app: Flask, write_templates: WriteTemplates) -> None:
    write_templates({"page.html": "{{ site }}"})
    init_kida(app)
    app.context_processor(lambda: {"site": "Kida"})
    app.add_url_rule("/", view_func=lambda: render_template("page.html"))

    assert get(app) == "Kida"


def test_values_passed_to_render_template_win_over_context_processors(
    app: Flask, write_templates: WriteTemplates
) -> None:
    write_templates({"page.html": "{{ site }}"})
    init_kida(app)
    app.context_processor(lambda: {"site": "processor"})
    app.add_url_rule("/", view_func=lambda: render_template("page.html", site="view"))

    assert get(app) == "view"


def test_blueprint_context_processors_apply_to_the_blueprints_requests(
    app: Flask, write_templates: WriteTemplates
) -> None:
    write_templates({"page.html": "{{ section | default('none') }}"})
    init_kida(app)
    admin = Blueprint("admin", __name__)
    admin.context_processor(lambda: {"section": "admin"})
    admin.add_url_rule("/admin", view_func=lambda: render_template("page.html"))
    app.register_blueprint(admin)
    app.add_url_rule("/", view_func=lambda: render_template("page.html"))

    assert (get(app, "/admin"), get(app, "/")) == ("admin", "none")


# -- where templates are found ----------------------------------------------------------------


def test_blueprint_template_folders_are_searched_after_the_apps(
    app: Flask, write_templates: WriteTemplates, tmp_path: Path
) -> None:
    write_templates({"shared.html": "app"})
    write_templates({"shared.html": "blueprint", "own.html": "own"}, folder="admin/templates")
    admin = Blueprint(
        "admin", __name__, root_path=str(tmp_path / "admin"), template_folder="templates"
    )
    app.register_blueprint(admin)
    init_kida(app)

    with app.app_context():
        assert (render_template("shared.html"), render_template("own.html")) == ("app", "own")


def test_a_blueprint_registered_after_init_kida_is_searched(
    app: Flask, write_templates: WriteTemplates, tmp_path: Path
) -> None:
    write_templates({}, folder="templates")
    write_templates({"late.html": "late"}, folder="late/templates")
    init_kida(app)
    late = Blueprint(
        "late", __name__, root_path=str(tmp_path / "late"), template_folder="templates"
    )
    app.register_blueprint(late)

    with app.app_context():
        assert render_template("late.html") == "late"


def test_explain_template_loading_logs_each_folder_tried(
    app: Flask,
    write_templates: WriteTemplates,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    write_templates({"page.html": "page"})
    admin = Blueprint(
        "admin", __name__, root_path=str(tmp_path / "admin"), template_folder="templates"
    )
    app.register_blueprint(admin)
    app.config["EXPLAIN_TEMPLATE_LOADING"] = True
    init_kida(app)

    with app.app_context(), caplog.at_level(logging.INFO, logger=app.logger.name):
        render_template("page.html")

    explanation = caplog.records[-1].getMessage()
    assert "Locating Kida template 'page.html'" in explanation
    assert "of the app" in explanation and "found" in explanation
    assert "of the blueprint 'admin': no template" in explanation


# -- auto_reload ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("setting", "debug", "expected"),
    [(True, False, True), (False, True, False), (None, True, True), (None, False, False)],
)
def test_auto_reload_follows_templates_auto_reload_then_debug(
    app: Flask, setting: bool | None, debug: bool, expected: bool
) -> None:
    app.config["TEMPLATES_AUTO_RELOAD"] = setting
    app.debug = debug

    assert init_kida(app).auto_reload is expected


def test_auto_reload_may_be_chosen(app: Flask) -> None:
    app.debug = True

    assert init_kida(app, auto_reload=False).auto_reload is False


def test_an_edited_template_is_reloaded_in_debug_mode(
    app: Flask, write_templates: WriteTemplates
) -> None:
    folder = write_templates({"page.html": "before"})
    app.config["TEMPLATES_AUTO_RELOAD"] = True
    init_kida(app)
    app.add_url_rule("/", view_func=lambda: render_template("page.html"))
    assert get(app) == "before"

    (folder / "page.html").write_text("after, and longer")

    assert get(app) == "after, and longer"


# -- signals --------------------------------------------------------------------------------


@pytest.fixture
def recorded(app: Flask) -> Iterator[list[tuple[str, Any, dict[str, Any]]]]:
    events: list[tuple[str, Any, dict[str, Any]]] = []

    def before(sender: Flask, template: Any, context: dict[str, Any]) -> None:
        events.append(("before", template, context))

    def after(sender: Flask, template: Any, context: dict[str, Any]) -> None:
        events.append(("rendered", template, context))

    with (
        before_render_template.connected_to(before, app),
        template_rendered.connected_to(after, app),
    ):
        yield events


def test_rendering_sends_flasks_template_signals(
    app: Flask, write_templates: WriteTemplates, recorded: list[tuple[str, Any, dict[str, Any]]]
) -> None:
    write_templates({"page.html": "{{ name }}"})
    init_kida(app)
    app.add_url_rule("/", view_func=lambda: render_template("page.html", name="Kida"))

    get(app)

    assert [(event, template.name, context["name"]) for event, template, context in recorded] == [
        ("before", "page.html", "Kida"),
        ("rendered", "page.html", "Kida"),
    ]


def test_a_stream_signals_rendered_once_it_is_consumed(
    app: Flask, write_templates: WriteTemplates, recorded: list[tuple[str, Any, dict[str, Any]]]
) -> None:
    write_templates({"page.html": "{{ name }}"})
    init_kida(app)

    with app.app_context():
        chunks = stream_template("page.html", name="Kida")
        assert [event for event, _, _ in recorded] == ["before"]
        assert "".join(chunks) == "Kida"

    assert [event for event, _, _ in recorded] == ["before", "rendered"]


# -- string templates and streams -----------------------------------------------------------


def test_render_template_string_sees_flasks_context(
    app: Flask, write_templates: WriteTemplates
) -> None:
    write_templates({})
    init_kida(app)
    app.add_url_rule(
        "/", view_func=lambda: render_template_string("{{ request.path }} {{ who }}", who="me")
    )

    with pytest.warns(UserWarning, match="from_string"):
        assert get(app) == "/ me"


def test_stream_template_streams_the_page(app: Flask, write_templates: WriteTemplates) -> None:
    write_templates({"list.html": "{% for item in items %}<li>{{ item }}</li>{% end %}"})
    init_kida(app)
    app.add_url_rule(
        "/", view_func=lambda: Response(stream_template("list.html", items=["a", "<b>"]))
    )

    assert get(app) == "<li>a</li><li>&lt;b&gt;</li>"


def test_a_stream_reads_the_request_while_the_response_is_sent(
    app: Flask, write_templates: WriteTemplates
) -> None:
    write_templates({"page.html": "{% for i in range(2) %}{{ request.args['q'] }}{% end %}"})
    init_kida(app)
    app.add_url_rule("/", view_func=lambda: Response(stream_template("page.html")))

    assert get(app, "/?q=x") == "xx"


def test_stream_template_string_streams_a_source(
    app: Flask, write_templates: WriteTemplates
) -> None:
    write_templates({})
    init_kida(app)
    app.add_url_rule(
        "/", view_func=lambda: Response(stream_template_string("{{ a }}-{{ request.path }}", a=1))
    )

    with pytest.warns(UserWarning, match="from_string"):
        assert get(app) == "1-/"


# -- HTMX partials --------------------------------------------------------------------------

SEARCH_PAGE = """\
<form>{{ query }}</form>
{%- block results %}<ul>{% for hit in hits %}<li>{{ hit }}</li>{% end %}</ul>{% end %}"""


def test_render_block_renders_only_the_block(app: Flask, write_templates: WriteTemplates) -> None:
    write_templates({"search.html": SEARCH_PAGE})
    init_kida(app)
    app.add_url_rule(
        "/results",
        view_func=lambda: render_block("search.html", "results", query="q", hits=["<Admin>"]),
    )

    body = get(app, "/results")

    assert body == "<ul><li>&lt;Admin&gt;</li></ul>"
    assert "<form" not in body


def test_render_block_applies_context_processors(
    app: Flask, write_templates: WriteTemplates
) -> None:
    write_templates({"page.html": "{% block title %}{{ site }}{% end %} body"})
    init_kida(app)
    app.context_processor(lambda: {"site": "Kida"})
    app.add_url_rule("/", view_func=lambda: render_block("page.html", "title"))

    assert get(app) == "Kida"


def test_render_block_of_a_missing_block_raises_a_key_error(
    app: Flask, write_templates: WriteTemplates
) -> None:
    write_templates({"page.html": "{% block title %}{% end %}"})
    init_kida(app)

    with app.app_context(), pytest.raises(KeyError, match="titel") as caught:
        render_block("page.html", "titel")

    assert isinstance(caught.value, TemplateError)


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


def test_htmx_request_headers_reach_the_template(
    app: Flask, write_templates: WriteTemplates
) -> None:
    write_templates({"page.html": HTMX_PAGE})
    init_kida(app)
    app.add_url_rule("/", view_func=lambda: render_template("page.html"))

    assert get(app, headers=HTMX_HEADERS) == "True results search True[results]"


def test_a_request_without_htmx_headers_is_not_an_htmx_request(
    app: Flask, write_templates: WriteTemplates
) -> None:
    write_templates({"page.html": HTMX_PAGE})
    init_kida(app)
    app.add_url_rule("/", view_func=lambda: render_template("page.html"))

    assert get(app) == "False   False[]"  # None prints as nothing


def test_htmx_headers_reach_a_rendered_block(app: Flask, write_templates: WriteTemplates) -> None:
    write_templates({"page.html": HTMX_PAGE})
    init_kida(app)
    app.add_url_rule("/", view_func=lambda: render_block("page.html", "part"))

    assert get(app, headers=HTMX_HEADERS) == "[results]"


def test_htmx_headers_reach_a_stream(app: Flask, write_templates: WriteTemplates) -> None:
    write_templates({"page.html": HTMX_PAGE})
    init_kida(app)
    app.add_url_rule("/", view_func=lambda: Response(stream_template("page.html")))

    assert get(app, headers=HTMX_HEADERS) == "True results search True[results]"


def test_a_view_chooses_the_page_or_the_fragment_by_the_htmx_header(
    app: Flask, write_templates: WriteTemplates
) -> None:
    write_templates({"search.html": SEARCH_PAGE})
    init_kida(app)

    def search() -> Response:
        from flask import request

        context = {"query": request.args["q"], "hits": [request.args["q"]]}
        if request.headers.get("HX-Request"):
            body = render_block("search.html", "results", **context)
        else:
            body = render_template("search.html", **context)
        response = Response(body)
        response.vary.add("HX-Request")
        return response

    app.add_url_rule("/search", view_func=search)
    client = app.test_client()

    page = client.get("/search?q=<Admin>")
    fragment = client.get("/search?q=<Admin>", headers={"HX-Request": "true"})

    assert page.text.startswith("<form>&lt;Admin&gt;</form>")
    assert fragment.text == "<ul><li>&lt;Admin&gt;</li></ul>"
    assert "HX-Request" in fragment.headers["Vary"]
    assert "HX-Request" in page.headers["Vary"]
