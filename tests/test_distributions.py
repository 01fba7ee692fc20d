"""Every distribution is ready to publish: license, metadata, bounded dependencies, READMEs.

These checks read the sources (``pyproject.toml``, ``LICENSE``, ``README.md``).
``nox -s dist`` builds the wheels and checks what they carry.
"""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = sorted(path.parent for path in (ROOT / "packages").glob("*/pyproject.toml"))
SITE = "https://kida-project.github.io/kida/"
PROJECT_URLS = {
    "Homepage": SITE,
    "Documentation": SITE,
    "Source": "https://github.com/kida-project/kida",
    "Changelog": f"{SITE}changelog/",
    "Issues": "https://github.com/kida-project/kida/issues",
}


def _project(package: Path) -> dict[str, Any]:
    project: dict[str, Any] = tomllib.loads((package / "pyproject.toml").read_text())["project"]
    return project


def _version(package: Path) -> str:
    """The version the package's ``__init__`` declares (hatch reads it from there)."""
    config = tomllib.loads((package / "pyproject.toml").read_text())
    source = (package / config["tool"]["hatch"]["version"]["path"]).read_text()
    match = re.search(r'^__version__ = "([^"]+)"$', source, re.MULTILINE)
    assert match is not None
    return match.group(1)


VERSIONS = {_project(package)["name"]: _version(package) for package in PACKAGES}

packages = pytest.mark.parametrize("package", PACKAGES, ids=lambda path: path.name)


@packages
def test_license_file_is_the_root_mit_license(package: Path) -> None:
    assert (package / "LICENSE").read_text() == (ROOT / "LICENSE").read_text()
    assert (ROOT / "LICENSE").read_text().startswith("MIT License\n")


@packages
def test_license_metadata_is_an_spdx_expression(package: Path) -> None:
    project = _project(package)
    assert (project["license"], project["license-files"]) == ("MIT", ["LICENSE"])
    # PEP 639 lets package indexes refuse a license classifier next to License-Expression.
    assert not [c for c in project["classifiers"] if c.startswith("License ::")]


@packages
def test_authors_and_project_urls(package: Path) -> None:
    project = _project(package)
    assert project["authors"] == [{"name": "The Kida authors"}]
    assert project["urls"] == PROJECT_URLS


@packages
def test_classifiers_name_the_supported_pythons_and_typing(package: Path) -> None:
    classifiers = _project(package)["classifiers"]
    expected = [f"Programming Language :: Python :: 3.{minor}" for minor in (11, 12, 13)]
    assert [c for c in classifiers if re.fullmatch(r".*:: 3\.\d+", c)] == expected
    assert "Typing :: Typed" in classifiers
    assert _project(package)["requires-python"] == ">=3.11"
    assert (package / "src" / package.name.replace("-", "_") / "py.typed").is_file()


@packages
def test_internal_dependencies_stay_in_the_current_minor_series(package: Path) -> None:
    for requirement in _project(package)["dependencies"]:
        match = re.fullmatch(r"(kida[\w-]*)>=(\d+)\.(\d+),<(\d+)\.(\d+)", requirement)
        assert match is not None, f"{requirement!r} lacks version bounds"
        name, low_major, low_minor, high_major, high_minor = match.groups()
        major, minor, _ = VERSIONS[name].split(".")
        assert (low_major, low_minor) == (major, minor)
        assert (high_major, high_minor) == (major, str(int(minor) + 1))


@packages
def test_readme_has_only_absolute_links(package: Path) -> None:
    """A package index shows the README without the repository, so relative links break."""
    readme = (package / "README.md").read_text()
    assert _project(package)["readme"] == "README.md"
    targets = re.findall(r"\]\(([^)\s]+)\)", readme)
    assert [t for t in targets if not t.startswith("https://")] == []
    assert SITE in readme


def test_every_version_is_the_same() -> None:
    assert len(set(VERSIONS.values())) == 1


def test_the_lock_file_is_committed() -> None:
    tracked = subprocess.run(
        ["git", "ls-files", "--error-unmatch", "uv.lock"],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    assert tracked.returncode == 0
    assert "uv.lock" not in (ROOT / ".gitignore").read_text()


def test_uv_run_installs_no_development_tools() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert config["tool"]["uv"]["default-groups"] == []
    assert set(config["project"]["dependencies"]) == set(VERSIONS)
    assert "pytest>=8" in config["dependency-groups"]["dev"]


@pytest.mark.parametrize("path", ["README.md", ".ci/run"])
def test_the_test_command_names_the_dev_group(path: str) -> None:
    assert "run --group dev pytest" in (ROOT / path).read_text()


def test_the_changelog_is_part_of_the_site() -> None:
    assert (ROOT / "CHANGELOG.md").read_text().startswith("# Changelog\n")
    assert '--8<-- "CHANGELOG.md"' in (ROOT / "docs" / "changelog.md").read_text()
    assert re.search(r"^\s+- Changelog: changelog\.md$", (ROOT / "mkdocs.yml").read_text(), re.M)
