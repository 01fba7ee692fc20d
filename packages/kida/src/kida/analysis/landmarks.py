"""``kida.analysis.landmarks``: landmark and markup detection, from ``kida_analysis``."""

from kida_analysis.roles import emits_html, landmarks

__all__ = ["emits_html", "landmarks"]
