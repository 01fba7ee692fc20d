"""i18n differential corpus: templates Kida and Jinja2 render identically with the same catalog.

Both engines translate with the French catalog of ``i18n_catalogs`` (Jinja2 through
``install_gettext_translations``). Message bodies are single lines without ``%``, so
the message ids of both engines agree (Jinja2 keeps whitespace unless ``trimmed`` and
doubles ``%`` in ids with placeholders; Kida normalises whitespace and keeps ``%``).

``CASES`` render under Kida's default policies, ``TRUSTED_CASES`` with the
``ext.i18n.trusted`` policy (Jinja2 trusts a translation without bindings; by
default Kida escapes it, so such messages are left out of ``CASES``) and
``IMPLICIT_CASES`` with ``ext.i18n.implicit_variables`` (undeclared body names).
``NEWSTYLE_CASES`` install the catalog with ``newstyle=True`` in both engines.
"""

from __future__ import annotations

from kida_core_differential_corpus import Case
from markupsafe import Markup

CASES: tuple[Case, ...] = (
    Case("simple", "{% trans %}Hello{% endtrans %}"),
    Case("simple_end", "{% trans %}Hello{% end %}", jinja_source="{% trans %}Hello{% endtrans %}"),
    Case("untranslated", "{% trans %}Good night{% endtrans %}"),
    Case("surrounding_text", "a{% trans %}Hello{% endtrans %}b"),
    Case("trimmed", "{% trans trimmed %}\n  Hello,\n  world!\n{% endtrans %}"),
    Case("binding", "{% trans name=user %}Hello, {{ name }}!{% endtrans %}", {"user": "Ann"}),
    Case(
        "binding_escaped",
        "{% trans name=user %}Hello, {{ name }}!{% endtrans %}",
        {"user": "<Ann & Bob>"},
    ),
    Case(
        "binding_markup",
        "{% trans name=user %}Hello, {{ name }}!{% endtrans %}",
        {"user": Markup("<i>Ann</i>")},
    ),
    Case("binding_none", "{% trans name=user %}Hello, {{ name }}!{% endtrans %}", {"user": None}),
    Case("binding_int", "{% trans name=7 %}Hello, {{ name }}!{% endtrans %}"),
    Case(
        "binding_filter",
        "{% trans name=user | upper %}Hello, {{ name }}!{% endtrans %}",
        {"user": "ann"},
    ),
    Case(
        "binding_untranslated",
        "{% trans who=user %}Bye {{ who }}{% endtrans %}",
        {"user": "<b>"},
    ),
    *(
        Case(
            f"plural_{n}",
            "{% trans count=n %}One item.{% plural %}{{ count }} items.{% endtrans %}",
            {"n": n},
            jinja_source="{% trans count=n %}One item.{% pluralize %}{{ count }} items."
            "{% endtrans %}",
        )
        for n in (0, 1, 2, 10)
    ),
    Case(
        "pluralize_alias",
        "{% trans count=n %}One item.{% pluralize %}{{ count }} items.{% endtrans %}",
        {"n": 3},
    ),
    Case(
        "pluralize_named_selector",
        "{% trans count=n, k=m %}One item.{% pluralize k %}{{ count }} items.{% endtrans %}",
        {"n": 4, "m": 1},
    ),
    Case(
        "plural_list_length",
        "{% trans count=xs | length %}One item.{% pluralize %}{{ count }} items.{% endtrans %}",
        {"xs": [1, 2, 3]},
    ),
    Case("context", '{% trans "menu" %}Post{% endtrans %}'),
    Case("no_context", "{% trans %}Post{% endtrans %}"),
    Case(
        "context_plural",
        '{% trans "menu" count=n %}One post{% pluralize %}{{ count }} posts{% endtrans %}',
        {"n": 2},
    ),
    Case("underscore_global", "{{ _('Hello') }}"),
    Case("gettext_global", "{{ gettext('Hello, world!') }}"),
    Case("gettext_global_escaped", "{{ _('<b>Bold</b>') }}"),
    Case("ngettext_global_raw", "{{ ngettext('One item.', '%(count)s items.', 3) }}"),
    Case("pgettext_global", "{{ pgettext('menu', 'Post') }}"),
    Case("npgettext_global", "{{ npgettext('menu', 'One post', '%(count)s posts', 1) }}"),
    Case(
        "in_loop",
        "{% for n in [1, 2] %}{% trans count=n %}One item.{% pluralize %}{{ count }} items."
        "{% endtrans %} {% endfor %}",
    ),
    Case(
        "in_macro",
        "{% macro greet(who) %}{% trans name=who %}Hello, {{ name }}!{% endtrans %}"
        "{% endmacro %}{{ greet('Zoé') }}",
    ),
    Case(
        "in_block",
        "{% block b %}{% trans %}Hello{% endtrans %}{% endblock %}",
    ),
    Case("gettext_in_filter_argument", "{{ 'x' | replace('x', _('Hello')) }}"),
)

TRUSTED_CASES: tuple[Case, ...] = (
    Case("trusted_markup_translation", "{% trans %}<b>Bold</b>{% endtrans %}"),
    Case("trusted_ampersand", "{% trans %}Fish & chips{% endtrans %}"),
    Case(
        "trusted_binding_still_escaped",
        "{% trans name=user %}Hello, {{ name }}!{% endtrans %}",
        {"user": "<x>"},
    ),
)

IMPLICIT_CASES: tuple[Case, ...] = (
    Case("implicit_name", "{% trans %}Hello, {{ name }}!{% endtrans %}", {"name": "<Ann>"}),
    Case(
        "implicit_plural_first_name",
        "{% trans %}{{ n }} x{% pluralize %}{{ n }} xs{% endtrans %}",
        {"n": 2},
    ),
    Case(
        "implicit_next_to_binding",
        "{% trans a=1 %}{{ a }} and {{ b }}{% endtrans %}",
        {"b": "<b>"},
    ),
)

NEWSTYLE_CASES: tuple[Case, ...] = (
    Case("newstyle_underscore_formats", "{{ _('Hello, %(name)s!', name=user) }}", {"user": "<b>"}),
    Case("newstyle_ngettext_num", "{{ ngettext('%(num)s apple', '%(num)s apples', 3) }}"),
    Case("newstyle_trans_without_bindings", "{% trans %}<b>Bold</b>{% endtrans %}"),
    Case(
        "newstyle_trans_binding",
        "{% trans name=user %}Hello, {{ name }}!{% endtrans %}",
        {"user": "<i>"},
    ),
    Case(
        "newstyle_trans_plural",
        "{% trans count=n %}One item.{% pluralize %}{{ count }} items.{% endtrans %}",
        {"n": 3},
    ),
    Case("newstyle_pgettext", "{{ pgettext('menu', 'Post') }}"),
)
