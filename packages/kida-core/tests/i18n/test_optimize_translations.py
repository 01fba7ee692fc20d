"""``optimize_translations``: binding-free messages become text while gettext is the identity."""

from __future__ import annotations

from pathlib import Path

from i18n_catalogs import Loader

from kida_cache import BytecodeCache
from kida_core import Environment
from kida_loaders import DictLoader

PAGE = (
    "{% trans %}Hello{% endtrans %} {% trans %}<b>{% endtrans %} {% trans n=1 %}Hello{% endtrans %}"
)


def test_output_is_the_same_as_without_the_optimisation() -> None:
    optimized = Environment(optimize_translations=True).render_string(PAGE)
    assert optimized == Environment().render_string(PAGE) == "Hello &lt;b&gt; Hello"


def test_an_optimised_message_ignores_translations_installed_later(gnu: Loader) -> None:
    env = Environment(optimize_translations=True)
    template = env.from_string(PAGE)
    env.install_translations(gnu("fr"))
    # The binding-free messages were compiled to text; the bound one still translates.
    assert template.render() == "Hello &lt;b&gt; Bonjour"


def test_translations_installed_before_compiling_disable_the_optimisation(gnu: Loader) -> None:
    env = Environment(optimize_translations=True)
    env.install_translations(gnu("fr"))
    assert env.render_string("{% trans %}Hello{% endtrans %}") == "Bonjour"


def test_install_null_translations_makes_the_optimisation_apply_again(gnu: Loader) -> None:
    env = Environment(optimize_translations=True)
    env.install_translations(gnu("fr"))
    env.install_null_translations()
    template = env.from_string("{% trans %}Hello{% endtrans %}")
    env.install_translations(gnu("fr"))
    assert template.render() == "Hello"


def test_a_disk_cache_written_under_identity_is_not_reused_with_translations(
    tmp_path: Path, gnu: Loader
) -> None:
    templates = {"page.html": "{% trans %}Hello{% endtrans %}"}
    cache_dir = tmp_path / "cache"

    first = Environment(
        loader=DictLoader(templates),
        optimize_translations=True,
        bytecode_cache=BytecodeCache(cache_dir),
    )
    assert first.get_template("page.html").render() == "Hello"
    assert list(cache_dir.iterdir())

    second = Environment(
        loader=DictLoader(templates),
        optimize_translations=True,
        bytecode_cache=BytecodeCache(cache_dir),
    )
    second.install_translations(gnu("fr"))
    assert second.get_template("page.html").render() == "Bonjour"
