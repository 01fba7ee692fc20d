"""``kida.template.loop_context``: the ``loop`` variable's classes, from ``kida_core``."""

from kida_core.loop import AsyncLoopContext, LoopContext

__all__ = ["AsyncLoopContext", "LoopContext"]
