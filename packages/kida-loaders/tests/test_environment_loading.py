"""Environment.get_template over real files: caching, auto-reload, threads, errors."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from kida_core import Environment, ErrorCode, TemplateNotFoundError, TemplateSyntaxError
from kida_core.errors import PrecedenceWarning
from kida_loaders import FileSystemLoader


def write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def touch_later(path: Path, seconds: int = 5) -> None:
    """Move the mtime forward so the change is visible whatever the clock granularity."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + seconds * 1_000_000_000))


@pytest.fixture
def root(tmp_path: Path) -> Path:
    write(tmp_path, "hello.html", "Hello, {{ name }}!")
    write(tmp_path, "pages/about.html", "About {{ site }}")
    return tmp_path


def test_get_template_loads_by_name(root: Path) -> None:
    env = Environment(loader=FileSystemLoader(root))
    template = env.get_template("hello.html")
    assert template.render(name="Ada") == "Hello, Ada!"
    assert template.name == "hello.html"
    assert template.filename == str(root / "hello.html")


def test_env_render_loads_and_renders(root: Path) -> None:
    env = Environment(loader=FileSystemLoader(root))
    assert env.render("pages/about.html", site="Kida") == "About Kida"


def test_templates_are_cached(root: Path) -> None:
    env = Environment(loader=FileSystemLoader(root))
    assert env.get_template("hello.html") is env.get_template("hello.html")
    info = env.cache_info()["template"]
    assert (info["size"], info["hits"], info["misses"]) == (1, 1, 1)


def test_an_edited_file_is_picked_up_without_restart(root: Path) -> None:
    env = Environment(loader=FileSystemLoader(root))
    assert env.render("hello.html", name="A") == "Hello, A!"
    path = write(root, "hello.html", "Bye, {{ name }}!")
    touch_later(path)
    assert env.render("hello.html", name="A") == "Bye, A!"


def test_without_auto_reload_the_cached_template_stays(root: Path) -> None:
    env = Environment(loader=FileSystemLoader(root), auto_reload=False)
    env.get_template("hello.html")
    touch_later(write(root, "hello.html", "changed"))
    assert env.render("hello.html", name="A") == "Hello, A!"


def test_a_deleted_file_raises_template_not_found(root: Path) -> None:
    env = Environment(loader=FileSystemLoader(root))
    env.get_template("hello.html")
    (root / "hello.html").unlink()
    with pytest.raises(TemplateNotFoundError, match=r"hello\.html"):
        env.get_template("hello.html")
    assert env.cache_info()["template"]["size"] == 0


def test_a_failed_compile_leaves_the_cache_as_it_was(root: Path) -> None:
    env = Environment(loader=FileSystemLoader(root))
    env.get_template("hello.html")
    touch_later(write(root, "hello.html", "{% if %}"))
    with pytest.raises(TemplateSyntaxError):
        env.get_template("hello.html")
    assert env.cache_info()["template"]["size"] == 1
    touch_later(write(root, "hello.html", "Fixed {{ name }}"), seconds=10)
    assert env.render("hello.html", name="A") == "Fixed A"


def test_the_lru_bound_is_honoured(tmp_path: Path) -> None:
    for i in range(10):
        write(tmp_path, f"t{i}.html", f"{i}")
    env = Environment(loader=FileSystemLoader(tmp_path), cache_size=3)
    for i in range(10):
        env.get_template(f"t{i}.html")
    assert env.cache_info()["template"]["size"] == 3
    first = env.get_template("t9.html")
    assert env.get_template("t9.html") is first


def test_cache_size_zero_disables_caching(root: Path) -> None:
    env = Environment(loader=FileSystemLoader(root), cache_size=0)
    assert env.get_template("hello.html") is not env.get_template("hello.html")
    assert env.cache_info()["template"]["size"] == 0


def test_negative_cache_size_is_unbounded(tmp_path: Path) -> None:
    for i in range(50):
        write(tmp_path, f"t{i}.html", f"{i}")
    env = Environment(loader=FileSystemLoader(tmp_path), cache_size=-1)
    for i in range(50):
        env.get_template(f"t{i}.html")
    assert env.cache_info()["template"]["size"] == 50


def test_clear_cache_and_clear_template_cache(root: Path) -> None:
    env = Environment(loader=FileSystemLoader(root))
    env.get_template("hello.html")
    env.get_template("pages/about.html")
    env.clear_template_cache(["hello.html"])
    assert env.cache_info()["template"]["size"] == 1
    env.clear_cache()
    assert env.cache_info()["template"]["size"] == 0


class CountingLoader(FileSystemLoader):
    """A FileSystemLoader that counts how often each source is read."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.reads: list[str] = []
        self._lock = threading.Lock()

    def get_source(self, name: str) -> tuple[str, str | None]:
        with self._lock:
            self.reads.append(name)
        return super().get_source(name)


def test_many_threads_asking_for_one_template_compile_it_once(root: Path) -> None:
    loader = CountingLoader(root)
    env = Environment(loader=loader)
    barrier = threading.Barrier(16)
    results: list[object] = []

    def worker() -> None:
        barrier.wait()
        results.append(env.get_template("hello.html"))

    threads = [threading.Thread(target=worker) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert loader.reads == ["hello.html"]
    assert len({id(t) for t in results}) == 1


def test_many_threads_loading_different_templates(tmp_path: Path) -> None:
    for i in range(20):
        write(tmp_path, f"t{i}.html", f"<{i}>{{{{ x }}}}")
    env = Environment(loader=FileSystemLoader(tmp_path))
    errors: list[BaseException] = []

    def worker(offset: int) -> None:
        try:
            for round_ in range(30):
                i = (offset + round_) % 20
                assert env.render(f"t{i}.html", x=offset) == f"<{i}>{offset}"
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert env.cache_info()["template"]["size"] == 20


def test_not_found_lists_search_paths_and_suggests_close_names(root: Path) -> None:
    env = Environment(loader=FileSystemLoader(root))
    with pytest.raises(TemplateNotFoundError) as info:
        env.get_template("helo.html")
    message = str(info.value)
    assert str(root) in message
    assert "Did you mean: 'hello.html'?" in message
    assert info.value.code is ErrorCode.TEMPLATE_NOT_FOUND


def test_not_found_names_the_requesting_template_and_line(root: Path) -> None:
    env = Environment(loader=FileSystemLoader(root))
    with pytest.raises(TemplateNotFoundError, match=r"Requested by pages/about.html:7"):
        env.get_template("nav.html", caller=("pages/about.html", 7))


def test_relative_names_resolve_from_the_caller(root: Path) -> None:
    write(root, "pages/nav.html", "nav")
    env = Environment(loader=FileSystemLoader(root))
    assert env.get_template("./nav.html", caller="pages/about.html").render() == "nav"
    assert env.get_template("../hello.html", caller="pages/about.html").name == "hello.html"


def test_relative_names_cannot_leave_the_root(root: Path) -> None:
    env = Environment(loader=FileSystemLoader(root))
    with pytest.raises(TemplateNotFoundError, match="above the template root"):
        env.get_template("../../etc/passwd", caller="pages/about.html")


def test_relative_names_need_a_caller(root: Path) -> None:
    env = Environment(loader=FileSystemLoader(root))
    with pytest.raises(TemplateNotFoundError, match="needs a calling template"):
        env.get_template("./hello.html")


def test_aliases_resolve_before_loading(root: Path) -> None:
    env = Environment(loader=FileSystemLoader(root), template_aliases={"pages": "pages"})
    assert env.get_template("@pages/about.html").name == "pages/about.html"


def test_unknown_alias_lists_known_aliases(root: Path) -> None:
    env = Environment(loader=FileSystemLoader(root), template_aliases={"ui": "components"})
    with pytest.raises(TemplateNotFoundError, match="known aliases: @ui"):
        env.get_template("@layouts/base.html")


def test_list_templates_comes_from_the_loader(root: Path) -> None:
    env = Environment(loader=FileSystemLoader(root))
    assert env.list_templates() == ["hello.html", "pages/about.html"]


def test_get_template_without_loader_raises_k_run_016() -> None:
    with pytest.raises(TemplateNotFoundError) as info:
        Environment().get_template("x.html")
    assert info.value.code is ErrorCode.NO_LOADER
    assert "no loader" in str(info.value)


def test_a_symlink_swapped_to_point_outside_is_refused_on_reload(tmp_path: Path) -> None:
    root = tmp_path / "root"
    write(root, "inside.html", "inside")
    write(tmp_path, "secret.html", "secret")
    link = root / "page.html"
    link.symlink_to(root / "inside.html")
    env = Environment(loader=FileSystemLoader(root))
    assert env.render("page.html") == "inside"
    link.unlink()
    link.symlink_to(tmp_path / "secret.html")
    with pytest.raises(TemplateNotFoundError, match="resolves outside"):
        env.get_template("page.html")


def test_compile_warnings_point_at_the_code_that_asked_for_the_template(root: Path) -> None:
    write(root, "warned.html", "{{ items ?? [] | length }}")
    env = Environment(loader=FileSystemLoader(root))
    with pytest.warns(PrecedenceWarning) as caught:
        env.get_template("warned.html")
    assert [w.filename for w in caught] == [__file__]
