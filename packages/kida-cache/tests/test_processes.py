"""Eight real processes hammering one cache directory never see or leave a corrupt file."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from kida_cache import BytecodeCache
from kida_cache.record import decode

WORKERS = 8
ROUNDS = 100


def test_processes_share_one_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(Path(__file__).parent))  # spawned children inherit sys.path
    import kida_cache_worker

    directory = tmp_path / "cache"
    with multiprocessing.get_context("spawn").Pool(WORKERS) as pool:
        results = pool.starmap(
            kida_cache_worker.hammer, [(str(directory), w, ROUNDS) for w in range(WORKERS)]
        )

    assert all(r["unexpected_misses"] == 0 for r in results), results
    assert all(r["mismatches"] == 0 for r in results), results
    assert all(r["hits"] > 0 for r in results), results

    expected = {e.name: e for w in range(WORKERS) for e in kida_cache_worker.entries(w)}
    cache = BytecodeCache(directory)
    for entry in expected.values():
        assert cache.get(entry.name, entry.source_hash) == entry[2:]
    files = list(directory.iterdir())
    assert len(files) == len(expected)  # no temporary file left behind
    for path in files:
        decode(path.read_bytes()).load_ast()
