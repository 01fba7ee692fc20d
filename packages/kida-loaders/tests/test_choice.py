"""ChoiceLoader: the first child loader that has the template wins."""

from __future__ import annotations

from pathlib import Path

import pytest

from kida_core.errors import TemplateNotFoundError
from kida_loaders import ChoiceLoader, DictLoader, FileSystemLoader, FunctionLoader


def test_the_first_loader_with_the_template_wins() -> None:
    loader = ChoiceLoader([DictLoader({"a.html": "first"}), DictLoader({"a.html": "second"})])
    assert loader.get_source("a.html") == ("first", None)


def test_later_loaders_fill_in_what_earlier_ones_lack() -> None:
    loader = ChoiceLoader([DictLoader({}), DictLoader({"b.html": "B"})])
    assert loader.get_source("b.html") == ("B", None)


def test_not_found_aggregates_every_childs_message(tmp_path: Path) -> None:
    loader = ChoiceLoader([FileSystemLoader(tmp_path), DictLoader({})])
    with pytest.raises(TemplateNotFoundError) as info:
        loader.get_source("x.html")
    assert str(info.value) == (
        "Template 'x.html' not found by any of 2 loaders:\n"
        f"  - Template 'x.html' not found in: {tmp_path}\n"
        "  - Template 'x.html' not found in DictLoader (0 templates)"
    )


def test_an_empty_choice_finds_nothing() -> None:
    with pytest.raises(TemplateNotFoundError, match="the ChoiceLoader is empty"):
        ChoiceLoader([]).get_source("x.html")


def test_list_templates_is_merged_deduplicated_and_sorted() -> None:
    loader = ChoiceLoader([DictLoader({"b": "", "a": ""}), DictLoader({"c": "", "a": ""})])
    assert loader.list_templates() == ["a", "b", "c"]


def test_loaders_are_exposed_as_a_tuple() -> None:
    first, second = DictLoader({}), DictLoader({})
    assert ChoiceLoader([first, second]).loaders == (first, second)


def test_source_version_pairs_the_winning_index_with_its_token() -> None:
    loader = ChoiceLoader([DictLoader({}), DictLoader({"a.html": "A"})])
    assert loader.source_version("a.html") == (1, "A")


def test_source_version_changes_when_an_earlier_loader_gains_the_template() -> None:
    custom: dict[str, str] = {}
    loader = ChoiceLoader([DictLoader(custom), DictLoader({"a.html": "A"})])
    before = loader.source_version("a.html")
    custom["a.html"] = "A"
    assert loader.source_version("a.html") != before


def test_source_version_is_none_when_the_winner_cannot_detect_changes() -> None:
    loader = ChoiceLoader([FunctionLoader(lambda name: "F"), DictLoader({"a.html": "A"})])
    assert loader.source_version("a.html") is None


def test_source_version_probes_loaders_without_change_detection() -> None:
    loader = ChoiceLoader([FunctionLoader(lambda name: None), DictLoader({"a.html": "A"})])
    assert loader.source_version("a.html") == (1, "A")


def test_source_version_raises_when_no_loader_has_the_template() -> None:
    with pytest.raises(TemplateNotFoundError, match="not found by any of 1 loaders"):
        ChoiceLoader([DictLoader({})]).source_version("a.html")


def test_repr_lists_the_children() -> None:
    assert repr(ChoiceLoader([DictLoader({"a": ""})])) == "ChoiceLoader([DictLoader(['a'])])"
