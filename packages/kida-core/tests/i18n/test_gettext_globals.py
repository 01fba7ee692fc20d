"""The ``_``/``_n``/``gettext``/``ngettext``/``pgettext``/``npgettext`` globals and newstyle."""

from __future__ import annotations

import pytest
from i18n_catalogs import Loader

from kida_core import Environment
from kida_core.errors import TemplateRuntimeError


def test_without_translations_the_globals_return_their_message() -> None:
    source = "{{ _('Hi') }} {{ _n('a', 'b', 2) }} {{ gettext('x') }} {{ ngettext('a', 'b', 1) }}"
    assert Environment().render_string(source) == "Hi b x a"


def test_context_globals_without_translations() -> None:
    source = "{{ pgettext('menu', 'Post') }} {{ npgettext('menu', 'a', 'b', 3) }}"
    assert Environment().render_string(source) == "Post b"


def test_the_globals_translate_with_the_installed_catalog(gnu: Loader) -> None:
    env = Environment()
    env.install_translations(gnu("fr"))
    source = (
        "{{ _('Hello') }} {{ gettext('Hello') }} {{ pgettext('menu', 'Post') }} "
        "{{ _n('One item.', '%(count)s items.', 3) }}"
    )
    assert env.render_string(source) == "Bonjour Bonjour Publier %(count)s articles."


def test_results_are_escaped_like_any_value() -> None:
    assert Environment().render_string("{{ _('<b>') }}") == "&lt;b&gt;"


def test_the_globals_work_in_def_defaults_and_filter_arguments(gnu: Loader) -> None:
    env = Environment()
    env.install_translations(gnu("fr"))
    source = (
        "{% def greet(msg=_('Hello')) %}{{ msg }}{% end %}{{ greet() }} "
        "{{ 'x' | replace('x', _('Hello')) }}"
    )
    assert env.render_string(source) == "Bonjour Bonjour"


def test_newstyle_formats_and_escapes_keyword_arguments(gnu: Loader) -> None:
    env = Environment()
    env.install_translations(gnu("fr"), newstyle=True)
    assert env.newstyle_gettext
    assert env.render_string("{{ _('Hello, %(name)s!', name='<b>') }}") == "Bonjour, &lt;b&gt; !"


def test_newstyle_ngettext_binds_num(gnu: Loader) -> None:
    env = Environment()
    env.install_translations(gnu("fr"), newstyle=True)
    assert env.render_string("{{ ngettext('%(num)s apple', '%(num)s apples', 3) }}") == "3 pommes"


def test_newstyle_without_autoescape_does_not_escape() -> None:
    env = Environment(autoescape=False)
    env.install_null_translations(newstyle=True)
    assert env.render_string("{{ _('%(a)s', a='<b>') }}") == "<b>"


def test_newstyle_trans_formats_a_message_without_bindings() -> None:
    env = Environment()
    env.newstyle_gettext = True
    assert env.render_string("{% trans %}100%% sure{% endtrans %}") == "100% sure"


def test_oldstyle_gettext_rejects_keyword_arguments() -> None:
    with pytest.raises(TemplateRuntimeError, match="not newstyle"):
        Environment().render_string("{{ _('Hi %(n)s', n=1) }}")


def test_a_user_gettext_global_is_kept_and_drives_trans() -> None:
    env = Environment(globals={"_": str.upper})
    assert env.render_string("{{ _('hi') }} {% trans %}hi{% endtrans %}") == "HI HI"
    assert "_n" not in env.globals


def test_a_context_underscore_shadows_the_global_but_not_trans() -> None:
    rendered = Environment().render_string("{{ _('hi') }} {% trans %}hi{% endtrans %}", _=str.upper)
    assert rendered == "HI hi"


def test_install_gettext_callables_with_context_functions() -> None:
    env = Environment()
    env.install_gettext_callables(
        lambda m: f"g:{m}",
        lambda s, p, n: f"n:{s if n == 1 else p}",
        pgettext=lambda c, m: f"p:{c}:{m}",
        npgettext=lambda c, s, p, n: f"np:{c}:{p}",
    )
    source = (
        '{{ _("a") }} {{ _n("s", "p", 2) }} {% trans "c" %}m{% endtrans %} '
        '{{ npgettext("c", "s", "p", 2) }}'
    )
    assert env.render_string(source) == "g:a n:p p:c:m np:c:p"


def test_without_pgettext_a_context_is_ignored() -> None:
    env = Environment()
    env.install_gettext_callables(str.upper, lambda s, p, n: p)
    assert env.render_string('{% trans "menu" %}post{% endtrans %}') == "POST"


def test_uninstall_restores_the_identity_functions(gnu: Loader) -> None:
    env = Environment()
    translations = gnu("fr")
    env.install_gettext_translations(translations)
    env.uninstall_gettext_translations(translations)
    assert env.render_string("{{ _('Hello') }}{% trans %}Hello{% endtrans %}") == "HelloHello"


def test_translations_installed_says_whether_the_application_translates(gnu: Loader) -> None:
    env = Environment()
    assert not env.translations_installed
    env.install_translations(gnu("fr"))
    assert env.translations_installed
    env.install_null_translations()
    assert not env.translations_installed


def test_an_own_underscore_global_counts_as_installed_translations() -> None:
    assert Environment(globals={"_": str.upper}).translations_installed


def test_translations_need_gettext_and_ngettext() -> None:
    with pytest.raises(TypeError, match=r"object has no gettext\(\)"):
        Environment().install_translations(object())


def test_an_overlay_keeps_the_installed_translations(gnu: Loader) -> None:
    env = Environment()
    env.install_translations(gnu("fr"))
    overlay = env.overlay(autoescape=False)
    assert overlay.render_string("{% trans %}Hello{% endtrans %} {{ _('Hello') }}") == (
        "Bonjour Bonjour"
    )


@pytest.mark.parametrize(
    "extension",
    [
        "jinja2.ext.i18n",
        "jinja2.ext.InternationalizationExtension",
        "jinja2.ext.loopcontrols",
        "kida.ext.i18n",
    ],
)
def test_built_in_extensions_are_accepted(extension: str) -> None:
    env = Environment(extensions=[extension])
    assert env.render_string("{% trans %}ok{% endtrans %}") == "ok"


def test_jinja2_extension_classes_are_accepted() -> None:
    import jinja2.ext

    env = Environment(extensions=[jinja2.ext.InternationalizationExtension])
    assert env.render_string("{{ _('ok') }}") == "ok"


@pytest.mark.parametrize("extension", ["jinja2.ext.do", "myapp.ext.Custom", object])
def test_other_extensions_are_rejected_at_construction(extension: object) -> None:
    with pytest.raises(ValueError, match="is not available"):
        Environment(extensions=[extension])
