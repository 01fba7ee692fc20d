"""Entry-point discovery, explicit registration and the missing-provider error."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from kida_core import plugins


class MemoryLoader:
    def get_source(self, name: str) -> tuple[str, str | None]:
        return f"source of {name}", None

    def list_templates(self) -> list[str]:
        return []


@pytest.fixture
def fresh_plugins(monkeypatch: pytest.MonkeyPatch) -> None:
    """Forget discovered entry points and registrations for the test's duration."""
    monkeypatch.setattr(plugins, "_entry_points", {})
    monkeypatch.setattr(plugins, "_conflicts", {})
    monkeypatch.setattr(plugins, "_loaded", {group: {} for group in plugins.GROUPS})
    monkeypatch.setattr(plugins, "_registered", {group: {} for group in plugins.GROUPS})


@pytest.fixture
def installed_provider(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_plugins: None
) -> Iterator[str]:
    """Install a throwaway distribution declaring a ``kida.loaders`` entry point."""
    module = "kida_test_provider"
    (tmp_path / f"{module}.py").write_text(
        textwrap.dedent(
            """
            class MemoryLoader:
                def get_source(self, name):
                    return "", None

                def list_templates(self):
                    return []
            """
        )
    )
    dist_info = tmp_path / "kida_test_provider-1.0.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: kida-test-provider\nVersion: 1.0\n"
    )
    (dist_info / "entry_points.txt").write_text(f"[kida.loaders]\nmemory = {module}:MemoryLoader\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield module
    sys.modules.pop(module, None)


def test_entry_point_is_discovered_and_loaded_once(installed_provider: str) -> None:
    loaded = plugins.get_plugin("kida.loaders", "memory")
    assert loaded.__module__ == installed_provider  # type: ignore[attr-defined]
    assert plugins.get_plugin("kida.loaders", "memory") is loaded
    assert plugins.available("kida.loaders")["memory"] is loaded


def test_concurrent_lookups_share_one_object(installed_provider: str) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        found = list(pool.map(lambda _: plugins.get_plugin("kida.loaders", "memory"), range(32)))
    assert all(obj is found[0] for obj in found)


def test_register_overrides_entry_point(installed_provider: str) -> None:
    plugins.register("kida.loaders", "memory", MemoryLoader)
    assert plugins.get_plugin("kida.loaders", "memory") is MemoryLoader
    assert plugins.available("kida.loaders")["memory"] is MemoryLoader
    plugins.unregister("kida.loaders", "memory")
    assert plugins.get_plugin("kida.loaders", "memory") is not MemoryLoader


def test_register_without_entry_points(fresh_plugins: None) -> None:
    plugins.register("kida.analysis", "default", MemoryLoader)
    assert plugins.get_plugin("kida.analysis", "default") is MemoryLoader
    assert "default" in plugins.available("kida.analysis")


def test_missing_plugin_error_names_group_known_names_and_package(fresh_plugins: None) -> None:
    plugins.register("kida.bytecode_caches", "memory", object())
    with pytest.raises(LookupError) as info:
        plugins.get_plugin("kida.bytecode_caches", "nonexistent")
    message = str(info.value)
    assert "'kida.bytecode_caches'" in message
    assert "'nonexistent'" in message
    assert "memory" in message
    assert "the kida-cache distribution (https://kida-project.github.io/kida/installation/)" in (
        message
    )


def test_missing_plugin_error_names_the_package_to_install(fresh_plugins: None) -> None:
    with pytest.raises(LookupError, match=r"known: default\).*the kida-analysis distribution"):
        plugins.get_plugin("kida.analysis", "nope")


def test_unknown_group_is_rejected(fresh_plugins: None) -> None:
    with pytest.raises(ValueError, match=r"kida\.analysis, kida\.bytecode_caches, kida\.loaders"):
        plugins.register("kida.loader", "x", object())
    with pytest.raises(ValueError):
        plugins.available("kida.filters")


def _install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dist: str, group: str, line: str, code: str
) -> None:
    """A throwaway distribution ``dist`` whose module ``<dist>_mod`` declares one entry point."""
    module = f"{dist.replace('-', '_')}_mod"
    (tmp_path / f"{module}.py").write_text(textwrap.dedent(code))
    dist_info = tmp_path / f"{dist.replace('-', '_')}-1.0.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n")
    (dist_info / "entry_points.txt").write_text(f"[{group}]\n{line.format(module=module)}\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, module, raising=False)


LOADER_CODE = """
class MemoryLoader:
    def get_source(self, name):
        return "", None

    def list_templates(self):
        return []
"""


def test_typed_accessor_creates_a_checked_loader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_plugins: None
) -> None:
    _install(
        tmp_path,
        monkeypatch,
        "mem-loader",
        "kida.loaders",
        "memory = {module}:MemoryLoader",
        LOADER_CODE,
    )
    loader = plugins.LOADERS.create("memory")
    assert isinstance(loader, plugins.LOADERS.protocol)
    assert type(loader).__name__ == "MemoryLoader"


def test_typed_accessor_rejects_a_class_missing_protocol_methods(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_plugins: None
) -> None:
    _install(
        tmp_path,
        monkeypatch,
        "half-loader",
        "kida.loaders",
        "half = {module}:Half",
        "class Half:\n    def get_source(self, name):\n        return '', None\n",
    )
    with pytest.raises(plugins.PluginProtocolError, match=r"'half'.*not a Loader.*list_templates"):
        plugins.LOADERS.factory("half")


def test_typed_accessor_checks_what_a_factory_function_returns(fresh_plugins: None) -> None:
    plugins.register("kida.bytecode_caches", "broken", lambda: object())
    with pytest.raises(plugins.PluginProtocolError, match=r"not a BytecodeCacheProtocol.*\bget\b"):
        plugins.BYTECODE_CACHES.create("broken")


def test_registered_instance_is_returned_as_is(fresh_plugins: None) -> None:
    loader = MemoryLoader()
    plugins.register("kida.loaders", "mine", loader)
    assert plugins.LOADERS.create("mine") is loader


def _install_two_declaring_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two distributions, each declaring a ``kida.loaders`` entry point named ``same``."""
    for dist in ("first-loader", "second-loader"):
        (tmp_path / dist).mkdir()
        _install(
            tmp_path / dist,
            monkeypatch,
            dist,
            "kida.loaders",
            "same = {module}:MemoryLoader",
            LOADER_CODE,
        )


def test_two_distributions_declaring_one_name_are_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_plugins: None
) -> None:
    _install_two_declaring_same(tmp_path, monkeypatch)
    with pytest.raises(plugins.PluginConflictError) as info:
        plugins.get_plugin("kida.loaders", "same")
    message = str(info.value)
    assert "first-loader" in message and "second-loader" in message
    assert "register('kida.loaders', 'same', obj)" in message


def test_a_name_clash_is_resolved_by_an_explicit_registration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_plugins: None
) -> None:
    _install_two_declaring_same(tmp_path, monkeypatch)
    plugins.register("kida.loaders", "same", MemoryLoader)
    assert plugins.get_plugin("kida.loaders", "same") is MemoryLoader


def test_import_error_in_a_plugin_names_entry_point_and_distribution(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_plugins: None
) -> None:
    _install(
        tmp_path,
        monkeypatch,
        "broken-loader",
        "kida.loaders",
        "broken = {module}:Loader",
        "import a_module_that_is_not_installed\n",
    )
    with pytest.raises(plugins.PluginLoadError) as info:
        plugins.get_plugin("kida.loaders", "broken")
    message = str(info.value)
    assert "'broken'" in message
    assert "broken_loader_mod:Loader" in message
    assert "broken-loader" in message
    assert "a_module_that_is_not_installed" in message
    assert isinstance(info.value.__cause__, ModuleNotFoundError)
