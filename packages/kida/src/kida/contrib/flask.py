"""Flask integration: Kida as a second template engine beside Flask's own Jinja.

``init_kida(app)`` builds the app's Kida :class:`~kida_core.environment.Environment`
and leaves Flask's Jinja environment untouched. The module-level helpers render
with the current app's Environment and Flask's template context, as
``flask.render_template`` and friends do:

* the globals ``url_for``, ``get_flashed_messages``, ``config``, ``request``,
  ``session`` and ``g``;
* the app's and the current blueprints' context processors (the values passed
  to the helper win over theirs);
* the ``before_render_template`` and ``template_rendered`` signals;
* the HTMX request headers as render metadata (``hx_request()`` and friends);
* the request's translations, when ``init_kida`` was given a ``translations``
  callable (``{% trans %}``, ``_()`` and friends then speak the request's language).

Flask is imported only when a helper runs, so this module imports without it.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kida.contrib._framework import check_translations_factory, missing_framework
from kida.contrib._htmx import htmx_meta, render_part, request_render_context
from kida_core.autoescape import select_autoescape
from kida_core.environment import Environment
from kida_core.render_context import RenderContext
from kida_core.template import Template
from kida_loaders import FileSystemLoader

if TYPE_CHECKING:
    from flask import Flask

__all__ = [
    "init_kida",
    "render_block",
    "render_template",
    "render_template_string",
    "stream_template",
    "stream_template_string",
]

#: Extensions Flask autoescapes (``Flask.select_jinja_autoescape``); string templates always are.
AUTOESCAPED_EXTENSIONS = ("html", "htm", "xml", "xhtml", "svg")

TemplateNames = str | Template | Iterable[str | Template]

#: ``translations()``: the gettext translations of the current request (None: the Environment's).
TranslationsFactory = Callable[[], Any]

#: The key of ``app.extensions`` that holds the ``translations`` callable of ``init_kida``.
TRANSLATIONS_KEY = "kida.translations"


def init_kida(
    app: Any,
    *,
    template_folder: str | os.PathLike[str] | None = None,
    translations: TranslationsFactory | None = None,
    **env_kwargs: Any,
) -> Environment:
    """Create the Kida Environment of ``app`` and register it on the app.

    Templates load from ``template_folder``, else the app's ``template_folder``,
    else ``"templates"`` (a relative folder is joined to ``app.root_path``); on a
    Flask app the template folders of its blueprints follow, in registration
    order. ``env_kwargs`` go to the Environment, with these defaults:

    * ``autoescape``: on for ``.html``, ``.htm``, ``.xml``, ``.xhtml`` and
      ``.svg`` names (past a ``.kida`` suffix) and for string templates;
    * ``auto_reload`` (Flask apps): ``TEMPLATES_AUTO_RELOAD``, or ``app.debug``
      when that is None.

    ``loader=`` replaces the folders (then ``template_folder`` must not be given).

    ``translations`` is called with no arguments for each render of the helpers
    below and returns the gettext translations of the current request (chosen
    from ``request.accept_languages``, ``g.lang``, ...), or None for the
    Environment's own; the helpers render inside ``env.use_translations(...)``,
    so requests served at the same time each get their language.
    The Environment is ``app.extensions["kida"]`` and ``app.kida_env``;
    ``app.kida_render(name, **context)`` renders with it and nothing added.
    Only ``root_path``, ``template_folder`` and ``extensions`` are required of
    ``app``, so any object with them works; Flask's globals, context
    processors, signals and blueprint folders apply to Flask apps. Call it once
    per app: a second call raises ``RuntimeError``.
    """
    if "kida" in app.extensions:
        raise RuntimeError(
            "init_kida() was already called for this app; use app.kida_env, or create "
            "one app per Environment"
        )
    check_translations_factory(translations, "translations()")
    flask_app = _as_flask(app)
    if "loader" in env_kwargs:
        if template_folder is not None:
            raise ValueError("init_kida() takes either template_folder= or loader=, not both")
    else:
        folder = _app_folder(app, template_folder)
        env_kwargs["loader"] = (
            FileSystemLoader(folder) if flask_app is None else _FlaskLoader(flask_app, folder)
        )
    env_kwargs.setdefault("autoescape", select_autoescape(AUTOESCAPED_EXTENSIONS))
    if flask_app is not None:
        reload = flask_app.config.get("TEMPLATES_AUTO_RELOAD")
        env_kwargs.setdefault("auto_reload", flask_app.debug if reload is None else bool(reload))
    env = Environment(**env_kwargs)
    if flask_app is not None:
        _install_flask_globals(env, flask_app)

    def render(template_name: str, **context: Any) -> str:
        """Render ``template_name`` with exactly ``context`` (no Flask context added)."""
        return env.get_template(template_name).render(**context)

    app.extensions["kida"] = env
    app.extensions[TRANSLATIONS_KEY] = translations
    app.kida_env = env
    app.kida_render = render
    return env


def render_template(template_name_or_list: TemplateNames, /, **context: Any) -> str:
    """Render a template of the current app with Flask's template context.

    A list (or tuple) of names renders the first that exists. Needs an app
    context (Flask raises ``RuntimeError`` outside one) and ``init_kida``
    (``KeyError`` without it).
    """
    app = _current_app()
    template = _environment(app).get_or_select_template(template_name_or_list)
    return _render(app, template, context, None)


def render_template_string(source: str, /, **context: Any) -> str:
    """Render template ``source`` (autoescaped) with Flask's template context."""
    app = _current_app()
    return _render(app, _environment(app).from_string(source), context, None)


def render_block(template_name_or_list: TemplateNames, block_name: str, /, **context: Any) -> str:
    """Render only the block ``block_name`` of a template (an HTMX partial).

    The context is built as for :func:`render_template`, and the top-level
    ``set``/``def``/``import`` statements of the template and its parents run
    first, so the block sees what it sees in a full render. A missing block
    raises Kida's ``BlockNotFoundError`` (a ``KeyError``).
    """
    app = _current_app()
    template = _environment(app).get_or_select_template(template_name_or_list)
    return _render(app, template, context, block_name)


def stream_template(template_name_or_list: TemplateNames, /, **context: Any) -> Iterator[str]:
    """Render a template as an iterator of chunks, for ``flask.Response``.

    Inside a request the iterator keeps the request context alive while it is
    consumed (``flask.stream_with_context``). The HTMX metadata is read when
    this is called, before the response starts.
    """
    app = _current_app()
    template = _environment(app).get_or_select_template(template_name_or_list)
    return _stream(app, template, context)


def stream_template_string(source: str, /, **context: Any) -> Iterator[str]:
    """:func:`stream_template` for template ``source``."""
    app = _current_app()
    return _stream(app, _environment(app).from_string(source), context)


# -- rendering ---------------------------------------------------------------------------------


def _render(app: Any, template: Template, context: dict[str, Any], block_name: str | None) -> str:
    flask_app = _as_flask(app)
    if flask_app is None:
        with _request_translations(app):
            return render_part(template, context, block_name)
    from flask.signals import before_render_template, template_rendered

    flask_app.update_template_context(context)
    _send(before_render_template, flask_app, template, context)
    with _request_meta(template.name), _request_translations(app):
        output = render_part(template, context, block_name)
    _send(template_rendered, flask_app, template, context)
    return output


def _stream(app: Any, template: Template, context: dict[str, Any]) -> Iterator[str]:
    flask_app = _as_flask(app)
    if flask_app is None:
        with _request_translations(app):
            return template.render_stream(context)
    from flask import has_request_context, stream_with_context
    from flask.signals import before_render_template, template_rendered

    flask_app.update_template_context(context)
    _send(before_render_template, flask_app, template, context)
    with _request_meta(template.name), _request_translations(app):
        chunks = template.render_stream(context)  # takes the render context and language now

    def generate() -> Iterator[str]:
        yield from chunks
        _send(template_rendered, flask_app, template, context)

    if has_request_context():
        return stream_with_context(generate())
    return generate()


def _send(signal: Any, app: Flask, template: Template, context: dict[str, Any]) -> None:
    """Send a Flask template signal the way ``flask.render_template`` does."""
    signal.send(app, _async_wrapper=app.ensure_sync, template=template, context=context)


def _request_meta(template_name: str | None) -> AbstractContextManager[RenderContext | None]:
    """A render context carrying the HTMX metadata of the current request, if any."""
    from flask import has_request_context, request

    meta = htmx_meta(request.headers) if has_request_context() else {}
    if not meta:
        return nullcontext()
    return request_render_context(template_name, meta)


def _request_translations(app: Any) -> AbstractContextManager[object]:
    """Render with the current request's translations (``init_kida(translations=...)``)."""
    factory: TranslationsFactory | None = app.extensions.get(TRANSLATIONS_KEY)
    translations = None if factory is None else factory()
    if translations is None:
        return nullcontext()
    return _environment(app).use_translations(translations)


# -- the app -----------------------------------------------------------------------------------


def _current_app() -> Any:
    """The app of the active app context (Flask raises ``RuntimeError`` without one)."""
    try:
        from flask import current_app
    except ImportError as exc:
        raise missing_framework("Flask", "flask") from exc
    get_current: Callable[[], Any] | None = getattr(current_app, "_get_current_object", None)
    return current_app if get_current is None else get_current()


def _environment(app: Any) -> Environment:
    """The Environment ``init_kida`` registered (``KeyError`` when it was not called)."""
    env: Environment = app.extensions["kida"]
    return env


def _as_flask(app: object) -> Flask | None:
    """``app`` when it is a Flask app, else None.

    An object can only be a Flask app once Flask was imported, so this looks
    in ``sys.modules`` and never imports Flask itself.
    """
    flask_class = getattr(sys.modules.get("flask"), "Flask", None)
    if isinstance(flask_class, type) and isinstance(app, flask_class):
        return app  # type: ignore[return-value]
    return None


def _app_folder(app: Any, template_folder: str | os.PathLike[str] | None) -> str:
    folder = template_folder or app.template_folder or "templates"
    return str(Path(app.root_path, folder))


def _install_flask_globals(env: Environment, app: Flask) -> None:
    """The globals Flask gives its Jinja environment (the Environment's own ones win)."""
    from flask import g, get_flashed_messages, request, session

    flask_globals: Mapping[str, Any] = {
        "url_for": app.url_for,
        "get_flashed_messages": get_flashed_messages,
        "config": app.config,
        "request": request,
        "session": session,
        "g": g,
    }
    for name, value in flask_globals.items():
        env.globals.setdefault(name, value)
    # tojson serializes like app.json.dumps, with the app's JSON settings.
    env.policies["json.dumps_function"] = app.json.dumps
    env.policies["json.dumps_kwargs"] = {}


class _FlaskLoader:
    """The app's template folder, then each blueprint's, in registration order.

    The folders are read on every load, so blueprints registered after
    ``init_kida`` are searched too. With ``EXPLAIN_TEMPLATE_LOADING`` each load
    logs every folder tried on ``app.logger``.
    """

    def __init__(self, app: Flask, folder: str) -> None:
        self._app = app
        self._folder = folder
        self._lock = threading.Lock()
        self._loader = FileSystemLoader(folder)
        self._owners: tuple[str, ...] = (f"app {app.name!r}",)

    def _current(self) -> tuple[FileSystemLoader, tuple[str, ...]]:
        """The loader over the current folders, and who owns each folder."""
        folders = [self._folder]
        owners = [f"app {self._app.name!r}"]
        for blueprint in self._app.iter_blueprints():
            if blueprint.template_folder is not None:
                folders.append(str(Path(blueprint.root_path, blueprint.template_folder)))
                owners.append(f"blueprint {blueprint.name!r}")
        with self._lock:
            if list(map(str, self._loader.configured_paths)) != folders:
                self._loader = FileSystemLoader(folders)
                self._owners = tuple(owners)
            return self._loader, self._owners

    @property
    def search_paths(self) -> tuple[Path, ...]:
        """The folders searched, in order."""
        return self._current()[0].search_paths

    def get_source(self, name: str) -> tuple[str, str]:
        """Source and filename of ``name`` from the first folder that has it."""
        loader, owners = self._current()
        if self._app.config.get("EXPLAIN_TEMPLATE_LOADING"):
            self._explain(name, loader, owners)
        return loader.get_source(name)

    def source_version(self, name: str) -> tuple[int, int, int, int]:
        """A token that changes when the file ``name`` loads changes (or moves folder)."""
        return self._current()[0].source_version(name)

    def list_templates(self) -> list[str]:
        """Every template name of every folder, sorted."""
        return self._current()[0].list_templates()

    def _explain(self, name: str, loader: FileSystemLoader, owners: tuple[str, ...]) -> None:
        lines = [f"Locating Kida template {name!r}:"]
        found = False
        for index, (folder, owner) in enumerate(zip(loader.search_paths, owners, strict=True)):
            path = Path(folder, *name.split("/"))
            if path.is_file():
                result = f"found {str(path)!r}" + (" (shadowed)" if found else "")
                found = True
            else:
                result = "no template"
            lines.append(f"{index + 1:5}: folder {str(folder)!r} of the {owner}: {result}")
        if not found:
            lines.append("Error: no folder has this template")
        self._app.logger.info("\n".join(lines))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._app.name!r}, {self._folder!r})"
