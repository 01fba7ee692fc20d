"""Facts about generated code shared by the compiler and the runtime.

Kept apart from the compiler so that loading a cached template never imports
the lexer, parser or compiler.
"""

#: Version of the generated-code shape; part of every bytecode-cache key, so
#: code cached by an older compiler is never loaded by a newer runtime.
CODEGEN_VERSION = 3

#: Namespace prefixes of the filters and tests generated code uses.
FILTER_PREFIX = "_F_"
TEST_PREFIX = "_T_"
