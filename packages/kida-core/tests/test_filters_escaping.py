"""Escaping and safety filters and ``utils.html.xmlattr``."""

from __future__ import annotations

import json
import warnings
from datetime import date

import pytest

from kida_core.decorators import is_pure
from kida_core.environment import Environment
from kida_core.filters import DEFAULT_FILTERS
from kida_core.filters import escaping as f
from kida_core.markup import Markup
from kida_core.undefined import UNDEFINED
from kida_core.utils.html import xmlattr

ENV = Environment()


def test_escape_returns_markup() -> None:
    result = f.escape_filter("<a href='x'>&</a>")
    assert isinstance(result, Markup)
    assert result == "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;"


def test_escape_does_not_double_escape_markup() -> None:
    assert f.escape_filter(Markup("<b>&amp;</b>")) == "<b>&amp;</b>"


def test_escape_twice_is_idempotent() -> None:
    once = f.escape_filter("<")
    assert f.escape_filter(once) == "&lt;"


def test_escape_none_is_empty() -> None:
    assert f.escape_filter(None) == Markup("")


def test_escape_number() -> None:
    assert f.escape_filter(3) == "3"


def test_e_is_escape_alias() -> None:
    assert DEFAULT_FILTERS["e"] is DEFAULT_FILTERS["escape"] is f.escape_filter


def test_escape_is_pure() -> None:
    assert is_pure(f.escape_filter)


def test_safe_wraps_in_markup() -> None:
    result = f.safe("<b>hi</b>")
    assert isinstance(result, Markup)
    assert result == "<b>hi</b>"


def test_safe_reason_is_ignored() -> None:
    assert f.safe("<i>", reason="sanitized by bleach") == "<i>"


def test_safe_keeps_markup_instance() -> None:
    value = Markup("<b>")
    assert f.safe(value) is value


def test_safe_none_is_empty() -> None:
    assert f.safe(None) == Markup("")


def test_safe_number() -> None:
    assert f.safe(5) == Markup("5")


def test_tojson_dumps_kwargs_policy() -> None:
    env = Environment()
    env.policies["json.dumps_kwargs"] = {"sort_keys": True}
    assert env.from_string("{{ {'b': 1, 'a': 2} | tojson }}").render() == '{"a": 2, "b": 1}'


def test_tojson_dumps_function_policy() -> None:
    env = Environment()
    env.policies["json.dumps_function"] = lambda value, **kwargs: '"<custom>"'
    assert env.from_string("{{ 1 | tojson }}").render() == '"\\u003ccustom\\u003e"'


def test_tojson_keeps_key_order_by_default() -> None:
    assert f.tojson(ENV, {"b": 1, "a": 2}) == '{"b": 1, "a": 2}'


def test_policies_are_per_environment() -> None:
    first, second = Environment(), Environment()
    first.policies["json.dumps_kwargs"]["sort_keys"] = True
    assert second.policies["json.dumps_kwargs"] == {"sort_keys": False}


def test_forceescape_escapes_markup() -> None:
    assert f.forceescape(Markup("<b>")) == "&lt;b&gt;"


def test_forceescape_returns_markup() -> None:
    assert isinstance(f.forceescape("<"), Markup)


def test_tojson_returns_markup() -> None:
    result = f.tojson(ENV, {"a": [1, 2]})
    assert isinstance(result, Markup)
    assert json.loads(result) == {"a": [1, 2]}


def test_tojson_escapes_html_sensitive_characters() -> None:
    result = f.tojson(ENV, "</script><b>'&'")
    assert "<" not in result and ">" not in result and "&" not in result and "'" not in result
    assert result == '"\\u003c/script\\u003e\\u003cb\\u003e\\u0027\\u0026\\u0027"'
    assert json.loads(result) == "</script><b>'&'"


def test_tojson_indent() -> None:
    assert f.tojson(ENV, [1], indent=2) == "[\n  1\n]"


def test_tojson_attr_entity_encodes_quotes() -> None:
    result = f.tojson(ENV, {"k": "v"}, attr=True)
    assert isinstance(result, Markup)
    assert result == "{&quot;k&quot;: &quot;v&quot;}"


def test_tojson_none() -> None:
    assert f.tojson(ENV, None) == "null"


def test_tojson_default_converts_unserializable_values() -> None:
    result = f.tojson(ENV, {"day": date(2024, 5, 1)}, default=str)
    assert result == '{"day": "2024-05-01"}'


def test_tojson_default_in_a_template() -> None:
    template = Environment().from_string("{{ d | tojson(default=str) }}")
    assert template.render(d=[date(2024, 5, 1)]) == '["2024-05-01"]'


def test_tojson_unserializable_raises() -> None:
    with pytest.raises(TypeError):
        f.tojson(ENV, object())


def test_xmlattr_filter() -> None:
    result = f.xmlattr_filter({"class": "btn", "id": "x"})
    assert isinstance(result, Markup)
    assert result == 'class="btn" id="x"'


def test_xmlattr_no_leading_space() -> None:
    assert not f.xmlattr_filter({"a": "1"}).startswith(" ")


def test_xmlattr_escapes_values() -> None:
    assert f.xmlattr_filter({"title": '"<x>&'}) == 'title="&quot;&lt;x&gt;&amp;"'


def test_xmlattr_keeps_markup_value() -> None:
    assert f.xmlattr_filter({"title": Markup("&amp;")}) == 'title="&amp;"'


def test_xmlattr_skips_none_and_undefined() -> None:
    assert f.xmlattr_filter({"a": None, "b": "1", "c": UNDEFINED}) == 'b="1"'


def test_xmlattr_true_value() -> None:
    assert f.xmlattr_filter({"hidden": True}) == 'hidden="True"'


def test_xmlattr_keeps_insertion_order() -> None:
    assert f.xmlattr_filter({"z": 1, "a": 2}) == 'z="1" a="2"'


def test_xmlattr_empty() -> None:
    assert f.xmlattr_filter({}) == ""


@pytest.mark.parametrize("name", ["a b", 'a"b', "a>b", "a/b", "a=b", "", "a\tb", "a'b"])
def test_xmlattr_invalid_name_raises(name: str) -> None:
    with pytest.raises(ValueError, match="attribute name"):
        f.xmlattr_filter({name: "x"})


def test_xmlattr_event_handler_warns() -> None:
    with pytest.warns(UserWarning, match="onclick"):
        result = f.xmlattr_filter({"onclick": "go()"})
    assert result == 'onclick="go()"'


def test_xmlattr_data_attributes_do_not_warn() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert f.xmlattr_filter({"data-on": "1", "name": "2"}) == 'data-on="1" name="2"'


def test_xmlattr_util_allow_events() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert xmlattr({"onclick": "go()"}, allow_events=True) == 'onclick="go()"'


def test_xmlattr_util_strip_events() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert xmlattr({"onClick": "go()", "id": "a"}, strip_events=True) == 'id="a"'


def test_xmlattr_util_non_strict_skips_invalid_names() -> None:
    assert xmlattr({"bad name": "1", "ok": "2"}, strict=False) == 'ok="2"'


def test_classes_flattens_and_drops_falsy() -> None:
    assert f.classes(["btn", "", ["on", None]]) == "btn on"


def test_classes_deeply_nested_tuple() -> None:
    assert f.classes(("a", [("b", False), [[0, "c"]]])) == "a b c"


def test_classes_single_string() -> None:
    assert f.classes("btn") == "btn"


def test_classes_none() -> None:
    assert f.classes(None) == ""
