"""The analysis scopes names as the core scope model does (``kida_core.symbols``)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kida_analysis.dependencies import root
from kida_core.metadata import TemplateMetadata
from kida_core.parser import parse
from kida_core.symbols import free_names


@pytest.mark.parametrize(
    "source",
    [
        "{% for x in xs if x.on %}{{ x.name ~ loop.index }}{% else %}{{ x }}{% end %}",
        "{% with a = user.name %}{{ a }}{% end %}{{ a }}",
        "{% with user.name as n %}{{ n }}{% else %}{{ n }}{% end %}",
        "{% match p %}{% case (a, cfg.limit) %}{{ a }}{% case _ %}{{ b }}{% end %}",
        "{% try %}{{ risky }}{% fallback err %}{{ err ~ other }}{% end %}",
        "{{ [x.id for x in rows if x.id > floor] }}",
        "{{ a }}{% set a = b %}{{ a }}",
    ],
)
def test_context_reads_are_the_free_names(
    analyze: Callable[..., TemplateMetadata], source: str
) -> None:
    reads = {root(path) for path in analyze(source).all_dependencies()}
    assert reads == free_names(parse(source))
