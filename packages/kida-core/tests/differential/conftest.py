"""The environments the differential suites compare: Jinja2's and Kida's, autoescape on
(and Kida calling its inlinable filters instead of inlining them)."""

from __future__ import annotations

import types

import jinja2
import pytest
from differential_support import jinja_environment

from kida_core.environment import Environment
from kida_core.filters import DEFAULT_FILTERS, INLINABLE_FILTERS


@pytest.fixture(scope="module")
def jinja_env() -> jinja2.Environment:
    return jinja_environment()


@pytest.fixture(scope="module")
def kida_env() -> Environment:
    return Environment(autoescape=True)


@pytest.fixture(scope="module")
def calling_env() -> Environment:
    """Kida with the inlinable built-in filters registered as copies, so templates call them."""
    env = Environment(autoescape=True)
    for name in INLINABLE_FILTERS:
        func = DEFAULT_FILTERS[name]
        clone = types.FunctionType(
            func.__code__, func.__globals__, func.__name__, func.__defaults__, func.__closure__
        )
        clone.__kwdefaults__ = func.__kwdefaults__
        clone.__dict__.update(func.__dict__)
        env.add_filter(name, clone)
    return env
