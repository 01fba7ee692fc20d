"""On-disk bytecode cache for Kida templates.

:class:`BytecodeCache` implements ``kida_core.protocols.BytecodeCacheProtocol``
and is published as ``filesystem`` in the ``kida.bytecode_caches`` entry-point
group; :func:`hash_source` yields its ``source_hash`` keys. The record format
(checksummed, verified before anything is unmarshalled) lives in
:mod:`kida_cache.record`.

Cache files are trusted state (``marshal``/``pickle``; the checksum detects
damage, not tampering): never point the cache at a directory other users can
write to.
"""

from kida_cache.filesystem import ABI, BytecodeCache, hash_source

__all__ = ["ABI", "BytecodeCache", "hash_source"]
__version__ = "0.1.0"
