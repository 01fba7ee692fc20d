"""Collection filters."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pytest

from kida_core.builtin_tests import DEFAULT_TESTS
from kida_core.decorators import is_pure, wants_environment
from kida_core.errors import CoercionWarning, NoneComparisonError, UndefinedError
from kida_core.filters import DEFAULT_FILTERS
from kida_core.filters import collections as f
from kida_core.markup import Markup
from kida_core.undefined import UNDEFINED


class StubEnv:
    """The slice of ``Environment`` that ``@pass_environment`` filters use."""

    def __init__(
        self, *, strict_none: bool = False, autoescape: bool = True, strict: bool = True
    ) -> None:
        self.strict_none = strict_none
        self.autoescape = autoescape
        self.tests = dict(DEFAULT_TESTS)
        self.filters = dict(DEFAULT_FILTERS)
        self._strict = strict

    def getattr(self, obj: Any, name: str) -> Any:
        if isinstance(obj, Mapping) and name in obj:
            return obj[name]
        try:
            return getattr(obj, name)
        except AttributeError:
            if self._strict:
                raise UndefinedError(name, kind="attribute") from None
            return UNDEFINED

    def getitem(self, obj: Any, key: Any) -> Any:
        return obj[key]


@dataclass
class Author:
    name: str


@dataclass
class Post:
    title: str
    weight: int | None
    author: Author


ENV = StubEnv()


# first / last


def test_first() -> None:
    assert f.first([3, 4]) == 3


def test_first_empty() -> None:
    assert f.first([]) is None


def test_first_none() -> None:
    assert f.first(None) is None


def test_first_string() -> None:
    assert f.first("abc") == "a"


def test_first_generator() -> None:
    assert f.first(x for x in [7, 8]) == 7


def test_first_undefined() -> None:
    assert f.first(UNDEFINED) is None


def test_first_non_iterable_warns() -> None:
    with pytest.warns(CoercionWarning, match="first"):
        assert f.first(5) is None


def test_last() -> None:
    assert f.last([3, 4]) == 4


def test_last_empty() -> None:
    assert f.last([]) is None


def test_last_none() -> None:
    assert f.last(None) is None


def test_last_generator() -> None:
    assert f.last(x for x in [7, 8]) == 8


def test_last_set() -> None:
    assert f.last({9}) == 9


def test_last_non_iterable_warns() -> None:
    with pytest.warns(CoercionWarning, match="last"):
        assert f.last(5) is None


# length


def test_length() -> None:
    assert f.length([1, 2, 3]) == 3


def test_length_string() -> None:
    assert f.length("abcd") == 4


def test_length_none() -> None:
    assert f.length(None) == 0


def test_length_undefined() -> None:
    assert f.length(UNDEFINED) == 0


def test_length_unsized_warns() -> None:
    with pytest.warns(CoercionWarning, match="length"):
        assert f.length(12) == 0


def test_count_is_length_alias() -> None:
    assert DEFAULT_FILTERS["count"] is DEFAULT_FILTERS["length"] is f.length


# list


def test_list() -> None:
    assert f.list_filter((1, 2)) == [1, 2]


def test_list_string() -> None:
    assert f.list_filter("ab") == ["a", "b"]


def test_list_none_raises() -> None:
    with pytest.raises(TypeError):
        f.list_filter(None)


# join


def test_join() -> None:
    assert f.join(ENV, [1, "a", 2.5], ", ") == "1, a, 2.5"


def test_join_default_separator() -> None:
    assert f.join(ENV, ["a", "b"]) == "ab"


def test_join_none() -> None:
    assert f.join(ENV, None, ",") == ""


def test_join_scalar_raises() -> None:
    with pytest.raises(TypeError):
        f.join(ENV, 5, ",")


def test_join_attribute() -> None:
    users = [{"name": "a"}, {"name": "b"}]
    assert f.join(ENV, users, "/", attribute="name") == "a/b"


def test_join_tuple_of_strings() -> None:
    assert f.join(ENV, ("x", "y", "z"), "-") == "x-y-z"


def test_join_plain_items_is_plain_str() -> None:
    result = f.join(ENV, ["<a>", "b"], ",")
    assert type(result) is str
    assert result == "<a>,b"


def test_join_mixed_markup_escapes_plain_items() -> None:
    result = f.join(ENV, [Markup("<b>x</b>"), "<i>"], " ")
    assert isinstance(result, Markup)
    assert result == "<b>x</b> &lt;i&gt;"


def test_join_markup_separator_escapes_items() -> None:
    result = f.join(ENV, ["<", ">"], Markup("<br>"))
    assert result == "&lt;<br>&gt;"


def test_join_without_autoescape_is_plain() -> None:
    result = f.join(StubEnv(autoescape=False), [Markup("<b>"), "<i>"], "")
    assert type(result) is str
    assert result == "<b><i>"


# reverse


def test_reverse_list() -> None:
    assert f.reverse([1, 2, 3]) == [3, 2, 1]


def test_reverse_string() -> None:
    assert f.reverse("abc") == "cba"


def test_reverse_generator_raises_with_hint() -> None:
    with pytest.raises(TypeError, match=r"\| list \| reverse"):
        f.reverse(x for x in [1])


# sort


def test_sort_numbers() -> None:
    assert f.sort(ENV, [3, 1, 2]) == [1, 2, 3]


def test_sort_reverse() -> None:
    assert f.sort(ENV, [3, 1, 2], reverse=True) == [3, 2, 1]


def test_sort_case_insensitive_by_default() -> None:
    assert f.sort(ENV, ["b", "A", "c"]) == ["A", "b", "c"]


def test_sort_case_sensitive() -> None:
    assert f.sort(ENV, ["b", "A", "a"], case_sensitive=True) == ["A", "a", "b"]


def test_sort_by_attribute() -> None:
    posts = [Post("b", 2, Author("x")), Post("a", 1, Author("y"))]
    assert [p.title for p in f.sort(ENV, posts, attribute="weight")] == ["a", "b"]


def test_sort_by_dotted_attribute() -> None:
    posts = [Post("1", 1, Author("zed")), Post("2", 1, Author("Amy"))]
    assert [p.title for p in f.sort(ENV, posts, attribute="author.name")] == ["2", "1"]


def test_sort_by_mapping_key() -> None:
    rows = [{"n": 2}, {"n": 1}]
    assert f.sort(ENV, rows, attribute="n") == [{"n": 1}, {"n": 2}]


def test_sort_multi_key() -> None:
    posts = [Post("b", 1, Author("")), Post("c", 0, Author("")), Post("a", 1, Author(""))]
    result = f.sort(ENV, posts, attribute="weight, title")
    assert [p.title for p in result] == ["c", "a", "b"]


def test_sort_index_path() -> None:
    assert f.sort(ENV, [("b", 2), ("a", 1)], attribute="1") == [("a", 1), ("b", 2)]


def test_sort_none_last() -> None:
    assert f.sort(ENV, [2, None, 1]) == [1, 2, None]


def test_sort_none_last_when_reversed() -> None:
    assert f.sort(ENV, [2, None, 1], reverse=True) == [2, 1, None]


def test_sort_none_attribute_last() -> None:
    posts = [Post("n", None, Author("")), Post("a", 5, Author(""))]
    assert [p.title for p in f.sort(ENV, posts, attribute="weight")] == ["a", "n"]


def test_sort_strict_none_raises() -> None:
    posts = [Post("n", None, Author("")), Post("a", 5, Author(""))]
    with pytest.raises(NoneComparisonError, match="weight") as info:
        f.sort(StubEnv(strict_none=True), posts, attribute="weight")
    assert "Post(title='n'" in (info.value.suggestion or "")


def test_sort_strict_none_without_none_sorts() -> None:
    assert f.sort(StubEnv(strict_none=True), [2, 1]) == [1, 2]


def test_sort_missing_attribute_raises_in_strict_mode() -> None:
    with pytest.raises(UndefinedError):
        f.sort(ENV, [Author("a"), Author("b")], attribute="nope")


def test_sort_is_stable() -> None:
    rows = [{"k": 1, "i": 0}, {"k": 0, "i": 1}, {"k": 1, "i": 2}]
    assert [r["i"] for r in f.sort(ENV, rows, attribute="k")] == [1, 0, 2]


def test_sort_strings_keeps_case_folded_ties_in_input_order() -> None:
    assert f.sort(ENV, ["b", "B", "a", "A"]) == ["a", "A", "b", "B"]


def test_sort_strings_reverse_keeps_ties_in_input_order() -> None:
    assert f.sort(ENV, ["a", "B", "A", "b"], reverse=True) == ["B", "b", "a", "A"]


def test_sort_strings_from_a_generator() -> None:
    assert f.sort(ENV, (word for word in ["pear", "Apple"])) == ["Apple", "pear"]


# dictsort


def test_dictsort_by_key_case_insensitive() -> None:
    assert f.dictsort({"b": 1, "A": 2, "c": 0}) == [("A", 2), ("b", 1), ("c", 0)]


def test_dictsort_case_sensitive() -> None:
    assert f.dictsort({"b": 1, "A": 2, "a": 3}, case_sensitive=True) == [
        ("A", 2),
        ("a", 3),
        ("b", 1),
    ]


def test_dictsort_by_value() -> None:
    assert f.dictsort({"a": 3, "b": 1}, by="value") == [("b", 1), ("a", 3)]


def test_dictsort_reverse() -> None:
    assert f.dictsort({"a": 1, "b": 2}, reverse=True) == [("b", 2), ("a", 1)]


def test_dictsort_bad_by() -> None:
    with pytest.raises(ValueError):
        f.dictsort({"a": 1}, by="size")


# unique


def test_unique_preserves_first_occurrence() -> None:
    assert f.unique(ENV, [3, 1, 3, 2, 1]) == [3, 1, 2]


def test_unique_case_insensitive_by_default() -> None:
    assert f.unique(ENV, ["A", "a", "b"]) == ["A", "b"]


def test_unique_case_sensitive() -> None:
    assert f.unique(ENV, ["A", "a"], case_sensitive=True) == ["A", "a"]


def test_unique_by_attribute() -> None:
    rows = [{"c": "x", "i": 1}, {"c": "y", "i": 2}, {"c": "x", "i": 3}]
    assert [r["i"] for r in f.unique(ENV, rows, attribute="c")] == [1, 2]


# groupby


def test_groupby() -> None:
    rows = [{"city": "B", "n": 1}, {"city": "A", "n": 2}, {"city": "B", "n": 3}]
    assert f.groupby(ENV, rows, "city") == [
        ("A", [{"city": "A", "n": 2}]),
        ("B", [{"city": "B", "n": 1}, {"city": "B", "n": 3}]),
    ]


def test_groupby_group_exposes_grouper_and_list_by_attribute_and_key() -> None:
    (group,) = f.groupby(ENV, [{"k": 1}], "k")
    assert (group.grouper, group.list) == (group["grouper"], group["list"]) == (1, [{"k": 1}])


def test_groupby_default_groups_items_missing_the_attribute() -> None:
    groups = f.groupby(ENV, [{"k": "a"}, {}], "k", default="zz")
    assert [g.grouper for g in groups] == ["a", "zz"]


def test_groupby_folds_case_unless_case_sensitive() -> None:
    rows = [{"k": "B"}, {"k": "b"}]
    assert [len(g.list) for g in f.groupby(ENV, rows, "k")] == [2]
    assert [g.grouper for g in f.groupby(ENV, rows, "k", case_sensitive=True)] == ["B", "b"]


def test_items_of_a_mapping() -> None:
    assert list(f.items({"a": 1})) == [("a", 1)]


def test_items_of_none_and_undefined_are_empty() -> None:
    assert list(f.items(None)) == list(f.items(UNDEFINED)) == []


def test_items_of_a_non_mapping_raises() -> None:
    with pytest.raises(TypeError, match="mapping"):
        f.items([1])


def test_groupby_none_and_empty_keys_last() -> None:
    rows = [{"k": None}, {"k": ""}, {"k": "b"}, {"k": "a"}]
    assert [g["grouper"] for g in f.groupby(ENV, rows, "k")] == ["a", "b", None, ""]


def test_groupby_dotted_attribute() -> None:
    posts = [Post("1", 0, Author("y")), Post("2", 0, Author("x"))]
    groups = f.groupby(ENV, posts, "author.name")
    assert [(g["grouper"], [p.title for p in g["list"]]) for g in groups] == [
        ("x", ["2"]),
        ("y", ["1"]),
    ]


# map


def test_map_attribute() -> None:
    assert f.map_filter(ENV, [Author("a"), {"name": "b"}], attribute="name") == ["a", "b"]


def test_map_dotted_attribute() -> None:
    posts = [Post("1", 0, Author("ann"))]
    assert f.map_filter(ENV, posts, attribute="author.name") == ["ann"]


def test_map_filter_name() -> None:
    assert f.map_filter(ENV, ["1", "22"], "int") == [1, 22]


def test_map_filter_with_arguments() -> None:
    assert f.map_filter(ENV, ["aa", "ba"], "replace", "a", "o") == ["oo", "bo"]


def test_map_filter_with_keyword_arguments() -> None:
    assert f.map_filter(ENV, [2.345], "round", precision=1) == [2.3]


def test_map_falls_back_to_a_method_when_no_filter_has_the_name() -> None:
    assert f.map_filter(ENV, ["a-b"], "split", "-") == [["a", "b"]]


def test_map_attribute_default_replaces_missing_values() -> None:
    assert f.map_filter(ENV, [{"a": 1}, {}], attribute="a", default=0) == [1, 0]


def test_map_none() -> None:
    assert f.map_filter(ENV, None, attribute="x") == []


def test_map_non_iterable_warns() -> None:
    with pytest.warns(CoercionWarning, match="map"):
        assert f.map_filter(ENV, 5, attribute="x") == []


def test_map_without_arguments_raises() -> None:
    with pytest.raises(TypeError):
        f.map_filter(ENV, [1])


# select / reject / selectattr / rejectattr


def test_select_truthy() -> None:
    assert f.select(ENV, [0, 1, "", "a", None]) == [1, "a"]


def test_select_by_test() -> None:
    assert f.select(ENV, [1, 2, 3, 4], "odd") == [1, 3]


def test_select_test_with_argument() -> None:
    assert f.select(ENV, [1, 5, 9], "gt", 4) == [5, 9]


def test_select_unknown_test() -> None:
    with pytest.raises(ValueError, match="nope"):
        f.select(ENV, [1], "nope")


def test_select_custom_test() -> None:
    env = StubEnv()
    env.tests["short"] = lambda value: len(value) < 3
    assert f.select(env, ["ab", "abcd"], "short") == ["ab"]


def test_reject_falsy() -> None:
    assert f.reject(ENV, [0, 1, "", "a"]) == [0, ""]


def test_reject_by_test() -> None:
    assert f.reject(ENV, [1, 2, 3], "odd") == [2]


def test_selectattr_truthy() -> None:
    rows = [{"on": True, "i": 1}, {"on": False, "i": 2}]
    assert f.selectattr(ENV, rows, "on") == [{"on": True, "i": 1}]


def test_selectattr_eq() -> None:
    users = [{"role": "admin", "n": 1}, {"role": "user", "n": 2}]
    assert f.selectattr(ENV, users, "role", "eq", "admin") == [{"role": "admin", "n": 1}]


def test_selectattr_on_objects_dotted() -> None:
    posts = [Post("1", 0, Author("ann")), Post("2", 0, Author("bob"))]
    result = f.selectattr(ENV, posts, "author.name", "equalto", "bob")
    assert [p.title for p in result] == ["2"]


def test_rejectattr_test() -> None:
    rows = [{"w": None}, {"w": 3}]
    assert f.rejectattr(ENV, rows, "w", "none") == [{"w": 3}]


def test_rejectattr_falsy() -> None:
    rows = [{"w": 0}, {"w": 3}]
    assert f.rejectattr(ENV, rows, "w") == [{"w": 0}]


# batch / slice / take / skip / compact


def test_batch() -> None:
    assert f.batch(range(5), 2) == [[0, 1], [2, 3], [4]]


def test_batch_fill_with() -> None:
    assert f.batch(range(5), 3, "-") == [[0, 1, 2], [3, 4, "-"]]


def test_batch_empty() -> None:
    assert f.batch([], 3, 0) == []


def test_batch_zero_raises() -> None:
    with pytest.raises(ValueError):
        f.batch([1], 0)


def test_slice() -> None:
    assert f.slice_filter(range(7), 3) == [[0, 1, 2], [3, 4], [5, 6]]


def test_slice_fill_with() -> None:
    assert f.slice_filter(range(7), 3, None) == [[0, 1, 2], [3, 4], [5, 6]]
    assert f.slice_filter(range(7), 3, "x") == [[0, 1, 2], [3, 4, "x"], [5, 6, "x"]]


def test_slice_even_split_pads_every_column() -> None:
    assert f.slice_filter(range(4), 2, "x") == [[0, 1, "x"], [2, 3, "x"]]


def test_slice_more_columns_than_items() -> None:
    assert f.slice_filter([1], 3) == [[1], [], []]


def test_slice_zero_raises() -> None:
    with pytest.raises(ValueError):
        f.slice_filter([1], 0)


def test_take() -> None:
    assert f.take(range(10), 3) == [0, 1, 2]


def test_take_more_than_available() -> None:
    assert f.take([1], 5) == [1]


def test_skip() -> None:
    assert f.skip(range(5), 3) == [3, 4]


def test_take_skip_accept_int_strings() -> None:
    assert f.take("abc", "2") == ["a", "b"]
    assert f.skip("abc", "2") == ["c"]


def test_compact() -> None:
    assert f.compact([0, 1, None, "", "a", False, []]) == [1, "a"]


def test_compact_only_none() -> None:
    assert f.compact([0, None, "", False], truthy=False) == [0, "", False]


# min / max / sum


def test_min_max() -> None:
    assert f.min_filter(ENV, [3, 1, 2]) == 1
    assert f.max_filter(ENV, [3, 1, 2]) == 3


def test_min_max_attribute() -> None:
    rows = [{"n": 3}, {"n": 1}]
    assert f.min_filter(ENV, rows, "n") == {"n": 1}
    assert f.max_filter(ENV, rows, attribute="n") == {"n": 3}


def test_min_max_case_insensitive_strings() -> None:
    assert f.min_filter(ENV, ["b", "A", "c"]) == "A"
    assert f.max_filter(ENV, ["B", "a"], case_sensitive=True) == "a"


def test_min_max_empty() -> None:
    assert f.min_filter(ENV, []) is None
    assert f.max_filter(ENV, []) is None


def test_sum() -> None:
    assert f.sum_filter(ENV, [1, 2, 3]) == 6


def test_sum_attribute_and_start() -> None:
    rows = [{"price": 2.5}, {"price": 1.5}]
    assert f.sum_filter(ENV, rows, "price", start=10) == 14.0


def test_sum_dotted_attribute() -> None:
    posts = [Post("a", 2, Author("")), Post("b", 3, Author(""))]
    assert f.sum_filter(ENV, posts, attribute="weight") == 5


# attr / get


def test_attr_object() -> None:
    assert f.attr(ENV, Author("ann"), "name") == "ann"


def test_attr_mapping_key_first() -> None:
    assert f.attr(ENV, {"items": 3}, "items") == 3


def test_attr_missing_strict_raises() -> None:
    with pytest.raises(UndefinedError):
        f.attr(ENV, Author("ann"), "age")


def test_get_mapping_avoids_method_clash() -> None:
    assert f.get(ENV, {"items": [1]}, "items") == [1]


def test_get_mapping_default() -> None:
    assert f.get(ENV, {}, "missing", "dflt") == "dflt"


def test_get_object_attribute() -> None:
    assert f.get(ENV, Author("ann"), "name") == "ann"


def test_get_object_missing_in_strict_env() -> None:
    assert f.get(ENV, Author("ann"), "age", 0) == 0


def test_get_object_missing_in_lenient_env() -> None:
    assert f.get(StubEnv(strict=False), Author("ann"), "age", 0) == 0


def test_get_sequence_index() -> None:
    assert f.get(ENV, ["a", "b"], 1) == "b"
    assert f.get(ENV, ["a"], 5, "none") == "none"


# random / shuffle


def test_random_picks_an_item() -> None:
    assert f.random([4, 5, 6]) in {4, 5, 6}


def test_random_from_iterable() -> None:
    assert f.random(x for x in [7]) == 7


def test_random_empty_raises() -> None:
    with pytest.raises(IndexError):
        f.random([])


def test_shuffle_returns_permutation_copy() -> None:
    items = list(range(20))
    result = f.shuffle(items)
    assert sorted(result) == items
    assert result is not items
    assert items == list(range(20))


# registration markers

ENV_FILTERS = [
    "join", "sort", "unique", "groupby", "map", "select", "reject", "selectattr",
    "rejectattr", "min", "max", "sum", "attr", "get",
]  # fmt: skip


@pytest.mark.parametrize("name", ENV_FILTERS)
def test_attribute_filters_pass_environment(name: str) -> None:
    assert wants_environment(DEFAULT_FILTERS[name])


@pytest.mark.parametrize("name", ["first", "last", "length", "count", "join"])
def test_pure_collection_filters_are_marked(name: str) -> None:
    assert is_pure(DEFAULT_FILTERS[name])


@pytest.mark.parametrize("name", ["random", "shuffle", "sort", "map"])
def test_impure_collection_filters_are_not_marked(name: str) -> None:
    assert not is_pure(DEFAULT_FILTERS[name])
