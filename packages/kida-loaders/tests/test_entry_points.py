"""Every loader is found by name through the ``kida.loaders`` entry-point group."""

from __future__ import annotations

import zipfile
from importlib import metadata
from pathlib import Path

import pytest

import kida_loaders
from kida_core.plugins import get_plugin
from kida_core.protocols import ChangeDetectingLoader, Loader, SearchPathLoader
from kida_loaders import (
    ChoiceLoader,
    DictLoader,
    FileSystemLoader,
    FunctionLoader,
    PackageLoader,
    PrefixLoader,
)

BUILT_IN = {
    "filesystem": FileSystemLoader,
    "dict": DictLoader,
    "choice": ChoiceLoader,
    "prefix": PrefixLoader,
    "package": PackageLoader,
    "function": FunctionLoader,
}


def test_version_matches_distribution_metadata() -> None:
    assert kida_loaders.__version__ == metadata.version("kida-loaders")


@pytest.mark.parametrize(("name", "cls"), BUILT_IN.items())
def test_built_in_loader_resolves_by_name(name: str, cls: type) -> None:
    assert get_plugin("kida.loaders", name) is cls


def test_every_built_in_loader_satisfies_the_loader_protocol(tmp_path: Path) -> None:
    loaders = [
        FileSystemLoader(tmp_path),
        DictLoader({}),
        ChoiceLoader([]),
        PrefixLoader({}),
        PackageLoader("kida_loaders", "."),
        FunctionLoader(lambda name: None),
    ]
    assert all(isinstance(loader, Loader) for loader in loaders)


def test_change_detection_is_offered_by_all_but_function_loader(tmp_path: Path) -> None:
    detecting = [
        FileSystemLoader(tmp_path),
        DictLoader({}),
        ChoiceLoader([]),
        PrefixLoader({}),
        PackageLoader("kida_loaders", "."),
    ]
    assert all(isinstance(loader, ChangeDetectingLoader) for loader in detecting)
    assert not isinstance(FunctionLoader(lambda name: None), ChangeDetectingLoader)


def test_file_system_loader_exposes_search_paths(tmp_path: Path) -> None:
    assert isinstance(FileSystemLoader(tmp_path), SearchPathLoader)


def test_third_party_loader_is_discovered_without_core_changes(tmp_path: Path) -> None:
    archive = tmp_path / "themes.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("page.html", "zipped page")
    loader_class = get_plugin("kida.loaders", "example")
    assert loader_class.__module__ == "kida_example_loader"
    assert callable(loader_class)
    loader = loader_class(archive)
    assert isinstance(loader, ChangeDetectingLoader)
    assert loader.get_source("page.html") == ("zipped page", f"{archive}/page.html")
    assert loader.list_templates() == ["page.html"]
