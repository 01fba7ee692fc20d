"""Compiled templates (``kida.template.core``); re-exported from ``kida_core``."""

from kida_core.loop import AsyncLoopContext, LoopContext
from kida_core.markup import Markup
from kida_core.template import ErrorDict, RenderedTemplate, Template

__all__ = ["AsyncLoopContext", "ErrorDict", "LoopContext", "Markup", "RenderedTemplate", "Template"]
