"""PackageLoader: templates inside an importable package, on disk or in a zip file."""

from __future__ import annotations

import sys
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from kida_core.errors import TemplateNotFoundError, TemplateSyntaxError
from kida_loaders import PackageLoader

FILES = {
    "__init__.py": "",
    "templates/page.html": "Page",
    "templates/sub/nested.html": "Nested",
    "templates/.hidden.html": "hidden",
    "other/alt.html": "Alt",
}


@pytest.fixture
def package_name(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh package name, dropped from ``sys.modules`` after the test."""
    name = f"kida_test_pkg_{uuid.uuid4().hex}"
    yield name
    for module in [m for m in sys.modules if m == name or m.startswith(f"{name}.")]:
        monkeypatch.delitem(sys.modules, module)


@pytest.fixture
def on_disk(tmp_path: Path, package_name: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Write the package under ``tmp_path`` and put it on ``sys.path``; return its directory."""
    for relative, text in FILES.items():
        path = tmp_path / package_name / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path / package_name


@pytest.fixture
def zipped(tmp_path: Path, package_name: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Zip the package and put only the archive on ``sys.path``; return the archive."""
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        for relative, text in FILES.items():
            bundle.writestr(f"{package_name}/{relative}", text)
    monkeypatch.syspath_prepend(str(archive))
    return archive


def test_loads_from_a_package_directory(on_disk: Path, package_name: str) -> None:
    loader = PackageLoader(package_name)
    expected_filename = str(on_disk / "templates" / "page.html")
    assert loader.get_source("page.html") == ("Page", expected_filename)
    assert loader.get_source("sub/nested.html")[0] == "Nested"


def test_package_path_selects_another_directory(on_disk: Path, package_name: str) -> None:
    assert PackageLoader(package_name, "other").get_source("alt.html")[0] == "Alt"


def test_list_templates_is_recursive_sorted_and_skips_hidden(
    on_disk: Path, package_name: str
) -> None:
    assert PackageLoader(package_name).list_templates() == ["page.html", "sub/nested.html"]


def test_missing_template_names_the_package(on_disk: Path, package_name: str) -> None:
    with pytest.raises(
        TemplateNotFoundError, match=f"'x.html' not found in package '{package_name}'"
    ):
        PackageLoader(package_name).get_source("x.html")


def test_unsafe_names_are_refused(on_disk: Path, package_name: str) -> None:
    with pytest.raises(TemplateNotFoundError, match=r"'\.\.' segment"):
        PackageLoader(package_name).get_source("../__init__.py")


def test_a_symlink_leading_out_of_the_template_directory_is_refused(
    on_disk: Path, package_name: str
) -> None:
    (on_disk / "templates" / "escape.html").symlink_to(on_disk / "other" / "alt.html")
    loader = PackageLoader(package_name)
    with pytest.raises(TemplateNotFoundError, match="resolves outside"):
        loader.get_source("escape.html")
    assert "escape.html" not in loader.list_templates()


def test_encoding_is_honoured_and_bad_bytes_name_the_file(on_disk: Path, package_name: str) -> None:
    (on_disk / "templates" / "latin.html").write_bytes("é".encode("latin-1"))
    assert PackageLoader(package_name, encoding="latin-1").get_source("latin.html")[0] == "é"
    with pytest.raises(TemplateSyntaxError, match=r"latin\.html as utf-8"):
        PackageLoader(package_name).get_source("latin.html")


def test_source_version_on_disk_is_a_stat_token(on_disk: Path, package_name: str) -> None:
    loader = PackageLoader(package_name)
    path = on_disk / "templates" / "page.html"
    before = loader.source_version("page.html")
    assert before == (str(path.resolve()), path.stat().st_mtime_ns, 4)
    path.unlink()
    with pytest.raises(TemplateNotFoundError):
        loader.source_version("page.html")


def test_an_unknown_package_raises_module_not_found_on_first_use() -> None:
    loader = PackageLoader(f"kida_no_such_package_{uuid.uuid4().hex}")
    with pytest.raises(ModuleNotFoundError):
        loader.get_source("page.html")


def test_a_package_without_the_directory_is_a_value_error_on_first_use(
    on_disk: Path, package_name: str
) -> None:
    loader = PackageLoader(package_name, "missing")
    with pytest.raises(ValueError, match="has no directory 'missing'"):
        loader.list_templates()


def test_building_the_loader_does_not_import_the_package(on_disk: Path, package_name: str) -> None:
    loader = PackageLoader(package_name)
    assert package_name not in sys.modules
    assert loader.get_source("page.html")[0] == "Page"
    assert package_name in sys.modules


def test_loads_from_a_zipped_package(zipped: Path, package_name: str) -> None:
    source, filename = PackageLoader(package_name).get_source("sub/nested.html")
    assert source == "Nested"
    assert filename == str(zipped / package_name / "templates" / "sub" / "nested.html")


def test_lists_templates_of_a_zipped_package(zipped: Path, package_name: str) -> None:
    assert PackageLoader(package_name).list_templates() == ["page.html", "sub/nested.html"]


def test_zipped_templates_have_no_change_detection(zipped: Path, package_name: str) -> None:
    loader = PackageLoader(package_name)
    assert loader.source_version("page.html") is None
    with pytest.raises(TemplateNotFoundError):
        loader.source_version("gone.html")


def test_repr_shows_the_arguments(on_disk: Path, package_name: str) -> None:
    assert repr(PackageLoader(package_name, "other")) == (
        f"PackageLoader({package_name!r}, 'other', encoding='utf-8')"
    )
