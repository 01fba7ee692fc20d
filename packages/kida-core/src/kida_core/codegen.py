"""Facts about generated code shared by the compiler and the runtime.

Kept apart from the compiler so that loading a cached template never imports
the lexer, parser or compiler.
"""

#: Version of the generated-code shape; part of every bytecode-cache key, so
#: code cached by an older compiler is never loaded by a newer runtime.
CODEGEN_VERSION = 15

#: Namespace prefixes of the filters and tests generated code uses.
FILTER_PREFIX = "_F_"
TEST_PREFIX = "_T_"

#: Parts of a generated module. ``ALL`` holds every function (what the bytecode
#: cache stores); ``PRIMARY`` holds the buffered ones, its stream (``STREAM``),
#: async-stream (``ASTREAM``) and setup (``SETUP``: ``_globals_setup``, run by
#: imports and ``render_block``) functions are compiled on first use.
ALL = "all"
PRIMARY = "primary"
STREAM = "stream"
ASTREAM = "astream"
SETUP = "setup"
#: ``__kida_facts__ = (extends, extends_only, blocks, defs, deferred, block_rows)``: one
#: constant with what the Template reads of a module: the literal parent ``(name, line)``
#: or None, whether ``render`` only extends it, the block and def names, the parts left
#: to be compiled on first use, and where each block's functions are
#: (``runtime.macros.block_defs``, which builds the ``_block_defs`` generated code reads).
FACTS_NAME = "__kida_facts__"
