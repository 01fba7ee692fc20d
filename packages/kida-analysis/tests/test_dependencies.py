"""Context-path collection: paths, scoping, includes, imports, defs."""

from __future__ import annotations

import pytest

from kida_core.protocols import AnalysisContext


def deps(analyze, source: str, others: dict[str, str] | None = None, **context) -> frozenset[str]:
    meta = analyze(source, others, AnalysisContext(**context) if context else None)
    return meta.all_dependencies()


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ user }}", {"user"}),
        ("{% trans name=user.display_name %}Hi {{ name }}{% endtrans %}", {"user.display_name"}),
        ("{% trans count=xs | length %}a{% plural %}{{ count }} b{% endtrans %}", {"xs"}),
        ("{% trans %}Hello{% endtrans %}", set()),
        ("{{ item.author.name }}", {"item.author.name"}),
        ('{{ data["key"].x }}', {"data.key.x"}),
        ("{{ rows[0].name }}", {"rows"}),
        ("{{ table[col] }}", {"table", "col"}),
        ("{{ a?.b?.c }}", {"a.b.c"}),
        ("{{ user.get_name() }}", {"user"}),
        ("{{ site.pages.items() | length }}", {"site.pages"}),
        ("{{ page.tags | join(sep) }}", {"page.tags", "sep"}),
        ("{{ x ?? fallback.value }}", {"x", "fallback.value"}),
        ("{{ page.subtitle is defined }}", {"page.subtitle"}),
        ("{{ range(n) }}{{ len(xs) }}{{ true }}{{ none }}", {"n", "xs"}),
        ('{{ "/u/" ~ uid ~ "/edit" }}', {"uid"}),
        (
            "{{ {'a': one, key: two} }}{{ [three] }}{{ lo..hi }}",
            {"one", "key", "two", "three", "lo", "hi"},
        ),
        ("{{ fmt(page.date) }}", {"fmt", "page.date"}),
        (
            "{% cache 'k' ~ page.id, ttl=ttl %}{{ page.body }}{% end %}",
            {"page.id", "ttl", "page.body"},
        ),
    ],
)
def test_paths(analyze, source: str, expected: set[str]) -> None:
    assert deps(analyze, source) == frozenset(expected)


def test_conditionals_count_both_branches(analyze) -> None:
    source = (
        "{% if user.is_admin %}{{ admin.panel }}{% elif guest %}hi"
        "{% else %}{{ page.title }}{% end %}{% unless quiet %}{{ banner }}{% end %}"
        "{{ a if cond else b }}"
    )
    assert deps(analyze, source) == frozenset(
        {"user.is_admin", "admin.panel", "guest", "page.title", "quiet", "banner", "a", "cond", "b"}
    )


def test_loop_variables_are_local_to_the_loop(analyze) -> None:
    source = (
        "{% for item in items if item.visible %}{{ item.title }} {{ loop.index }}"
        "{% else %}{{ empty_text }}{% end %}{{ item }}"
        "{% for k, v in mapping.items() %}{{ k }}={{ v }}{% end %}"
    )
    assert deps(analyze, source) == frozenset({"items", "empty_text", "item", "mapping"})


def test_set_and_let_locals_after_binding_only(analyze) -> None:
    meta = analyze(
        "{{ greeting }}{% let greeting = 'hi' %}{{ greeting }}"
        "{% set a, b = pair %}{{ a }}{{ b }}"
        "{% block body %}{{ total }}{% set total = 0 %}{{ total }}{{ greeting }}{% end %}"
    )
    assert meta.top_level_depends_on == frozenset({"greeting", "pair"})
    assert meta.blocks["body"].depends_on == frozenset({"total"})


def test_reading_a_local_counts_what_its_value_read(analyze) -> None:
    meta = analyze(
        "{% let heading = page.title | upper %}{% capture byline %}{{ page.author }}{% end %}"
        "{% block h %}<h1>{{ heading }}</h1>{{ byline }}{% end %}"
        "{% set count = 0 %}{% for x in cart.items %}{% export count = count + x.qty %}{% end %}"
        "{% block c %}{{ count }}{% end %}"
    )
    assert meta.blocks["h"].depends_on == frozenset({"page.title", "page.author"})
    assert meta.blocks["c"].depends_on == frozenset()  # x is loop-local: only the loop reads cart
    assert meta.top_level_depends_on == frozenset({"page.title", "page.author", "cart.items"})


def test_coalescing_assignment_reads_the_target(analyze) -> None:
    assert deps(analyze, "{% set theme ??= 'light' %}{{ theme }}") == frozenset({"theme"})


def test_with_match_comprehension_and_fallback_bindings(analyze) -> None:
    source = (
        "{% with total = order.total %}{{ total }}{% end %}"
        "{% with user.profile as p %}{{ p.bio }}{% else %}{{ anonymous_text }}{% end %}"
        "{% match status, detail %}{% case 'ok', _ %}ok"
        "{% case code, (msg, hint) %}{{ code }}{{ msg }}{{ hint }}{{ extra }}"
        "{% case other if other > limit %}{{ other }}{% end %}"
        "{{ [p.name | upper for p in people if p.active] }}"
        "{% try %}{{ risky.value }}{% fallback err %}{{ err.message }}{% end %}"
    )
    assert deps(analyze, source) == frozenset(
        {
            "order.total", "user.profile", "anonymous_text", "status", "detail", "extra",
            "limit", "people", "risky.value",
        }
    )  # fmt: skip


def test_globals_are_not_dependencies(analyze) -> None:
    source = "{{ site_name }}{{ consume('theme') }}{{ csrf_token() }}{{ page.url }}"
    assert deps(analyze, source, global_names=frozenset({"site_name"})) == frozenset({"page.url"})


def test_def_calls_contribute_their_body_reads(analyze) -> None:
    meta = analyze(
        "{% def card(post, cls=theme.card_class) %}"
        "<div class='{{ cls }}'>{{ post.title }}{{ link(post) }}</div>{% end %}"
        "{% def link(target) %}<a href='{{ site.url }}{{ target.url }}'>{{ caller() }}</a>{% end %}"
        "{% def tree(node) %}{{ node.name }}{% for c in node.children %}{{ tree(c) }}{% end %}"
        "{{ depth_limit }}{% end %}"
        "{% block b %}{{ card(page) }}{% end %}{% block t %}{{ tree(root) }}{% end %}"
        "{% block none_called %}static{% end %}"
    )
    assert meta.blocks["b"].depends_on == frozenset({"page", "theme.card_class", "site.url"})
    assert meta.blocks["t"].depends_on == frozenset({"root", "depth_limit"})
    assert meta.blocks["none_called"].depends_on == frozenset()
    # every def body counts at the top level, called or not
    assert meta.top_level_depends_on == frozenset({"theme.card_class", "site.url", "depth_limit"})


def test_uncalled_def_bodies_count_at_the_top_level(analyze) -> None:
    meta = analyze(
        "{% def card(t) %}<b>{{ t }}{{ site.title }}{{ helper() }}</b>{% end %}"
        "{% def helper() %}{{ page.x }}{% end %}"
        "{% block content %}{{ user.name }}{% end %}"
    )
    assert meta.top_level_depends_on == frozenset({"site.title", "page.x"})
    assert meta.blocks["content"].depends_on == frozenset({"user.name"})


def test_defs_inside_blocks_contribute_their_body_reads(analyze) -> None:
    meta = analyze(
        "{% block b %}{% def item(x) %}{{ x }}{{ site.name }}{% end %}"
        "{% region r(p=1) %}{{ p }}{{ theme }}{% end %}{{ item(page) }}{{ r() }}{% end %}"
    )
    assert meta.blocks["b"].depends_on == frozenset({"page", "site.name", "theme"})


def test_call_blocks_and_slot_bodies_read_in_the_caller(analyze) -> None:
    source = (
        "{% def panel(title) %}<section>{{ title }}{% slot %}{% slot actions %}</section>{% end %}"
        "{% call panel(page.title) %}{{ page.body }}{% slot actions %}{{ user.name }}{% end %}"
        "{% end %}"
    )
    assert deps(analyze, source) == frozenset({"page.title", "page.body", "user.name"})


INCLUDES = {
    "card.html": "<div>{{ item.title }} {{ site.currency }} {{ loop.index }}</div>",
    "footer.html": "<footer>{{ site.year }} {{ quotes | random }}</footer>",
    "heading.html": "<h1>{{ title }}</h1>",
    "a.html": '{{ from_a }}{% include "b.html" %}',
    "b.html": '{{ from_b }}{% include "a.html" %}',
    "self.html": '{{ depth }}{% include "self.html" %}',
}


def test_include_with_context_minus_names_bound_at_the_include(analyze) -> None:
    meta = analyze(
        '{% block list %}{% for item in page.items %}{% include "card.html" %}{% end %}{% end %}',
        INCLUDES,
    )
    assert meta.blocks["list"].depends_on == frozenset({"page.items", "site.currency"})
    assert meta.blocks["list"].is_pure == "pure"


def test_include_passes_locals_with_their_values(analyze) -> None:
    source = '{% let title = page.title %}{% block h %}{% include "heading.html" %}{% end %}'
    assert analyze(source, INCLUDES).blocks["h"].depends_on == frozenset({"page.title"})


def test_include_without_context_keeps_only_purity(analyze) -> None:
    meta = analyze('{% block f %}{% include "footer.html" without context %}{% end %}', INCLUDES)
    assert meta.blocks["f"].depends_on == frozenset()
    assert meta.blocks["f"].is_pure == "impure"
    with_ctx = analyze('{% block f %}{% include "footer.html" %}{% end %}', INCLUDES)
    assert with_ctx.blocks["f"].depends_on == frozenset({"site.year", "quotes"})


def test_embed_counts_its_overrides_and_the_embedded_templates_reads(analyze) -> None:
    source = (
        '{% block list %}{% for item in page.items %}{% embed "heading.html" %}'
        "{% block extra %}{{ item.note }}{{ user.name }}{% end %}{% end %}{% end %}{% end %}"
    )
    meta = analyze(source, INCLUDES)
    assert meta.blocks["list"].depends_on == frozenset({"page.items", "user.name", "title"})


def test_include_candidates_dynamic_and_missing(analyze) -> None:
    first = analyze('{% include ["missing.html", "heading.html"] %}', INCLUDES)
    assert first.top_level_depends_on == frozenset({"title"})
    dynamic = analyze('{% block d %}{% include "cards/" ~ kind ~ ".html" %}{% end %}', INCLUDES)
    assert dynamic.blocks["d"].depends_on == frozenset({"kind"})
    assert dynamic.blocks["d"].is_pure == "unknown"
    missing = analyze('{% block m %}{% include "missing.html" ignore missing %}{% end %}')
    assert missing.blocks["m"].is_pure == "unknown"


def test_include_cycles_terminate(analyze) -> None:
    assert deps(analyze, '{% include "a.html" %}', INCLUDES) == frozenset({"from_a", "from_b"})
    assert deps(analyze, '{% include "self.html" %}', INCLUDES) == frozenset({"depth"})


FORMS = {
    "forms.html": (
        "{% def field(name, label=none) %}<label>{{ label ?? name }}</label>"
        "<input name='{{ name }}' lang='{{ site.lang }}'>{% end %}"
        "{% def token() %}{{ csrf.value }}{% end %}"
    )
}


def test_imports_without_context_add_no_dependencies(analyze) -> None:
    source = (
        '{% import "forms.html" as forms %}{% from "forms.html" import token as tok %}'
        "{{ forms.field(field_name) }}{{ tok() }}{{ forms }}"
    )
    assert deps(analyze, source, FORMS) == frozenset({"field_name"})


def test_imports_with_context_add_the_def_dependencies(analyze) -> None:
    source = (
        '{% from "forms.html" import field with context %}'
        '{% import "forms.html" as f with context %}{{ field("q") }}{{ f.token() }}'
    )
    assert deps(analyze, source, FORMS) == frozenset({"site.lang", "csrf.value"})


def test_unresolvable_imports(analyze) -> None:
    meta = analyze('{% import "nope.html" as n with context %}{% block b %}{{ n.x(y) }}{% end %}')
    assert meta.blocks["b"].depends_on == frozenset({"y"})
    assert meta.blocks["b"].is_pure == "unknown"


def test_provide_values_and_push_bodies_are_dependencies(analyze) -> None:
    source = (
        "{% provide theme = user.theme %}{{ consume('theme') }}{% end %}"
        "{% push 'js' %}{{ page.script }}{% end %}{% stack 'js' %}"
    )
    assert deps(analyze, source) == frozenset({"user.theme", "page.script"})
