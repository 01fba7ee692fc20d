"""The benchmark harness: every scenario's renderers agree byte for byte (nothing is timed)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from kida import Environment

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def _load_run() -> ModuleType:
    """``benchmarks/run.py`` as a module (it imports ``scenarios`` from its own directory)."""
    spec = importlib.util.spec_from_file_location("kida_benchmarks_run", BENCHMARKS / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


run = _load_run()
SCENARIOS = run.SCENARIOS
COMPILE_SET = run.COMPILE_SET


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_hand_kida_and_jinja2_outputs_are_identical(name: str) -> None:
    scenario = SCENARIOS[name]
    jinja_env = run.jinja2.Environment(autoescape=True)
    compiled = run.compile_scenario(scenario, Environment(autoescape=True), jinja_env)
    outputs = run.collect_outputs(scenario, scenario.make_context(), compiled)
    assert any(renderer.startswith("kida") for renderer in outputs)
    assert {text for text in outputs.values()} == {outputs["hand"]}


@pytest.fixture(scope="module")
def compile_set_outputs() -> dict[str, dict[str, str]]:
    """Each member's outputs, rendered from one freshly compiled set per engine."""
    outputs: dict[str, dict[str, str]] = run.compile_set_outputs(COMPILE_SET, skip_kida=False)
    return outputs


@pytest.mark.parametrize("member", [s.name for s in COMPILE_SET.members])
def test_the_compiled_set_renders_each_member_like_its_hand_written_function(
    member: str, compile_set_outputs: dict[str, dict[str, str]]
) -> None:
    outputs = compile_set_outputs[member]
    assert set(outputs) == {"hand", "kida", "jinja2"}
    assert outputs["kida"] == outputs["jinja2"] == outputs["hand"]


def test_the_compile_set_holds_every_template_of_its_members_once() -> None:
    names = set(COMPILE_SET.kida_mapping)
    assert names == set(COMPILE_SET.jinja_mapping)
    for scenario in COMPILE_SET.members:
        assert COMPILE_SET.entry_of(scenario) in names
        assert set(scenario.jinja_mapping) <= names


def test_deep_inheritance_is_a_five_level_chain_with_two_super_calls_per_level() -> None:
    templates = SCENARIOS["deep_inheritance"].jinja_mapping
    assert len(templates) == 5
    children = [source for source in templates.values() if "{% extends" in source]
    assert len(children) == 4
    assert all(source.count("{{ super() }}") >= 2 for source in children)


def test_a_render_scenario_meets_its_goal_against_jinja2_or_the_hand_written_function() -> None:
    near_hand = run.Result("a", "render", hand_us=10.0, kida_us=11.0, jinja2_us=20.0)
    far_from_both = run.Result("b", "render", hand_us=1.0, kida_us=5.0, jinja2_us=10.0)
    fast = run.Result("c", "render", hand_us=1.0, kida_us=3.0, jinja2_us=10.0)
    assert near_hand.goal_met and fast.goal_met
    assert far_from_both.goal_met is False


def test_compile_meets_its_goal_at_six_tenths_of_jinja2() -> None:
    assert run.Result("s", "compile", None, kida_us=60.0, jinja2_us=100.0).goal_met
    assert not run.Result("s", "compile", None, kida_us=61.0, jinja2_us=100.0).goal_met


def test_the_geometric_mean_covers_whole_renders_only() -> None:
    results = [
        run.Result("a", "render", 1.0, kida_us=1.0, jinja2_us=4.0),
        run.Result("b", "block", 1.0, kida_us=1.0, jinja2_us=1.0),
        run.Result("c", "first chunk", 1.0, kida_us=9.0, jinja2_us=1.0),
        run.Result("d", "compile", None, kida_us=9.0, jinja2_us=1.0),
    ]
    assert run.geometric_mean_kida_over_jinja2(results) == pytest.approx(0.5)


def test_the_markdown_table_has_a_row_per_result_and_the_geometric_mean() -> None:
    results = [
        run.Result("hello", "render", 0.5, kida_us=1.0, jinja2_us=4.0),
        run.Result("compile_set", "compile", None, kida_us=900.0, jinja2_us=1000.0),
    ]
    assert run.markdown_table(results).splitlines() == [
        "| scenario | hand µs | kida µs | jinja2 µs | kida/jinja2 | kida/hand | goal |",
        "|---|---:|---:|---:|---:|---:|:---:|",
        "| `hello` | 0.50 | 1.00 | 4.00 | 0.25 | 2.00 | ok |",
        "| `compile_set` (compile) | - | 900.00 | 1000.00 | 0.90 | - | !! |",
        "| geometric mean (whole renders) |  |  |  | 0.25 |  | ok |",
    ]
