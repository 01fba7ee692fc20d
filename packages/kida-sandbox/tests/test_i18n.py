"""Translations under the sandbox: trans and ``_()`` work, and reach nothing new."""

from __future__ import annotations

import gettext
from typing import ClassVar

import pytest

from kida_sandbox import SandboxedEnvironment, SecurityError


class French(gettext.NullTranslations):
    """A small in-memory catalog (the application's code: trusted)."""

    MESSAGES: ClassVar[dict[str, str]] = {
        "Hello": "Bonjour",
        "Hello, %(name)s!": "Bonjour, %(name)s !",
    }

    def gettext(self, message: str) -> str:
        return self.MESSAGES.get(message, message)


@pytest.fixture
def env() -> SandboxedEnvironment:
    env = SandboxedEnvironment()
    env.install_translations(French())
    return env


def test_trans_and_the_gettext_globals_translate_in_the_sandbox(env: SandboxedEnvironment) -> None:
    source = (
        "{% trans %}Hello{% endtrans %} {{ _('Hello') }} "
        "{% trans name=user %}Hello, {{ name }}!{% endtrans %} "
        "{% trans count=n %}one{% plural %}{{ count }} many{% endtrans %}"
    )
    assert env.render_string(source, user="<Ann>", n=3) == (
        "Bonjour Bonjour Bonjour, &lt;Ann&gt; ! 3 many"
    )


@pytest.mark.parametrize(
    "source",
    [
        "{{ _.__globals__ }}",
        "{{ gettext.__closure__ }}",
        "{{ ngettext.__wrapped__ }}",
        "{{ _.__code__ }}",
    ],
)
def test_the_gettext_globals_expose_no_internals(env: SandboxedEnvironment, source: str) -> None:
    with pytest.raises(SecurityError):
        env.render_string(source)


def test_newstyle_formatting_is_sized_by_the_guard(env: SandboxedEnvironment) -> None:
    env.install_translations(French(), newstyle=True)
    assert env.render_string("{{ _('Hello, %(name)s!', name='Jo') }}") == "Bonjour, Jo !"
    with pytest.raises(SecurityError):
        env.render_string("{{ _('%(x)999999999s', x=1) }}")
