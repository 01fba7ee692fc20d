"""Extends chains resolved once per template: reused, revalidated, and rebuilt on change."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from kida_core import (
    Environment,
    TemplateNotFoundError,
    TemplateRuntimeError,
    TemplateSyntaxError,
)
from kida_loaders import DictLoader, FileSystemLoader

BASE = "<main>{% block content %}base{% end %}</main>"
CHILD = '{% extends "base.html" %}{% block content %}child+{{ super() }}{% end %}'


def write(path: Path, text: str) -> None:
    """Replace ``path`` at once (readers see the old or the new text, never a torn
    one), with a later modification time so a stat sees the change."""
    fresh = path.with_suffix(".tmp")
    fresh.write_text(text)
    stat = fresh.stat()
    later = path.stat().st_mtime_ns + 1_000_000_000 if path.exists() else stat.st_mtime_ns
    os.utime(fresh, ns=(stat.st_atime_ns, later))
    os.replace(fresh, path)


def site(tmp_path: Path, **extra: str) -> Path:
    write(tmp_path / "base.html", BASE)
    write(tmp_path / "child.html", CHILD)
    for name, text in extra.items():
        write(tmp_path / f"{name}.html", text)
    return tmp_path


def test_edited_parent_is_picked_up_on_the_next_render_with_auto_reload(tmp_path: Path) -> None:
    env = Environment(loader=FileSystemLoader(site(tmp_path)), auto_reload=True)
    child = env.get_template("child.html")
    assert child.render() == "<main>child+base</main>"
    write(tmp_path / "base.html", "<section>{% block content %}new{% end %}</section>")
    assert child.render() == "<section>child+new</section>"


def test_edited_parent_is_not_reloaded_without_auto_reload(tmp_path: Path) -> None:
    env = Environment(loader=FileSystemLoader(site(tmp_path)), auto_reload=False)
    child = env.get_template("child.html")
    assert child.render() == "<main>child+base</main>"
    write(tmp_path / "base.html", "<section>{% block content %}new{% end %}</section>")
    assert child.render() == "<main>child+base</main>"


def test_cleared_cache_reloads_the_parent_without_auto_reload(tmp_path: Path) -> None:
    env = Environment(loader=FileSystemLoader(site(tmp_path)), auto_reload=False)
    child = env.get_template("child.html")
    child.render()
    write(tmp_path / "base.html", "<section>{% block content %}new{% end %}</section>")
    env.clear_template_cache(["base.html"])
    assert child.render() == "<section>child+new</section>"


def test_edited_grandparent_is_picked_up_through_an_extends_only_parent(tmp_path: Path) -> None:
    mid = '{% extends "base.html" %}{% block content %}mid+{{ super() }}{% end %}'
    write(tmp_path / "mid.html", mid)
    env = Environment(loader=FileSystemLoader(site(tmp_path)), auto_reload=True)
    leaf_source = '{% extends "mid.html" %}{% block content %}leaf+{{ super() }}{% end %}'
    write(tmp_path / "leaf.html", leaf_source)
    leaf = env.get_template("leaf.html")
    assert leaf.render() == "<main>leaf+mid+base</main>"
    write(tmp_path / "base.html", "<p>{% block content %}b2{% end %}</p>")
    assert leaf.render() == "<p>leaf+mid+b2</p>"
    assert "".join(leaf.render_stream()) == "<p>leaf+mid+b2</p>"


def test_dynamic_parent_is_chosen_on_every_render() -> None:
    env = Environment(
        loader=DictLoader(
            {
                "a.html": "A[{% block x %}{% end %}]",
                "b.html": "B[{% block x %}{% end %}]",
                "page.html": "{% extends layout %}{% block x %}page{% end %}",
            }
        )
    )
    page = env.get_template("page.html")
    assert page.render(layout="a.html") == "A[page]"
    assert page.render(layout="b.html") == "B[page]"
    assert page.render(layout="a.html") == "A[page]"


def test_parent_broken_by_an_edit_raises_and_recovers_once_fixed(tmp_path: Path) -> None:
    env = Environment(loader=FileSystemLoader(site(tmp_path)), auto_reload=True)
    child = env.get_template("child.html")
    assert child.render() == "<main>child+base</main>"
    write(tmp_path / "base.html", "<main>{% block content %}unclosed")
    with pytest.raises(TemplateSyntaxError) as info:
        child.render()
    assert "base.html" in str(info.value)
    with pytest.raises(TemplateSyntaxError):
        child.render()  # still broken: the failed compile left nothing behind
    write(tmp_path / "base.html", "<div>{% block content %}fixed{% end %}</div>")
    assert child.render() == "<div>child+fixed</div>"


def test_deleted_parent_gives_a_not_found_error_naming_the_child(tmp_path: Path) -> None:
    env = Environment(loader=FileSystemLoader(site(tmp_path)), auto_reload=True)
    child = env.get_template("child.html")
    child.render()
    (tmp_path / "base.html").unlink()
    with pytest.raises(TemplateNotFoundError, match=r"base\.html") as info:
        child.render()
    assert "child.html" in str(info.value)


def test_child_with_top_level_code_goes_through_an_extends_only_parent() -> None:
    env = Environment(
        loader=DictLoader(
            {
                "base.html": "{% block a %}{{ title }}{% end %}|{% block b %}b{% end %}",
                "mid.html": '{% extends "base.html" %}{% block b %}mid+{{ super() }}{% end %}',
                "leaf.html": '{% set title = "T" %}{% extends "mid.html" %}'
                "{% block b %}leaf+{{ super() }}{% end %}",
            }
        )
    )
    leaf = env.get_template("leaf.html")
    assert leaf.render() == "T|leaf+mid+b"
    assert "".join(leaf.render_stream()) == "T|leaf+mid+b"


def test_error_in_the_root_names_each_extends_with_its_line() -> None:
    env = Environment(
        loader=DictLoader(
            {
                "base.html": "{% block a %}{{ 1 // zero }}{% end %}",
                "mid.html": '\n\n{% extends "base.html" %}',
                "leaf.html": '\n{% extends "mid.html" %}{% block x %}{% end %}',
                "coded.html": '{% set v = 1 %}\n{% extends "mid.html" %}',
            }
        )
    )
    for name, first in (("leaf.html", ("leaf.html", 2)), ("coded.html", ("coded.html", 2))):
        with pytest.raises(TemplateRuntimeError) as info:
            env.get_template(name).render(zero=0)
        assert info.value.template_stack == [first, ("mid.html", 3)]


def test_extends_cycle_through_extends_only_templates_is_reported() -> None:
    env = Environment(
        loader=DictLoader(
            {
                "a.html": '{% extends "b.html" %}{% block x %}{% end %}',
                "b.html": '{% extends "a.html" %}{% block x %}{% end %}',
            }
        )
    )
    with pytest.raises(TemplateRuntimeError, match="Circular extends"):
        env.get_template("a.html").render()


def test_threads_render_a_child_while_its_parent_is_edited(tmp_path: Path) -> None:
    env = Environment(loader=FileSystemLoader(site(tmp_path)), auto_reload=True)
    child = env.get_template("child.html")
    allowed = {"<main>child+base</main>", "<main>child+edited</main>"}
    seen: set[str] = set()
    failures: list[BaseException] = []
    lock = threading.Lock()
    stop = threading.Event()

    def render() -> None:
        try:
            while not stop.is_set():
                out = child.render()
                with lock:
                    seen.add(out)
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)

    workers = [threading.Thread(target=render) for _ in range(4)]
    for worker in workers:
        worker.start()
    for text in ("edited", "base", "edited"):
        write(tmp_path / "base.html", "<main>{% block content %}" + text + "{% end %}</main>")
    stop.set()
    for worker in workers:
        worker.join()
    assert failures == []
    assert seen <= allowed
    assert child.render() == "<main>child+edited</main>"
