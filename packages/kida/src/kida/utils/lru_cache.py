"""``kida.utils.lru_cache``: the thread-safe LRU cache, from ``kida_core``."""

from kida_core.lru import LRUCache

__all__ = ["LRUCache"]
