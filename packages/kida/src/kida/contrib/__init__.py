"""Framework adapters: import the submodule you need (``kida.contrib.django``, ...).

Each adapter imports without its framework installed; the framework is
imported when the adapter is used. This package re-exports nothing.
"""
