"""Introspection through Template and Environment, backed by the kida-analysis plug-in."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kida import Environment, FileSystemLoader
from kida.composition import get_structure, validate_block_exists
from kida_core import introspection, plugins
from kida_loaders import DictLoader

SITE = {
    "base.html": (
        "<html><body>"
        "{% block nav %}<nav>{% for item in site.nav %}{{ item.title }}{% end %}</nav>{% end %}"
        "{% block content %}{% end %}"
        "{% block footer %}<footer>{{ site.name }} {{ random_quote() }}</footer>{% end %}"
        "</body></html>"
    ),
    "page.html": (
        '{% extends "base.html" %}'
        "{% let heading = page.title | upper %}"
        "{% block content %}<main><h1>{{ heading }}</h1>"
        "{% for post in posts %}{{ post.title }}{% end %}</main>{% end %}"
    ),
    "components.html": (
        '{% def card(title: str, tone: str = "info", *extra, **attrs) %}'
        "<div>{{ title }}{{ site.name }}{% slot %}{% slot actions %}</div>{% end %}"
    ),
}


@pytest.fixture
def env() -> Environment:
    return Environment(loader=DictLoader(SITE), globals={"random_quote": lambda: "q"})


def test_depends_on_follows_the_extends_chain(env: Environment) -> None:
    assert env.get_template("page.html").depends_on() == {
        "site.nav",
        "site.name",
        "page.title",
        "posts",
    }


def test_required_context_lists_top_level_names(env: Environment) -> None:
    assert env.get_template("page.html").required_context() == {"site", "page", "posts"}


def test_validate_context_reports_missing_names_sorted(env: Environment) -> None:
    assert env.get_template("page.html").validate_context({"site": {}}) == ["page", "posts"]


def test_block_metadata_covers_inherited_blocks(env: Environment) -> None:
    blocks = env.get_template("page.html").block_metadata()
    assert set(blocks) == {"nav", "content", "footer"}
    assert blocks["nav"].inferred_role == "navigation"
    assert blocks["content"].depends_on == {"page.title", "posts"}
    assert blocks["content"].cache_scope == "page"


def test_a_block_calling_an_unmarked_global_is_impure(env: Environment) -> None:
    footer = env.get_template("page.html").block_metadata()["footer"]
    assert footer.is_pure == "impure"
    assert footer.cache_scope == "none"


def test_is_cacheable_per_block_and_overall(env: Environment) -> None:
    page = env.get_template("page.html")
    assert page.is_cacheable("nav") is True
    assert page.is_cacheable("footer") is False
    assert page.is_cacheable() is False


def test_marking_a_global_pure_makes_its_callers_cacheable() -> None:
    from kida import pure

    env = Environment(loader=DictLoader(SITE), globals={"random_quote": pure(lambda: "q")})
    assert env.get_template("page.html").is_cacheable("footer") is True


def test_template_metadata_names_the_parent(env: Environment) -> None:
    metadata = env.get_template("page.html").template_metadata()
    assert metadata is not None
    assert metadata.extends == "base.html"


def test_def_metadata_describes_signature_and_slots(env: Environment) -> None:
    card = env.get_template("components.html").def_metadata()["card"]
    assert [(p.name, p.annotation, p.has_default, p.is_required) for p in card.params] == [
        ("title", "str", False, True),
        ("tone", "str", True, False),
    ]
    assert (card.vararg, card.kwarg) == ("extra", "attrs")
    assert card.slots == ("actions",)
    assert card.has_default_slot is True
    assert card.depends_on == {"site.name"}


def test_without_a_preserved_ast_introspection_is_empty() -> None:
    env = Environment(loader=DictLoader(SITE), preserve_ast=False)
    page = env.get_template("page.html")
    assert page.template_metadata() is None
    assert page.block_metadata() == {}
    assert page.depends_on() == frozenset()
    assert page.is_cacheable() is False


def test_structure_is_cached_and_refreshed_after_a_reload(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text("{% block one %}1{% end %}")
    env = Environment(loader=FileSystemLoader(tmp_path), bytecode_cache=False)
    first = get_structure(env, "a.html")
    assert first is not None and first.block_names == ("one",)
    assert get_structure(env, "a.html") is first
    path = tmp_path / "a.html"
    path.write_text("{% block one %}1{% end %}{% block two %}2{% end %}")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    second = get_structure(env, "a.html")
    assert second is not None and second.block_names == ("one", "two")


def test_validate_block_exists_includes_inherited_blocks(env: Environment) -> None:
    assert validate_block_exists(env, "page.html", "nav") is True
    assert validate_block_exists(env, "page.html", "sidebar") is False
    assert validate_block_exists(env, "missing.html", "nav") is False


def test_without_kida_analysis_introspection_names_the_package(
    env: Environment, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_plugin(group: str, name: str) -> object:
        raise LookupError(f"No Kida plugin {name!r} in {group!r}")

    monkeypatch.setattr(plugins, "get_plugin", no_plugin)
    monkeypatch.setattr(introspection, "_analyzers", [])
    with pytest.raises(RuntimeError, match="needs the kida-analysis distribution"):
        env.get_template("page.html").depends_on()
    assert (
        env.get_template("page.html")
        .render(site={"nav": [], "name": "n"}, page={"title": "t"}, posts=[])
        .startswith("<html>")
    )


def test_structure_lists_the_parents_blocks_first(tmp_path: Path) -> None:
    (tmp_path / "base.html").write_text("{% block head %}{% end %}{% block body %}{% end %}")
    (tmp_path / "page.html").write_text(
        '{% extends "base.html" %}{% block extra %}x{% end %}{% block body %}b{% end %}'
    )
    env = Environment(loader=FileSystemLoader(tmp_path), bytecode_cache=False)
    manifest = get_structure(env, "page.html")
    assert manifest is not None
    assert manifest.block_names == ("head", "body", "extra")


def test_block_hashes_are_16_hex_digits(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text("{% block one %}1{% end %}{% block two %}2{% end %}")
    env = Environment(loader=FileSystemLoader(tmp_path), bytecode_cache=False)
    manifest = get_structure(env, "a.html")
    assert manifest is not None
    for digest in manifest.block_hashes.values():
        assert len(digest) == 16 and set(digest) <= set("0123456789abcdef")


def test_def_metadata_is_computed_once_per_template(env: Environment) -> None:
    template = env.get_template("components.html")
    first = template.def_metadata()
    first.clear()  # callers get their own dict
    second = template.def_metadata()
    assert second["card"] is template.def_metadata()["card"]
