"""The kida-loaders distribution is installed from this source tree and importable."""

from importlib import metadata

import kida_loaders


def test_version_matches_distribution_metadata() -> None:
    assert kida_loaders.__version__ == metadata.version("kida-loaders")


def test_depends_on_core() -> None:
    requires = metadata.requires("kida-loaders") or []
    assert any(req.startswith("kida-core") for req in requires)
