"""The bytecode cache seen through ``Environment``: hits, keys, selection, maintenance, robustness.

Every test uses real files under ``tmp_path``. "Did not compile" is proven by
counting calls to ``Environment._compile_source`` (the lexer → parser →
compiler pipeline); a cache hit never reaches it.
"""

from __future__ import annotations

import sqlite3
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import CodeType
from typing import Any

import pytest

from kida import (
    DictLoader,
    Environment,
    FileSystemLoader,
    MigrationWarning,
    PrecedenceWarning,
    Template,
    TemplateSyntaxError,
    UndefinedError,
)
from kida_cache import BytecodeCache
from kida_cache.record import decode
from kida_core.decorators import pure
from kida_core.nodes import TemplateNode

LAYOUT = (
    "<html><title>{% block title %}Site{% end %}</title>"
    "{% def nav(items) %}<nav>{% for i in items %}<a>{{ i | title }}</a>{% end %}</nav>{% end %}"
    "<body>{{ nav(menu) }}{% block content %}{% end %}{% include 'footer.html' %}</body></html>"
)
PAGE = (
    "{% extends 'layout.html' %}"
    "{% def card(post) %}<article>{{ post.title | upper }}: {{ post.body }}</article>{% end %}"
    "{% block title %}{{ heading }} | {{ super() }}{% end %}"
    "{% block content %}{% for p in posts %}{{ card(p) }}{% end %}"
    "<p>{{ posts | length }} posts</p>{% end %}"
)
FOOTER = "<footer>&copy; {{ year }} {{ owner ?? 'nobody' }}</footer>"
CONTEXT: dict[str, Any] = {
    "heading": "News & <Views>",
    "menu": ["home", "about us"],
    "posts": [{"title": "one", "body": "<b>bold</b>"}, {"title": "two", "body": "plain"}],
    "year": 2025,
}
#: Compiles with a PrecedenceWarning (line 1) and a MigrationWarning (line 5).
WARNED = (
    "{{ items ?? [] | length }}\n"
    "{% if user %}\n"
    "{% set greeting = 'hi' %}\n"
    "{% end %}\n"
    "{{ greeting ?? '' }}"
)
STRING_SOURCE = "{% for x in xs %}<i>{{ x | upper }}</i>{% end %}{{ title ?? 'untitled' }}"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A template directory (absolute path) with a layout, a page and a partial."""
    root = tmp_path / "templates"
    root.mkdir()
    (root / "layout.html").write_text(LAYOUT)
    (root / "page.html").write_text(PAGE)
    (root / "footer.html").write_text(FOOTER)
    (root / "warned.html").write_text(WARNED)
    return root


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "bytecode"


@pytest.fixture(autouse=True)
def quiet_compile_warnings() -> Iterator[None]:
    """Template warnings are asserted explicitly where they matter."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PrecedenceWarning)
        warnings.simplefilter("ignore", MigrationWarning)
        yield


def cache_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("__kida_*.pyc"))


def env_with(cache_dir: Path, **options: Any) -> Environment:
    return Environment(bytecode_cache=BytecodeCache(cache_dir), **options)


def site_env(site: Path, cache_dir: Path, **options: Any) -> Environment:
    return Environment(
        loader=FileSystemLoader(str(site)), bytecode_cache=BytecodeCache(cache_dir), **options
    )


# -- warm hits ---------------------------------------------------------------------------


def test_get_template_warm_hit_renders_identically_without_compiling(
    site: Path, cache_dir: Path, compiles: list[str | None]
) -> None:
    fresh = Environment(loader=FileSystemLoader(str(site)), bytecode_cache=False)
    expected = fresh.render("page.html", CONTEXT)
    cold = site_env(site, cache_dir)
    assert cold.render("page.html", CONTEXT) == expected
    compiles.clear()

    warm = site_env(site, cache_dir)
    output = warm.render("page.html", CONTEXT)

    assert output == expected
    assert compiles == []  # page, layout and footer all came from the cache


def test_from_string_named_warm_hit_renders_identically_without_compiling(
    cache_dir: Path, compiles: list[str | None]
) -> None:
    context = {"xs": ["a", "<b>"], "title": "T&T"}
    expected = Environment(bytecode_cache=False).from_string(STRING_SOURCE).render(context)
    env_with(cache_dir).from_string(STRING_SOURCE, name="inline.html").render(context)
    compiles.clear()

    template = env_with(cache_dir).from_string(STRING_SOURCE, name="inline.html")

    assert template.render(context) == expected
    assert compiles == []


def test_warm_hit_with_static_context_precomputed_values_renders_identically(
    cache_dir: Path, compiles: list[str | None]
) -> None:
    source = "<h1>{{ site.name | upper }}</h1>{% if site.beta %}<b>beta</b>{% end %}{{ x }}"
    statics = {"site": {"name": "kida & co", "beta": True}}
    expected = Environment(static_context=statics).from_string(source).render(x=1)
    env_with(cache_dir, static_context=statics).from_string(source, name="s.html")
    compiles.clear()

    output = env_with(cache_dir, static_context=statics).from_string(source, name="s.html")

    assert output.render(x=1) == expected
    assert compiles == []


def test_explicit_cache_instance_is_used(site: Path, cache_dir: Path) -> None:
    cache = BytecodeCache(cache_dir)
    env = Environment(loader=FileSystemLoader(str(site)), bytecode_cache=cache)

    env.get_template("footer.html")

    assert len(cache_files(cache_dir)) == 1
    assert not (site / "__pycache__").exists()  # the explicit cache replaces the automatic one


# -- compile-time warnings -------------------------------------------------------------------


def test_template_warnings_are_identical_on_a_hit(site: Path, cache_dir: Path) -> None:
    fresh = site_env(site, cache_dir).get_template("warned.html")

    cached = site_env(site, cache_dir).get_template("warned.html")

    assert [w.code for w in fresh.warnings] == [w.code for w in cached.warnings]
    assert cached.warnings == fresh.warnings
    assert {type(w).__name__ for w in cached.warnings} == {"TemplateWarning"}
    assert len(cached.warnings) == 2


def test_python_warnings_are_emitted_again_on_a_hit(site: Path, cache_dir: Path) -> None:
    def emitted(env: Environment) -> list[tuple[type[Warning], str]]:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            env.get_template("warned.html")
        return [(w.category, str(w.message)) for w in caught]

    fresh = emitted(site_env(site, cache_dir))

    cached = emitted(site_env(site, cache_dir))

    assert cached == fresh
    assert [category for category, _ in cached] == [PrecedenceWarning, MigrationWarning]


def _component_site(site: Path, signature: str) -> None:
    (site / "components.html").write_text("{% def badge(" + signature + ") %}{{ label }}{% end %}")
    (site / "badges.html").write_text(
        "{% from 'components.html' import badge %}{{ items ?? [] | length }}\n{{ badge(42) }}"
    )


def _call_warnings(env: Environment) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        template = env.get_template("badges.html")
    assert [str(w.message) for w in caught] == [w.format_message() for w in template.warnings]
    return [f"{w.code.value}:{w.lineno}" for w in template.warnings]


def test_call_type_warnings_are_identical_on_a_hit(
    site: Path, cache_dir: Path, compiles: list[str | None]
) -> None:
    _component_site(site, "label: str")
    fresh = _call_warnings(site_env(site, cache_dir, validate_calls=True))
    compiles.clear()

    cached = _call_warnings(site_env(site, cache_dir, validate_calls=True))

    assert "badges.html" not in compiles
    assert cached == fresh == ["K-WARN-001:1", "K-CMP-002:2"]


def test_call_type_warnings_follow_the_imported_def_on_a_hit(
    site: Path, cache_dir: Path, compiles: list[str | None]
) -> None:
    _component_site(site, "label: str")
    _call_warnings(site_env(site, cache_dir, validate_calls=True))
    (site / "components.html").write_text("{% def badge(label: int) %}{{ label }}{% end %}")
    compiles.clear()

    cached = _call_warnings(site_env(site, cache_dir, validate_calls=True))

    assert "badges.html" not in compiles
    assert cached == ["K-WARN-001:1"]


def test_call_signature_errors_follow_the_imported_def_on_a_hit(
    site: Path, cache_dir: Path
) -> None:
    _component_site(site, "label")
    _call_warnings(site_env(site, cache_dir, validate_calls=True))
    (site / "components.html").write_text("{% def badge() %}{% end %}")

    with pytest.raises(TemplateSyntaxError, match="1 positional arguments for 0 parameters"):
        site_env(site, cache_dir, validate_calls=True).get_template("badges.html")


# -- introspection ---------------------------------------------------------------------------


def test_tree_after_a_hit_equals_the_fresh_ast(site: Path, cache_dir: Path) -> None:
    fresh = site_env(site, cache_dir).get_template("page.html")

    cached = site_env(site, cache_dir).get_template("page.html")

    tree = cached._tree()
    assert isinstance(tree, TemplateNode)
    assert tree == fresh._tree()


def test_list_blocks_and_defs_match_after_a_hit(site: Path, cache_dir: Path) -> None:
    fresh_env = site_env(site, cache_dir)  # templates hold their Environment weakly
    fresh = fresh_env.get_template("page.html")

    cached_env = site_env(site, cache_dir)
    cached = cached_env.get_template("page.html")

    assert cached.list_blocks() == fresh.list_blocks() == ["title", "content"]
    assert cached.list_defs() == fresh.list_defs() == ["card"]


def test_render_block_after_a_hit(site: Path, cache_dir: Path) -> None:
    site_env(site, cache_dir).render("page.html", CONTEXT)  # fills the cache
    fresh_env = Environment(loader=FileSystemLoader(str(site)), bytecode_cache=False)
    expected = fresh_env.get_template("page.html").render_block("title", CONTEXT)

    cached_env = site_env(site, cache_dir)
    cached = cached_env.get_template("page.html")

    assert cached.render_block("title", CONTEXT) == expected


# -- the cache key -----------------------------------------------------------------------------


def test_static_context_values_never_share_code(cache_dir: Path) -> None:
    source = "{% if feature %}on{% else %}off{% end %}"
    env_with(cache_dir, static_context={"feature": True}).from_string(source, name="f.html")

    off = env_with(cache_dir, static_context={"feature": False}).from_string(source, name="f.html")
    on = env_with(cache_dir, static_context={"feature": True}).from_string(source, name="f.html")

    assert (off.render(), on.render()) == ("off", "on")
    assert len(cache_files(cache_dir)) == 2


def test_from_string_static_context_argument_is_part_of_the_key(cache_dir: Path) -> None:
    source = "<p>{{ brand | upper }}</p>"
    env_with(cache_dir).from_string(source, name="b.html", static_context={"brand": "acme"})

    other = env_with(cache_dir).from_string(source, name="b.html", static_context={"brand": "zeta"})

    assert other.render() == "<p>ZETA</p>"


def test_autoescape_setting_never_shares_code(cache_dir: Path) -> None:
    source = "{{ value }}"
    env_with(cache_dir, autoescape=True).from_string(source, name="e.html")

    raw = env_with(cache_dir, autoescape=False).from_string(source, name="e.html")
    escaped = env_with(cache_dir, autoescape=True).from_string(source, name="e.html")

    assert raw.render(value="<b>") == "<b>"
    assert escaped.render(value="<b>") == "&lt;b&gt;"


def test_strict_undefined_setting_never_shares_code(cache_dir: Path) -> None:
    source = "[{{ user.missing }}]"
    env_with(cache_dir, strict_undefined=True).from_string(source, name="u.html")

    lenient = env_with(cache_dir, strict_undefined=False).from_string(source, name="u.html")
    strict = env_with(cache_dir, strict_undefined=True).from_string(source, name="u.html")

    assert lenient.render(user={}) == "[]"
    with pytest.raises(UndefinedError):
        strict.render(user={})


def test_changed_pure_filter_used_by_static_context_does_not_reuse_stale_code(
    cache_dir: Path,
) -> None:
    """A pure filter folded at compile time is baked into the cached code.

    Upgrading the application's filter (same template, same static context,
    same Kida) must not keep serving the old filter's result from the cache.
    """
    source = "{{ brand | shout }}"
    statics = {"brand": "Kida"}

    def env_shouting(func: Any) -> Environment:
        env = env_with(cache_dir, static_context=statics)
        env.add_filter("shout", pure(func))
        return env

    env_shouting(lambda s: s.upper() + "!").from_string(source, name="p.html")
    upgraded = env_shouting(lambda s: s.lower() + "?")
    expected = Environment(static_context=statics)
    expected.add_filter("shout", pure(lambda s: s.lower() + "?"))

    output = upgraded.from_string(source, name="p.html").render()

    assert output == expected.from_string(source).render() == "kida?"


# -- from_string without a name ------------------------------------------------------------------


def test_unnamed_from_string_warns_once_per_distinct_source(
    cache_dir: Path, compiles: list[str | None]
) -> None:
    env = env_with(cache_dir)

    with pytest.warns(UserWarning, match="without name=") as caught:
        env.from_string("a {{ x }}")
        env.from_string("a {{ x }}")
        env.from_string("b {{ x }}")

    assert len([w for w in caught if w.category is UserWarning]) == 2
    assert caught[0].filename == __file__  # points at the caller
    assert compiles == [None, None, None]  # never served from the cache
    assert cache_files(cache_dir) == []


def test_unnamed_from_string_without_a_cache_does_not_warn() -> None:
    env = Environment(bytecode_cache=False)

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert env.from_string("{{ 1 + 1 }}").render() == "2"


# -- selecting the cache ------------------------------------------------------------------------


def test_automatic_cache_next_to_an_absolute_filesystem_loader(site: Path) -> None:
    env = Environment(loader=FileSystemLoader(str(site)))

    env.render("page.html", CONTEXT)

    written = cache_files(site / "__pycache__" / "kida")
    assert len(written) == 3  # page, layout and footer
    assert env.cache_info()["bytecode"]["file_count"] == 3


def test_automatic_cache_is_off_for_a_relative_search_path(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(site.parent)
    env = Environment(loader=FileSystemLoader(site.name))

    assert env.render("footer.html", year=1) == "<footer>&copy; 1 nobody</footer>"

    assert not (site / "__pycache__").exists()
    assert env.cache_info()["bytecode"] is None


def test_automatic_cache_is_off_for_a_dict_loader(compiles: list[str | None]) -> None:
    env = Environment(loader=DictLoader({"a.html": "{{ x }}"}))

    env.get_template("a.html")

    assert env.cache_info()["bytecode"] is None


def test_bytecode_cache_false_writes_nothing(site: Path, tmp_path: Path) -> None:
    before = sorted(tmp_path.rglob("*"))
    env = Environment(loader=FileSystemLoader(str(site)), bytecode_cache=False)

    env.render("page.html", CONTEXT)

    assert sorted(tmp_path.rglob("*")) == before
    assert env.cache_info()["bytecode"] is None


def test_filesystem_cache_selected_by_name(site: Path, cache_dir: Path) -> None:
    env = Environment(loader=FileSystemLoader(str(site)), bytecode_cache=f"filesystem:{cache_dir}")

    env.get_template("footer.html")

    assert len(cache_files(cache_dir)) == 1
    assert not (site / "__pycache__").exists()


def test_third_party_sqlite_cache_selected_by_name(
    site: Path, tmp_path: Path, compiles: list[str | None]
) -> None:
    db = tmp_path / "kida.sqlite"
    first = Environment(loader=FileSystemLoader(str(site)), bytecode_cache=f"sqlite:{db}")
    expected = first.render("page.html", CONTEXT)
    compiles.clear()

    second = Environment(loader=FileSystemLoader(str(site)), bytecode_cache=f"sqlite:{db}")

    assert second.render("page.html", CONTEXT) == expected
    assert compiles == []
    assert not (site / "__pycache__").exists()


def sqlite_names(db: Path) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {row[0] for row in conn.execute("SELECT name FROM kida_bytecode_v2")}


def test_sqlite_cache_rows_survive_a_warm_hit(site: Path, tmp_path: Path) -> None:
    """The Environment stores the AST as an opaque ``TreeBlob``; a hit must not drop the row."""
    db = tmp_path / "kida.sqlite"
    Environment(loader=FileSystemLoader(str(site)), bytecode_cache=f"sqlite:{db}").render(
        "page.html", CONTEXT
    )
    assert sqlite_names(db) == {"page.html", "layout.html", "footer.html"}

    Environment(loader=FileSystemLoader(str(site)), bytecode_cache=f"sqlite:{db}").render(
        "page.html", CONTEXT
    )

    assert sqlite_names(db) == {"page.html", "layout.html", "footer.html"}


def test_sqlite_cache_hit_keeps_the_ast(site: Path, tmp_path: Path) -> None:
    db = tmp_path / "kida.sqlite"
    fresh_env = Environment(loader=FileSystemLoader(str(site)), bytecode_cache=f"sqlite:{db}")
    fresh = fresh_env.get_template("footer.html")

    cached_env = Environment(loader=FileSystemLoader(str(site)), bytecode_cache=f"sqlite:{db}")
    cached = cached_env.get_template("footer.html")

    assert cached._tree() is not None
    assert cached._tree() == fresh._tree()


def test_unknown_cache_name_raises_a_clear_lookup_error(site: Path) -> None:
    with pytest.raises(LookupError, match=r"No Kida plugin 'memcached'.*kida\.bytecode_caches"):
        env = Environment(loader=FileSystemLoader(str(site)), bytecode_cache="memcached:localhost")
        env.get_template("footer.html")


def test_invalid_cache_setting_type_raises_type_error(site: Path) -> None:
    with pytest.raises(TypeError, match="bytecode_cache must be"):
        env = Environment(loader=FileSystemLoader(str(site)), bytecode_cache=42)
        env.get_template("footer.html")


# -- maintenance -------------------------------------------------------------------------------


def test_cache_info_reports_file_count_and_total_bytes(site: Path, cache_dir: Path) -> None:
    env = site_env(site, cache_dir)
    env.render("page.html", CONTEXT)

    info = env.cache_info()["bytecode"]

    files = cache_files(cache_dir)
    assert info == {"file_count": 3, "total_bytes": sum(p.stat().st_size for p in files)}
    assert info["total_bytes"] > 0


def test_clear_cache_with_include_bytecode_empties_it(site: Path, cache_dir: Path) -> None:
    env = site_env(site, cache_dir)
    env.render("page.html", CONTEXT)

    env.clear_cache(include_bytecode=True)

    assert cache_files(cache_dir) == []
    assert env.cache_info()["bytecode"] == {"file_count": 0, "total_bytes": 0}


def test_clear_cache_keeps_bytecode_by_default(site: Path, cache_dir: Path) -> None:
    env = site_env(site, cache_dir)
    env.render("page.html", CONTEXT)

    env.clear_cache()

    assert env.cache_info()["bytecode"]["file_count"] == 3


def test_clear_bytecode_cache_returns_the_number_removed(site: Path, cache_dir: Path) -> None:
    env = site_env(site, cache_dir)
    env.render("page.html", CONTEXT)

    removed = env.clear_bytecode_cache()

    assert removed == 3
    assert env.cache_info()["bytecode"] == {"file_count": 0, "total_bytes": 0}


def test_clear_bytecode_cache_before_first_use_clears_the_directory(
    site: Path, cache_dir: Path
) -> None:
    site_env(site, cache_dir).render("page.html", CONTEXT)

    assert site_env(site, cache_dir).clear_bytecode_cache() == 3
    assert cache_files(cache_dir) == []


def test_templates_render_after_the_bytecode_cache_is_cleared(site: Path, cache_dir: Path) -> None:
    env = site_env(site, cache_dir)
    expected = env.render("page.html", CONTEXT)
    env.clear_cache(include_bytecode=True)

    assert env.render("page.html", CONTEXT) == expected
    assert len(cache_files(cache_dir)) == 3  # rewritten


# -- robustness ----------------------------------------------------------------------------------


class ExplodingCache:
    """A cache whose every method raises."""

    def get(self, name: str, source_hash: str, *, context_hash: str | None = None) -> Any:
        raise RuntimeError("get exploded")

    def set(self, name: str, source_hash: str, code: CodeType, **kwargs: Any) -> None:
        raise OSError("set exploded")

    def clear(self, current_version_only: bool = False) -> int:
        raise RuntimeError("clear exploded")

    def cleanup(self, max_age_days: int = 30) -> int:
        raise RuntimeError("cleanup exploded")

    def stats(self) -> dict[str, int]:
        raise RuntimeError("stats exploded")


def test_a_cache_whose_get_and_set_raise_still_renders(site: Path) -> None:
    expected = Environment(loader=FileSystemLoader(str(site)), bytecode_cache=False).render(
        "page.html", CONTEXT
    )
    env = Environment(loader=FileSystemLoader(str(site)), bytecode_cache=ExplodingCache())

    assert env.render("page.html", CONTEXT) == expected
    assert env.from_string("{{ 6 * 7 }}", name="n.html").render() == "42"


def test_a_cache_returning_garbage_still_renders(site: Path) -> None:
    class LyingCache(ExplodingCache):
        def get(self, name: str, source_hash: str, *, context_hash: str | None = None) -> Any:
            return compile("raise ValueError('stale')", "<bad>", "exec"), None, None

        def set(self, *args: Any, **kwargs: Any) -> None:
            pass

    env = Environment(loader=FileSystemLoader(str(site)), bytecode_cache=LyingCache())

    assert env.render("footer.html", year=1) == "<footer>&copy; 1 nobody</footer>"


def test_a_corrupt_cache_file_is_ignored_and_rebuilt(
    site: Path, cache_dir: Path, compiles: list[str | None]
) -> None:
    expected = site_env(site, cache_dir).render("footer.html", year=3)
    (path,) = cache_files(cache_dir)
    path.write_bytes(b"\x01KDA\xff\xff garbage")
    compiles.clear()

    output = site_env(site, cache_dir).render("footer.html", year=3)

    assert output == expected
    assert compiles == ["footer.html"]
    assert cache_files(cache_dir) == [path]
    decode(path.read_bytes())  # rewritten with a valid record


def test_cached_code_using_a_filter_missing_from_a_new_environment_is_discarded(
    cache_dir: Path, compiles: list[str | None]
) -> None:
    source = "{{ name | shout }}"
    first = env_with(cache_dir)
    first.add_filter("shout", lambda s: s.upper() + "!")
    first.from_string(source, name="shout.html")
    compiles.clear()

    with pytest.raises(TemplateSyntaxError, match="Unknown filter 'shout'"):
        env_with(cache_dir).from_string(source, name="shout.html")  # same error as a fresh compile

    assert compiles == ["shout.html"]  # the cached code was not used


def test_cached_code_uses_the_new_environments_filter_implementation(cache_dir: Path) -> None:
    source = "{{ name | shout }}"
    first = env_with(cache_dir)
    first.add_filter("shout", lambda s: s.upper() + "!")
    first.from_string(source, name="shout.html")
    second = env_with(cache_dir)
    second.add_filter("shout", lambda s: s.lower() + "?")

    assert second.from_string(source, name="shout.html").render(name="Ada") == "ada?"


def test_cached_templates_outlive_their_environment_like_fresh_ones(cache_dir: Path) -> None:
    env_with(cache_dir).from_string("hi {{ x }}", name="h.html")

    template: Template = env_with(cache_dir).from_string("hi {{ x }}", name="h.html")

    assert template.render(x=1) == "hi 1"


def test_an_edited_template_misses_and_is_rewritten(
    site: Path, cache_dir: Path, compiles: list[str | None]
) -> None:
    site_env(site, cache_dir).get_template("footer.html")
    (old,) = cache_files(cache_dir)
    (site / "footer.html").write_text("<footer>edited {{ year }}</footer>")
    compiles.clear()

    output = site_env(site, cache_dir).render("footer.html", year=7)

    assert output == "<footer>edited 7</footer>"
    assert compiles == ["footer.html"]
    files = cache_files(cache_dir)
    assert len(files) == 2 and old in files  # the old entry is an orphan left for cleanup()
    compiles.clear()
    assert site_env(site, cache_dir).render("footer.html", year=7) == output
    assert compiles == []  # the new entry is a hit
