"""Gettext callables that fail or misbehave give located TemplateRuntimeErrors."""

from __future__ import annotations

from typing import Any

import pytest

from kida_core import Environment
from kida_core.errors import TemplateRuntimeError


def fail(message: str) -> str:
    raise LookupError("catalog is broken")


def render_error(env: Environment, source: str, **context: Any) -> TemplateRuntimeError:
    with pytest.raises(TemplateRuntimeError) as info:
        env.from_string(source, name="page.html").render(**context)
    return info.value


def test_a_raising_gettext_is_reported_with_template_and_line() -> None:
    env = Environment()
    env.install_gettext_callables(fail, lambda s, p, n: s)
    error = render_error(env, "line one\n{% trans %}Hello{% endtrans %}")
    assert "translating 'Hello' failed: LookupError: catalog is broken" in error.message
    assert (error.template_name, error.lineno) == ("page.html", 2)


def test_a_gettext_returning_a_non_string_is_an_error() -> None:
    env = Environment()
    env.install_gettext_callables(lambda m: 42, lambda s, p, n: s)
    error = render_error(env, "{% trans %}Hello{% endtrans %}")
    assert "the translation of 'Hello' is int, not a string" in error.message


def test_a_translation_that_does_not_fit_its_bindings_names_the_message() -> None:
    env = Environment()
    env.install_gettext_callables(lambda m: "%(other)s", lambda s, p, n: s)
    error = render_error(env, "{% trans name=1 %}Hi {{ name }}{% endtrans %}")
    assert "the translation of 'Hi %(name)s' cannot be formatted" in error.message
    assert "%%" in (error.suggestion or "")


def test_a_translation_with_a_stray_percent_is_an_error() -> None:
    env = Environment()
    env.install_gettext_callables(lambda m: "100% %(name)s", lambda s, p, n: s)
    error = render_error(env, "{% trans name=1 %}Hi {{ name }}{% endtrans %}")
    assert "cannot be formatted" in error.message


def test_a_failing_context_gettext_is_reported_too() -> None:
    error = render_error(Environment(), "{% trans %}Hello{% endtrans %}", gettext=fail)
    assert "translating 'Hello' failed" in error.message


def test_a_failing_gettext_global_is_reported() -> None:
    env = Environment()
    env.install_gettext_callables(fail, lambda s, p, n: s)
    error = render_error(env, "{{ _('Hello') }}")
    assert "translating 'Hello' failed" in error.message
