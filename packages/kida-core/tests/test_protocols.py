"""Plain classes satisfy the core protocols structurally, without inheriting from them."""

from __future__ import annotations

import dataclasses
import marshal
import time
from pathlib import Path
from types import CodeType
from typing import Any

import pytest

from kida_core import nodes
from kida_core.errors import TemplateNotFoundError
from kida_core.metadata import TemplateMetadata, TemplateStructureManifest
from kida_core.protocols import (
    BytecodeCacheProtocol,
    CacheEntry,
    Loader,
    RuntimeGuard,
    SearchPathLoader,
    TemplateAnalyzer,
)


class MemoryLoader:
    def __init__(self, sources: dict[str, str]) -> None:
        self._sources = sources

    def get_source(self, name: str) -> tuple[str, str | None]:
        try:
            return self._sources[name], None
        except KeyError:
            raise TemplateNotFoundError(f"Template {name!r} not found") from None

    def list_templates(self) -> list[str]:
        return sorted(self._sources)


class DirectoryLoader(MemoryLoader):
    def __init__(self, root: Path) -> None:
        super().__init__({p.name: p.read_text() for p in root.iterdir()})
        self.search_paths = (root,)


class MemoryBytecodeCache:
    def __init__(self) -> None:
        self._entries: dict[tuple[str, str, str | None], tuple[CacheEntry, float]] = {}

    def get(self, name: str, source_hash: str, *, context_hash: str | None = None) -> CacheEntry:
        hit = self._entries.get((name, source_hash, context_hash))
        return hit[0] if hit else (None, None, None)

    def set(
        self,
        name: str,
        source_hash: str,
        code: CodeType,
        *,
        context_hash: str | None = None,
        ast: nodes.TemplateNode | None = None,
        precomputed: list[Any] | None = None,
    ) -> None:
        self._entries[(name, source_hash, context_hash)] = ((code, ast, precomputed), time.time())

    def clear(self, current_version_only: bool = False) -> int:
        count = len(self._entries)
        self._entries.clear()
        return count

    def cleanup(self, max_age_days: int = 30) -> int:
        cutoff = time.time() - max_age_days * 86400
        stale = [key for key, (_, stamp) in self._entries.items() if stamp < cutoff]
        for key in stale:
            del self._entries[key]
        return len(stale)

    def stats(self) -> dict[str, int]:
        sizes = [len(marshal.dumps(entry[0])) for entry, _ in self._entries.values()]
        return {"file_count": len(sizes), "total_bytes": sum(sizes)}


def _names(node: object) -> frozenset[str]:
    """Every variable name referenced under ``node``."""
    if isinstance(node, nodes.Name):
        return frozenset({node.name})
    if isinstance(node, tuple):
        return frozenset().union(*map(_names, node))
    if isinstance(node, nodes.Node):
        return _names(tuple(getattr(node, f.name) for f in dataclasses.fields(node)))
    return frozenset()


class NameAnalyzer:
    def analyze(
        self,
        template_ast: nodes.TemplateNode,
        name: str | None,
        *,
        resolve: Any = None,
        context: Any = None,
    ) -> TemplateMetadata:
        return TemplateMetadata(name, None, {}, top_level_depends_on=_names(template_ast))

    def def_metadata(self, template_ast: nodes.TemplateNode, name: str | None) -> dict[str, Any]:
        return {}

    def structure(
        self, template_ast: nodes.TemplateNode, name: str | None, *, resolve: Any = None
    ) -> TemplateStructureManifest:
        return TemplateStructureManifest(name, None, (), {}, _names(template_ast))


class RangeGuard:
    def __init__(self, max_range: int) -> None:
        self.max_range = max_range
        self.max_output_size: int | None = 1000
        self.redact_errors = False

    def patch_namespace(self, namespace: dict[str, Any]) -> None:
        def capped_range(*args: int) -> range:
            result = range(*args)
            if len(result) > self.max_range:
                raise OverflowError(f"range of {len(result)} items exceeds {self.max_range}")
            return result

        namespace["range"] = capped_range


def test_memory_loader_is_a_loader_but_not_a_search_path_loader() -> None:
    loader = MemoryLoader({"b.html": "B", "a.html": "A"})
    assert isinstance(loader, Loader)
    assert not isinstance(loader, SearchPathLoader)
    assert loader.get_source("a.html") == ("A", None)
    assert loader.list_templates() == ["a.html", "b.html"]
    with pytest.raises(TemplateNotFoundError):
        loader.get_source("c.html")


def test_directory_loader_is_a_search_path_loader(tmp_path: Path) -> None:
    (tmp_path / "x.html").write_text("X")
    loader = DirectoryLoader(tmp_path)
    assert isinstance(loader, SearchPathLoader)
    assert isinstance(loader, Loader)
    assert loader.search_paths == (tmp_path,)


def test_memory_bytecode_cache_round_trip() -> None:
    cache = MemoryBytecodeCache()
    assert isinstance(cache, BytecodeCacheProtocol)
    code = compile("x = 1", "<t>", "exec")
    assert cache.get("t", "h") == (None, None, None)
    cache.set("t", "h", code, precomputed=[1])
    cache.set("t", "h", code, context_hash="c")
    assert cache.get("t", "h") == (code, None, [1])
    assert cache.get("t", "h", context_hash="c") == (code, None, None)
    assert cache.stats()["file_count"] == 2
    assert cache.cleanup(max_age_days=0) == 2
    assert cache.clear() == 0


def test_analyzer_reports_referenced_names() -> None:
    analyzer = NameAnalyzer()
    assert isinstance(analyzer, TemplateAnalyzer)
    body = (
        nodes.Output(
            lineno=1,
            expr=nodes.Getattr(lineno=1, obj=nodes.Name(lineno=1, name="page"), attr="title"),
        ),
        nodes.If(lineno=2, test=nodes.Name(lineno=2, name="user"), body=()),
    )
    meta = analyzer.analyze(nodes.TemplateNode(lineno=1, body=body), "p.html")
    assert meta.top_level_depends_on == {"page", "user"}
    assert analyzer.structure(nodes.TemplateNode(lineno=1, body=body), "p.html").dependencies == {
        "page",
        "user",
    }


def test_range_guard_patches_namespace() -> None:
    guard = RangeGuard(max_range=10)
    assert isinstance(guard, RuntimeGuard)
    namespace: dict[str, Any] = {"range": range}
    guard.patch_namespace(namespace)
    assert list(namespace["range"](3)) == [0, 1, 2]
    with pytest.raises(OverflowError):
        namespace["range"](11)


@pytest.mark.parametrize(
    "protocol", [Loader, SearchPathLoader, BytecodeCacheProtocol, TemplateAnalyzer, RuntimeGuard]
)
def test_unrelated_object_satisfies_no_protocol(protocol: type) -> None:
    assert not isinstance(object(), protocol)
