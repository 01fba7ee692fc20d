"""Compiled templates (``kida.template``); re-exported from ``kida_core``."""

from kida.template.core import AsyncLoopContext, LoopContext, Markup, RenderedTemplate, Template

__all__ = ["AsyncLoopContext", "LoopContext", "Markup", "RenderedTemplate", "Template"]
