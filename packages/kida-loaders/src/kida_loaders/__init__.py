"""Template loaders for Kida.

Each class implements :class:`kida_core.protocols.Loader` and is published
under the ``kida.loaders`` entry-point group (``filesystem``, ``dict``,
``choice``, ``prefix``, ``package``, ``function``). The name-safety rule shared
by the file-based loaders is documented in :mod:`kida_loaders.paths`.
"""

from kida_loaders.choice import ChoiceLoader
from kida_loaders.filesystem import FileSystemLoader
from kida_loaders.function import FunctionLoader
from kida_loaders.mapping import DictLoader
from kida_loaders.package import PackageLoader
from kida_loaders.prefix import PrefixLoader

__all__ = [
    "ChoiceLoader",
    "DictLoader",
    "FileSystemLoader",
    "FunctionLoader",
    "PackageLoader",
    "PrefixLoader",
]
__version__ = "0.1.0"
