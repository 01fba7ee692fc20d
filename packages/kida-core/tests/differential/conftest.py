"""The environments the differential suites compare: Jinja2's and Kida's, autoescape on."""

from __future__ import annotations

import jinja2
import pytest
from differential_support import jinja_environment

from kida_core.environment import Environment


@pytest.fixture(scope="module")
def jinja_env() -> jinja2.Environment:
    return jinja_environment()


@pytest.fixture(scope="module")
def kida_env() -> Environment:
    return Environment(autoescape=True)
