"""PrefixLoader: the name's first part picks the loader, the rest is passed on."""

from __future__ import annotations

import pytest

from kida_core.errors import TemplateNotFoundError
from kida_loaders import DictLoader, FunctionLoader, PrefixLoader


def make_loader(delimiter: str = "/") -> PrefixLoader:
    return PrefixLoader(
        {
            "app": DictLoader({"index.html": "app index", "pages/a.html": "app a"}),
            "admin": DictLoader({"index.html": "admin index"}),
        },
        delimiter=delimiter,
    )


def test_the_prefix_selects_the_loader_and_is_stripped() -> None:
    loader = make_loader()
    assert loader.get_source("app/index.html") == ("app index", None)
    assert loader.get_source("admin/index.html") == ("admin index", None)


def test_only_the_first_delimiter_splits() -> None:
    assert make_loader().get_source("app/pages/a.html")[0] == "app a"


def test_a_custom_delimiter() -> None:
    loader = make_loader(delimiter=":")
    assert loader.get_source("app:pages/a.html")[0] == "app a"
    assert loader.list_templates() == ["admin:index.html", "app:index.html", "app:pages/a.html"]


def test_an_unknown_prefix_lists_the_known_ones() -> None:
    with pytest.raises(TemplateNotFoundError) as info:
        make_loader().get_source("blog/index.html")
    assert str(info.value) == (
        "Template 'blog/index.html' not found: no loader for its prefix "
        "(known prefixes: 'admin/', 'app/')"
    )


def test_a_name_without_delimiter_is_not_found() -> None:
    with pytest.raises(TemplateNotFoundError, match="no loader for its prefix"):
        make_loader().get_source("app")


def test_a_miss_in_the_child_names_the_prefix_and_the_childs_reason() -> None:
    with pytest.raises(TemplateNotFoundError) as info:
        make_loader().get_source("app/missing.html")
    assert str(info.value) == (
        "Template 'app/missing.html' not found under prefix 'app': "
        "Template 'missing.html' not found in DictLoader (2 templates)"
    )


def test_list_templates_is_prefix_joined_and_sorted() -> None:
    assert make_loader().list_templates() == [
        "admin/index.html",
        "app/index.html",
        "app/pages/a.html",
    ]


def test_source_version_is_delegated() -> None:
    assert make_loader().source_version("admin/index.html") == "admin index"


def test_source_version_is_none_when_the_child_cannot_detect_changes() -> None:
    loader = PrefixLoader({"fn": FunctionLoader(lambda name: "x")})
    assert loader.source_version("fn/a.html") is None


def test_source_version_raises_when_the_child_lost_the_template() -> None:
    with pytest.raises(TemplateNotFoundError, match="under prefix 'app'"):
        make_loader().source_version("app/gone.html")


def test_an_empty_delimiter_is_rejected() -> None:
    with pytest.raises(ValueError, match="delimiter must not be empty"):
        PrefixLoader({}, delimiter="")


def test_repr_shows_mapping_and_delimiter() -> None:
    loader = PrefixLoader({"a": DictLoader({})}, delimiter=":")
    assert repr(loader) == "PrefixLoader({'a': DictLoader([])}, delimiter=':')"
