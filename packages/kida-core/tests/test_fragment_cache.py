"""``{% cache %}`` fragments (``fragment_cache_size`` / ``fragment_ttl``)."""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from kida_core import Environment, TemplateRuntimeError
from kida_core.lru import LRUCache


class Counter:
    """Records every value it is asked to render."""

    def __init__(self) -> None:
        self.calls: list[Any] = []

    def __call__(self, value: Any) -> Any:
        self.calls.append(value)
        return value


def test_cached_body_rendered_once_for_same_key() -> None:
    env = Environment()
    template = env.from_string("{% cache 'k' %}{{ count(v) }}{% end %}", name="c.html")
    count = Counter()
    assert template.render(count=count, v=1) == "1"
    assert template.render(count=count, v=2) == "1"
    assert count.calls == [1]


def test_explicit_endcache_closer() -> None:
    env = Environment()
    template = env.from_string("{% cache 'k' %}{{ v }}{% endcache %}", name="c.html")
    assert [template.render(v=1), template.render(v=2)] == ["1", "1"]


def test_different_keys_cache_separately() -> None:
    env = Environment()
    template = env.from_string("{% cache key %}{{ v }}{% end %}", name="c.html")
    assert template.render(key="a", v=1) == "1"
    assert template.render(key="b", v=2) == "2"
    assert template.render(key="a", v=3) == "1"


def test_key_expression_is_evaluated() -> None:
    env = Environment()
    template = env.from_string("{% cache 'user-' ~ uid %}{{ name }}{% end %}", name="c.html")
    assert template.render(uid=1, name="Ada") == "Ada"
    assert template.render(uid=2, name="Bo") == "Bo"
    assert template.render(uid=1, name="changed") == "Ada"


def test_surrounding_output_is_not_cached() -> None:
    env = Environment()
    template = env.from_string("<{{ v }}>{% cache 'k' %}[{{ v }}]{% end %}", name="c.html")
    assert template.render(v=1) == "<1>[1]"
    assert template.render(v=2) == "<2>[1]"


def test_same_key_in_different_named_templates_does_not_collide() -> None:
    env = Environment()
    a = env.from_string("{% cache 'same' %}A{% end %}", name="a.html")
    b = env.from_string("{% cache 'same' %}B{% end %}", name="b.html")
    assert a.render() == "A"
    assert b.render() == "B"


def test_cached_fragment_escaped_once() -> None:
    env = Environment()
    template = env.from_string("{% cache 'k' %}<p>{{ v }}</p>{% end %}", name="c.html")
    assert template.render(v="<a&b>") == "<p>&lt;a&amp;b&gt;</p>"
    assert template.render(v="other") == "<p>&lt;a&amp;b&gt;</p>"


def test_nested_caches() -> None:
    env = Environment()
    template = env.from_string(
        "{% cache 'outer' %}O{{ v }}{% cache 'inner' %}I{{ v }}{% end %}{% end %}", name="c.html"
    )
    assert template.render(v=1) == "O1I1"
    assert template.render(v=2) == "O1I1"


def test_cache_inside_loop_keyed_per_item() -> None:
    env = Environment()
    template = env.from_string(
        "{% for x in xs %}{% cache 'row-' ~ x.id %}{{ x.label }}{% end %}{% end %}", name="c.html"
    )
    assert template.render(xs=[{"id": 1, "label": "a"}, {"id": 2, "label": "b"}]) == "ab"
    assert template.render(xs=[{"id": 2, "label": "X"}, {"id": 3, "label": "c"}]) == "bc"


# -- ttl ----------------------------------------------------------------------------------------


def test_numeric_ttl_expires() -> None:
    env = Environment()
    template = env.from_string("{% cache 'k', ttl=0.05 %}{{ v }}{% end %}", name="c.html")
    assert [template.render(v=1), template.render(v=2)] == ["1", "1"]
    time.sleep(0.1)
    assert template.render(v=3) == "3"


def test_duration_string_ttl_keeps_value() -> None:
    env = Environment()
    template = env.from_string("{% cache 'k', ttl='5m' %}{{ v }}{% end %}", name="c.html")
    assert [template.render(v=1), template.render(v=2)] == ["1", "1"]


@pytest.mark.parametrize("ttl", ["'30s'", "'2h'", "'1d'", "30", "0.5"])
def test_accepted_ttl_spellings(ttl: str) -> None:
    env = Environment()
    template = env.from_string(f"{{% cache 'k', ttl={ttl} %}}{{{{ v }}}}{{% end %}}", name="c.html")
    assert [template.render(v=1), template.render(v=2)] == ["1", "1"]


def test_invalid_ttl_string_raises() -> None:
    env = Environment()
    template = env.from_string("{% cache 'k', ttl='soon' %}{{ v }}{% end %}", name="c.html")
    with pytest.raises(TemplateRuntimeError, match="ttl"):
        template.render(v=1)


def test_environment_fragment_ttl_is_default() -> None:
    env = Environment(fragment_ttl=0.05)
    template = env.from_string("{% cache 'k' %}{{ v }}{% end %}", name="c.html")
    assert [template.render(v=1), template.render(v=2)] == ["1", "1"]
    time.sleep(0.1)
    assert template.render(v=3) == "3"


# -- depends ------------------------------------------------------------------------------------


def test_depends_change_invalidates_fragment() -> None:
    env = Environment()
    template = env.from_string("{% cache 'k', depends=version %}{{ v }}{% end %}", name="c.html")
    assert template.render(v=1, version=1) == "1"
    assert template.render(v=2, version=1) == "1"
    assert template.render(v=3, version=2) == "3"


def test_depends_with_ttl() -> None:
    env = Environment()
    template = env.from_string(
        "{% cache 'k', ttl='5m', depends=version %}{{ v }}{% end %}", name="c.html"
    )
    assert template.render(v=1, version="a") == "1"
    assert template.render(v=2, version="b") == "2"
    assert template.render(v=3, version="a") == "1"


# -- environment cache ----------------------------------------------------------------------------


def test_fragment_cache_size_evicts_least_recent() -> None:
    env = Environment(fragment_cache_size=1)
    template = env.from_string("{% cache key %}{{ v }}{% end %}", name="c.html")
    assert template.render(key="a", v=1) == "1"
    assert template.render(key="b", v=2) == "2"
    assert template.render(key="a", v=3) == "3"


def test_fragment_cache_size_reported_in_cache_info() -> None:
    env = Environment(fragment_cache_size=7)
    env.from_string("{% cache 'k' %}x{% end %}", name="c.html").render()
    info = env.cache_info()["fragment"]
    assert info["max_size"] == 7
    assert info["size"] == 1


def test_clear_fragment_cache_forces_rerender() -> None:
    env = Environment()
    template = env.from_string("{% cache 'k' %}{{ v }}{% end %}", name="c.html")
    assert template.render(v=1) == "1"
    env.clear_fragment_cache()
    assert template.render(v=2) == "2"


def test_cache_shared_between_render_and_stream() -> None:
    env = Environment()
    template = env.from_string("a{% cache 'k' %}{{ v }}{% end %}b", name="c.html")
    assert template.render(v=1) == "a1b"
    assert "".join(template.render_stream(v=2)) == "a1b"


def test_streamed_cache_fill_is_visible_to_render() -> None:
    env = Environment()
    template = env.from_string(
        "{% cache 'k' %}{% for i in xs %}{{ i }}{% end %}{% end %}", name="c.html"
    )
    assert "".join(template.render_stream(xs=[1, 2])) == "12"
    assert template.render(xs=[9]) == "12"


def test_separate_environments_do_not_share_fragments() -> None:
    first, second = Environment(), Environment()
    source = "{% cache 'k' %}{{ v }}{% end %}"
    assert first.from_string(source, name="c.html").render(v=1) == "1"
    assert second.from_string(source, name="c.html").render(v=2) == "2"


# -- source identity ----------------------------------------------------------------------------


def test_two_sources_registered_under_one_name_do_not_share_fragments() -> None:
    env = Environment()
    tenant_a = env.from_string('{% cache "sidebar-" ~ 7 %}A secret{% end %}', name="sidebar.html")
    tenant_b = env.from_string('{% cache "sidebar-" ~ 7 %}{% end %}', name="sidebar.html")
    assert tenant_a.render() == "A secret"
    assert tenant_b.render() == ""


def test_another_source_under_the_same_name_cannot_poison_an_entry() -> None:
    env = Environment()
    tenant_b = env.from_string('{% cache "sidebar-" ~ 7 %}poison{% end %}', name="sidebar.html")
    tenant_a = env.from_string('{% cache "sidebar-" ~ 7 %}{{ v }}{% end %}', name="sidebar.html")
    assert tenant_b.render() == "poison"
    assert tenant_a.render(v="mine") == "mine"


def test_recompiling_the_same_source_keeps_its_fragments() -> None:
    env = Environment()
    source = "{% cache 'k' %}{{ v }}{% end %}"
    assert env.from_string(source, name="c.html").render(v=1) == "1"
    assert env.from_string(source, name="c.html").render(v=2) == "1"


def test_different_static_contexts_do_not_share_fragments() -> None:
    env = Environment()
    source = "{% cache 'k' %}{{ site }}{% end %}"
    first = env.from_string(source, name="c.html", static_context={"site": "one"})
    second = env.from_string(source, name="c.html", static_context={"site": "two"})
    assert first.render() == "one"
    assert second.render() == "two"


def test_editing_a_template_file_changes_its_fragment_keys(tmp_path: Path) -> None:
    from kida_loaders import FileSystemLoader

    path = tmp_path / "page.html"
    path.write_text("{% cache 'k' %}old {{ v }}{% end %}", encoding="utf-8")
    env = Environment(loader=FileSystemLoader(tmp_path), auto_reload=True)
    assert env.get_template("page.html").render(v=1) == "old 1"
    path.write_text("{% cache 'k' %}new {{ v }}{% end %}", encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    assert env.get_template("page.html").render(v=2) == "new 2"


# -- size bounds ----------------------------------------------------------------------------------


def test_total_cached_characters_are_bounded_least_recent_evicted_first() -> None:
    env = Environment(fragment_cache_max_chars=10)
    template = env.from_string("{% cache key %}{{ v }}{% end %}", name="c.html")
    assert template.render(key="a", v="aaaaaa") == "aaaaaa"
    assert template.render(key="b", v="bbbbbb") == "bbbbbb"
    assert template.render(key="a", v="fresh!") == "fresh!"
    assert env.cache_info()["fragment"]["weight"] <= 10


def test_fragment_over_the_entry_limit_is_rendered_but_not_stored() -> None:
    env = Environment(fragment_cache_entry_max_chars=3)
    template = env.from_string("{% cache 'k' %}{{ count(v) }}{% end %}", name="c.html")
    count = Counter()
    assert template.render(count=count, v="long") == "long"
    assert template.render(count=count, v="again") == "again"
    assert count.calls == ["long", "again"]
    assert env.cache_info()["fragment"]["size"] == 0


def test_fragment_within_the_entry_limit_is_stored() -> None:
    env = Environment(fragment_cache_entry_max_chars=3)
    template = env.from_string("{% cache 'k' %}{{ v }}{% end %}", name="c.html")
    assert template.render(v="abc") == "abc"
    assert template.render(v="xyz") == "abc"


def test_cache_info_reports_cached_characters_and_their_bound() -> None:
    env = Environment(fragment_cache_max_chars=500)
    env.from_string("{% cache 'k' %}12345{% end %}", name="c.html").render()
    info = env.cache_info()["fragment"]
    assert (info["weight"], info["max_weight"]) == (5, 500)


def test_clearing_the_fragment_cache_resets_its_size() -> None:
    env = Environment()
    env.from_string("{% cache 'k' %}12345{% end %}", name="c.html").render()
    env.clear_fragment_cache()
    assert env.cache_info()["fragment"]["weight"] == 0


def test_concurrent_renders_keep_the_size_accounting_exact() -> None:
    env = Environment(fragment_cache_size=50, fragment_cache_max_chars=400)
    template = env.from_string("{% cache key %}{{ v }}{% end %}", name="c.html")

    def render_many(worker: int) -> None:
        for i in range(300):
            template.render(key=(worker, i % 70), v="x" * (i % 13))

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(render_many, range(8)))
    cached_keys = env._fragments.keys()
    entries = [env._fragments.peek(key) for key in cached_keys]
    info = env.cache_info()["fragment"]
    assert info["weight"] == sum(len(text) for _, text in entries) <= 400
    assert info["size"] <= 50


def test_dropping_an_expired_entry_keeps_a_fresh_one_stored_meanwhile() -> None:
    cache: LRUCache[tuple[float, str]] = LRUCache(10)
    cache.set("k", (0.0, "expired"))
    stale = cache.get("k")
    cache.set("k", (1.0, "fresh"))  # another thread refilled the entry
    cache.pop("k", stale)
    assert cache.get("k") == (1.0, "fresh")
