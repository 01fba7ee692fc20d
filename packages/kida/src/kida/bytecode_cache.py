"""The bytecode cache (``kida.bytecode_cache``); re-exported from ``kida_cache``."""

from kida_cache import BytecodeCache, hash_source

__all__ = ["BytecodeCache", "hash_source"]
