"""``kida.utils``: helper modules (``html``, ``lru_cache``), from ``kida_core``."""
