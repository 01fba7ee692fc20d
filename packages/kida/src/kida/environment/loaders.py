"""``kida.environment.loaders``: the template loaders, from ``kida_loaders``."""

from kida_loaders import (
    ChoiceLoader,
    DictLoader,
    FileSystemLoader,
    FunctionLoader,
    PackageLoader,
    PrefixLoader,
)

__all__ = [
    "ChoiceLoader",
    "DictLoader",
    "FileSystemLoader",
    "FunctionLoader",
    "PackageLoader",
    "PrefixLoader",
]
