"""The kida meta-distribution: version, dependencies and the console script."""

import re
from importlib import metadata

import kida

KIDA_PACKAGES = {"kida-core", "kida-loaders", "kida-cache", "kida-analysis", "kida-sandbox"}


def _requirements() -> dict[str, str]:
    """The meta-package's requirements: distribution name -> version specifier."""
    pairs = (re.fullmatch(r"([A-Za-z0-9._-]+)(.*)", req) for req in metadata.requires("kida") or [])
    return {match.group(1): match.group(2).strip() for match in pairs if match}


def test_version_matches_distribution_metadata() -> None:
    assert kida.__version__ == metadata.version("kida")


def test_depends_on_every_kida_package() -> None:
    assert set(_requirements()) >= KIDA_PACKAGES


def test_dependencies_stay_within_the_current_minor_series() -> None:
    specifiers = {name: spec for name, spec in _requirements().items() if name in KIDA_PACKAGES}
    major, minor, _ = kida.__version__.split(".")
    bounds = {f">={major}.{minor}", f"<{major}.{int(minor) + 1}"}
    assert {name: set(spec.split(",")) for name, spec in specifiers.items()} == dict.fromkeys(
        KIDA_PACKAGES, bounds
    )


def test_declares_console_script() -> None:
    scripts = metadata.entry_points(group="console_scripts", name="kida")
    assert [ep.value for ep in scripts] == ["kida.cli:main"]
