"""DictLoader: templates from an in-memory mapping, used live."""

from __future__ import annotations

import pytest

from kida_core.errors import TemplateNotFoundError
from kida_loaders import DictLoader


def test_returns_the_source_and_no_filename() -> None:
    loader = DictLoader({"base.html": "<html></html>"})
    assert loader.get_source("base.html") == ("<html></html>", None)


def test_missing_name_is_not_found() -> None:
    with pytest.raises(TemplateNotFoundError, match=r"'x.html' not found in DictLoader \(1 "):
        DictLoader({"a.html": ""}).get_source("x.html")


def test_names_are_plain_keys() -> None:
    loader = DictLoader({"../odd name": "ok"})
    assert loader.get_source("../odd name")[0] == "ok"


def test_list_templates_is_sorted() -> None:
    assert DictLoader({"b.html": "", "a.html": ""}).list_templates() == ["a.html", "b.html"]


def test_later_changes_to_the_mapping_are_seen() -> None:
    templates = {"a.html": "old"}
    loader = DictLoader(templates)
    templates["a.html"] = "new"
    templates["b.html"] = "added"
    assert loader.get_source("a.html")[0] == "new"
    assert loader.list_templates() == ["a.html", "b.html"]


def test_source_version_is_the_current_source() -> None:
    templates = {"a.html": "old"}
    loader = DictLoader(templates)
    before = loader.source_version("a.html")
    templates["a.html"] = "new"
    assert before == "old"
    assert loader.source_version("a.html") != before


def test_source_version_raises_after_removal() -> None:
    templates = {"a.html": "x"}
    loader = DictLoader(templates)
    del templates["a.html"]
    with pytest.raises(TemplateNotFoundError):
        loader.source_version("a.html")


def test_repr_shows_the_first_names() -> None:
    loader = DictLoader({f"{i}.html": "" for i in range(7)})
    expected = "DictLoader(['0.html', '1.html', '2.html', '3.html', '4.html', ... 2 more])"
    assert repr(loader) == expected
