"""The kida-sandbox distribution is installed from this source tree and importable."""

from importlib import metadata

import kida_sandbox


def test_version_matches_distribution_metadata() -> None:
    assert kida_sandbox.__version__ == metadata.version("kida-sandbox")


def test_depends_on_core() -> None:
    requires = metadata.requires("kida-sandbox") or []
    assert any(req.startswith("kida-core") for req in requires)
