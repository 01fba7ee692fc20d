"""The kida-cache distribution is installed from this source tree and importable."""

from importlib import metadata

import kida_cache


def test_version_matches_distribution_metadata() -> None:
    assert kida_cache.__version__ == metadata.version("kida-cache")


def test_depends_on_core() -> None:
    requires = metadata.requires("kida-cache") or []
    assert any(req.startswith("kida-core") for req in requires)
