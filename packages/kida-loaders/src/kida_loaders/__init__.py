"""Template loaders for Kida.

Will provide the ``FileSystemLoader``, ``DictLoader``, ``ChoiceLoader``,
``PrefixLoader``, ``PackageLoader`` and ``FunctionLoader`` implementations of
``kida_core.protocols.Loader``, published under the ``kida.loaders`` entry-point
group. This release is a scaffold: no loader is implemented yet.
"""

__all__: list[str] = []
__version__ = "0.1.0"
