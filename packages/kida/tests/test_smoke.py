"""The kida meta-distribution: version, dependencies and the console script."""

from importlib import metadata

import kida


def test_version_matches_distribution_metadata() -> None:
    assert kida.__version__ == metadata.version("kida")


def test_depends_on_every_kida_package() -> None:
    requires = {req.split(">")[0].split("=")[0].strip() for req in metadata.requires("kida") or []}
    assert requires >= {"kida-core", "kida-loaders", "kida-cache", "kida-analysis", "kida-sandbox"}


def test_declares_console_script() -> None:
    scripts = metadata.entry_points(group="console_scripts", name="kida")
    assert [ep.value for ep in scripts] == ["kida.cli:main"]
