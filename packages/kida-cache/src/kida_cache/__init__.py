"""On-disk bytecode cache for Kida templates.

Will provide ``BytecodeCache`` (an implementation of
``kida_core.protocols.BytecodeCacheProtocol``) and ``hash_source``, published
under the ``kida.bytecode_caches`` entry-point group. This release is a
scaffold: no cache is implemented yet.
"""

__all__: list[str] = []
__version__ = "0.1.0"
