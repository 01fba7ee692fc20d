"""A def's slots reach it only through ``{% call %}``: no template call can inject them."""

from __future__ import annotations

from typing import Any

import pytest

from kida_core import Environment, TemplateRuntimeError
from kida_core.errors import ErrorCode


class Reports:
    """An object with a ``render`` method, as a def's slots have."""

    def __init__(self) -> None:
        self.rendered: list[str] = []

    def render(self, name: str = "default") -> str:
        self.rendered.append(name)
        return f"report {name}"

    def has(self, name: str = "default") -> bool:
        self.rendered.append(name)
        return True


def render(source: str, **context: Any) -> str:
    env = Environment()
    return env.from_string(source, name="t.html").render(**context)


CALLER = '{% def f() %}{{ caller("q4") }}{% end %}'


@pytest.mark.parametrize(
    "call",
    ["{{ f(_caller=reports) }}", '{{ f(**{"_caller": reports}) }}'],
    ids=["keyword", "double-star"],
)
def test_underscore_caller_is_an_unexpected_keyword(call: str) -> None:
    reports = Reports()
    with pytest.raises(TemplateRuntimeError, match="unexpected keyword argument '_caller'"):
        render(CALLER + call, reports=reports)
    assert reports.rendered == []


def test_slots_keyword_in_double_star_expansion_is_refused() -> None:
    reports = Reports()
    with pytest.raises(TemplateRuntimeError) as info:
        render(CALLER + '{{ f(**{"<slots>": reports}) }}', reports=reports)
    assert info.value.code is ErrorCode.COMPONENT_CALL_SIGNATURE
    assert "{% call %}" in str(info.value)
    assert reports.rendered == []


def test_slots_keyword_is_refused_even_by_a_def_without_slots() -> None:
    with pytest.raises(TemplateRuntimeError) as info:
        render('{% def f() %}x{% end %}{{ f(**{"<slots>": reports}) }}', reports=Reports())
    assert info.value.code is ErrorCode.COMPONENT_CALL_SIGNATURE


def test_has_slot_cannot_be_fed_an_injected_object() -> None:
    reports = Reports()
    source = '{% def f() %}{{ has_slot() }}{% end %}{{ f(**{"<slots>": reports}) }}'
    with pytest.raises(TemplateRuntimeError):
        render(source, reports=reports)
    assert reports.rendered == []


def test_slot_tag_cannot_be_fed_an_injected_object() -> None:
    reports = Reports()
    source = "{% def f() %}{% slot %}{% end %}{{ f(_caller=reports) }}"
    with pytest.raises(TemplateRuntimeError, match="unexpected keyword"):
        render(source, reports=reports)
    assert reports.rendered == []


def test_region_slots_cannot_be_injected() -> None:
    reports = Reports()
    source = "{% region r(a=1) %}{{ caller() }}{% end %}{{ r(_caller=reports) }}"
    with pytest.raises(TemplateRuntimeError, match="unexpected keyword"):
        render(source, reports=reports)
    assert reports.rendered == []


def test_def_with_kwargs_receives_underscore_caller_as_plain_data() -> None:
    source = "{% def f(**kw) %}{{ kw | length }}[{{ caller() }}]{% end %}{{ f(_caller=reports) }}"
    reports = Reports()
    assert render(source, reports=reports) == "1[]"
    assert reports.rendered == []


def test_call_block_with_underscore_caller_is_an_unexpected_keyword() -> None:
    reports = Reports()
    source = CALLER + "{% call f(_caller=reports) %}body{% end %}"
    with pytest.raises(TemplateRuntimeError, match="unexpected keyword argument '_caller'"):
        render(source, reports=reports)
    assert reports.rendered == []


def test_call_block_with_slots_in_double_star_is_refused() -> None:
    reports = Reports()
    source = CALLER + '{% call f(**{"<slots>": reports}) %}body{% end %}'
    with pytest.raises(TemplateRuntimeError, match="multiple values"):
        render(source, reports=reports)
    assert reports.rendered == []


def test_call_block_still_fills_the_slots() -> None:
    source = (
        "{% def f() %}[{{ caller() }}|{{ caller('q4') }}|{{ has_slot('q4') }}]{% end %}"
        "{% call f() %}body{% slot q4 %}quarter{% end %}{% end %}"
    )
    assert render(source) == "[body|quarter|True]"
