"""The HTMX helpers every adapter shares: request headers become render metadata."""

from __future__ import annotations

from kida import DictLoader, Environment
from kida.contrib._htmx import htmx_meta, render_part, request_render_context

PAGE = "{{ hx_request() }}/{{ hx_target() }}{% block part %}[{{ csrf_token() }}]{% end %}"


def test_a_request_without_hx_request_has_no_metadata() -> None:
    assert htmx_meta({"HX-Target": "results"}) == {}


def test_an_empty_hx_request_header_has_no_metadata() -> None:
    assert htmx_meta({"HX-Request": ""}) == {}


def test_an_htmx_request_sets_all_four_values() -> None:
    headers = {"HX-Request": "true", "HX-Target": "list", "HX-Trigger": "btn", "HX-Boosted": "true"}

    assert htmx_meta(headers) == {
        "hx_request": True,
        "hx_target": "list",
        "hx_trigger": "btn",
        "hx_boosted": True,
    }


def test_absent_target_and_trigger_are_none_and_boosted_is_false() -> None:
    assert htmx_meta({"HX-Request": "true"}) == {
        "hx_request": True,
        "hx_target": None,
        "hx_trigger": None,
        "hx_boosted": False,
    }


def test_renders_inside_the_request_render_context_see_its_metadata() -> None:
    template = Environment(loader=DictLoader({"page.html": PAGE})).get_template("page.html")
    meta = {**htmx_meta({"HX-Request": "true", "HX-Target": "list"}), "csrf_token": "tok"}

    with request_render_context("page.html", meta):
        page = render_part(template, {}, None)
        part = render_part(template, {}, "part")

    assert (page, part) == ("True/list[tok]", "[tok]")
