"""The metadata records: immutability, defaults and query methods."""

from __future__ import annotations

import dataclasses

import pytest

from kida_core.metadata import (
    AnalysisConfig,
    BlockMetadata,
    BlockModifierMetadata,
    CallValidation,
    DefMetadata,
    DefParamInfo,
    TemplateMetadata,
    TemplateStructureManifest,
)

RECORDS = (
    AnalysisConfig,
    BlockMetadata,
    BlockModifierMetadata,
    CallValidation,
    DefMetadata,
    DefParamInfo,
    TemplateMetadata,
    TemplateStructureManifest,
)


@pytest.mark.parametrize("cls", RECORDS)
def test_records_are_frozen_and_slotted(cls: type) -> None:
    assert dataclasses.is_dataclass(cls)
    assert cls.__dataclass_params__.frozen  # type: ignore[attr-defined]
    assert "__slots__" in cls.__dict__


def test_block_defaults() -> None:
    block = BlockMetadata("nav")
    assert block == BlockMetadata(
        name="nav",
        modifiers=(),
        emits_html=True,
        emits_landmarks=frozenset(),
        inferred_role="unknown",
        depends_on=frozenset(),
        is_pure="unknown",
        cache_scope="unknown",
        block_hash="",
        is_region=False,
        region_params=(),
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        block.name = "other"  # type: ignore[misc]


def test_get_modifier() -> None:
    mode = BlockModifierMetadata("mode", "live", lineno=3, col_offset=18)
    rows = BlockModifierMetadata("rows", 20, lineno=3, col_offset=30)
    block = BlockMetadata("chart", modifiers=(mode, rows))
    assert block.get_modifier("rows") is rows
    assert block.get_modifier("missing") is None


@pytest.mark.parametrize(
    ("purity", "scope", "cacheable"),
    [
        ("pure", "site", True),
        ("pure", "page", True),
        ("pure", "unknown", True),
        ("pure", "none", False),
        ("impure", "site", False),
        ("unknown", "site", False),
    ],
)
def test_is_cacheable(purity: str, scope: str, cacheable: bool) -> None:
    block = BlockMetadata("b", is_pure=purity, cache_scope=scope)  # type: ignore[arg-type]
    assert block.is_cacheable() is cacheable


def test_page_and_site_dependencies() -> None:
    page = BlockMetadata("a", depends_on=frozenset({"page.title", "user"}))
    site = BlockMetadata("b", depends_on=frozenset({"site.menu.items", "config"}))
    neither = BlockMetadata("c", depends_on=frozenset({"pages", "sitemap.url"}))
    assert page.depends_on_page() and not page.depends_on_site()
    assert site.depends_on_site() and not site.depends_on_page()
    assert not neither.depends_on_page() and not neither.depends_on_site()


def _template() -> TemplateMetadata:
    blocks = {
        "nav": BlockMetadata(
            "nav", depends_on=frozenset({"site.menu"}), is_pure="pure", cache_scope="site"
        ),
        "content": BlockMetadata(
            "content", depends_on=frozenset({"page.body"}), is_pure="pure", cache_scope="page"
        ),
        "clock": BlockMetadata("clock", is_pure="impure", cache_scope="none"),
        "crumbs": BlockMetadata("crumbs", is_region=True, region_params=("path",)),
    }
    return TemplateMetadata("page.html", "base.html", blocks, frozenset({"title"}))


def test_template_queries() -> None:
    meta = _template()
    assert meta.all_dependencies() == {"title", "site.menu", "page.body"}
    assert meta.get_block("nav") is meta.blocks["nav"]
    assert meta.get_block("missing") is None
    assert list(meta.regions()) == ["crumbs"]
    assert [b.name for b in meta.cacheable_blocks()] == ["nav", "content"]
    assert [b.name for b in meta.site_cacheable_blocks()] == ["nav"]


def test_template_without_blocks() -> None:
    meta = TemplateMetadata(None, None, {})
    assert meta.all_dependencies() == frozenset()
    assert meta.regions() == {}


def test_def_defaults() -> None:
    assert DefParamInfo("label") == DefParamInfo("label", None, False, True)
    meta = DefMetadata("badge", params=(DefParamInfo("label"),))
    assert (meta.template_name, meta.lineno, meta.slots, meta.has_default_slot) == (
        None,
        0,
        (),
        False,
    )
    assert (meta.depends_on, meta.vararg, meta.kwarg) == (frozenset(), None, None)


def test_structure_manifest_fields() -> None:
    manifest = TemplateStructureManifest("p.html", None, ("a", "b"), {"a": "h1"}, frozenset())
    assert [f.name for f in dataclasses.fields(manifest)] == [
        "name",
        "extends",
        "block_names",
        "block_hashes",
        "dependencies",
    ]


def test_analysis_config_defaults() -> None:
    config = AnalysisConfig()
    assert "page" in config.page_prefixes
    assert "site" in config.site_prefixes
    assert config.extra_pure_functions == frozenset()
    assert config.extra_impure_filters == frozenset()


def test_call_validation() -> None:
    assert CallValidation("card", 4, 2).is_valid
    assert not CallValidation("card", 4, 2, unknown_params=("colour",)).is_valid
    assert not CallValidation("card", 4, 2, missing_required=("title",)).is_valid
    assert not CallValidation("card", 4, 2, duplicate_params=("x",)).is_valid
