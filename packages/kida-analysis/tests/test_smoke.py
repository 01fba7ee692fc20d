"""The kida-analysis distribution is installed from this source tree and importable."""

from importlib import metadata

import kida_analysis


def test_version_matches_distribution_metadata() -> None:
    assert kida_analysis.__version__ == metadata.version("kida-analysis")


def test_depends_on_core() -> None:
    requires = metadata.requires("kida-analysis") or []
    assert any(req.startswith("kida-core") for req in requires)
