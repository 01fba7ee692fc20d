"""Static analysis of Kida templates.

Will provide the ``kida_core.protocols.TemplateAnalyzer`` implementation
(dependencies, purity, cache scope, landmarks, structure manifests) and the
composition helpers, published under the ``kida.analysis`` entry-point group.
This release is a scaffold: no analysis is implemented yet.
"""

__all__: list[str] = []
__version__ = "0.1.0"
