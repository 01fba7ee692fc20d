"""Adapters for web frameworks.

``kida.contrib.flask``, ``kida.contrib.starlette`` and ``kida.contrib.django``.

This package re-exports nothing: import the adapter of your framework. Every
adapter imports without its framework installed; the framework is imported
when the adapter is used.
"""
