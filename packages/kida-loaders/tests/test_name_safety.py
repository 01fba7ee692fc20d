"""Template names can never reach outside a loader's root (rule in kida_loaders.paths)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kida_core.errors import TemplateNotFoundError
from kida_loaders import FileSystemLoader
from kida_loaders.paths import split_template_name


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A search root inside ``tmp_path``, next to a ``secret.html`` that must stay out of reach."""
    (tmp_path / "secret.html").write_text("secret", encoding="utf-8")
    root = tmp_path / "templates"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "page.html").write_text("page", encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("../secret.html", "'..' segment"),
        ("sub/../../secret.html", "'..' segment"),
        ("sub/../page.html", "'..' segment"),
        ("/etc/passwd", "absolute"),
        ("\\windows\\win.ini", "absolute"),
        ("C:\\secret.html", "Windows drive"),
        ("C:secret.html", "Windows drive"),
        ("sub/C:secret.html", "Windows drive"),
        ("page.html\x00.txt", "NUL byte"),
        ("sub\\page.html", "backslash"),
        ("", "empty"),
        ("./", "empty"),
    ],
)
def test_unsafe_names_are_refused_with_the_reason(root: Path, name: str, reason: str) -> None:
    with pytest.raises(TemplateNotFoundError, match=f"refused: .*{re.escape(reason)}"):
        FileSystemLoader(root).get_source(name)


def test_split_template_name_drops_dot_and_empty_segments() -> None:
    assert split_template_name("./a//b/./c.html") == ("a", "b", "c.html")


def test_dots_inside_a_segment_are_ordinary_characters(root: Path) -> None:
    (root / "..page..html").write_text("dots", encoding="utf-8")
    assert FileSystemLoader(root).get_source("..page..html")[0] == "dots"


def test_a_symlink_inside_the_root_is_allowed(root: Path) -> None:
    (root / "alias.html").symlink_to(root / "sub" / "page.html")
    assert FileSystemLoader(root).get_source("alias.html")[0] == "page"


def test_a_symlinked_directory_inside_the_root_is_allowed(root: Path) -> None:
    (root / "linked").symlink_to(root / "sub", target_is_directory=True)
    assert FileSystemLoader(root).get_source("linked/page.html")[0] == "page"


def test_a_symlink_pointing_outside_the_root_is_refused(root: Path) -> None:
    (root / "escape.html").symlink_to(root.parent / "secret.html")
    loader = FileSystemLoader(root)
    with pytest.raises(TemplateNotFoundError, match="resolves outside its search path"):
        loader.get_source("escape.html")


def test_a_symlinked_directory_pointing_outside_is_refused(root: Path) -> None:
    (root / "up").symlink_to(root.parent, target_is_directory=True)
    with pytest.raises(TemplateNotFoundError, match="resolves outside"):
        FileSystemLoader(root).get_source("up/secret.html")


def test_list_templates_leaves_out_symlinks_pointing_outside(root: Path) -> None:
    (root / "escape.html").symlink_to(root.parent / "secret.html")
    (root / "alias.html").symlink_to(root / "sub" / "page.html")
    assert FileSystemLoader(root).list_templates() == ["alias.html", "sub/page.html"]


def test_a_symlinked_root_directory_itself_is_fine(root: Path, tmp_path: Path) -> None:
    linked_root = tmp_path / "linked-root"
    linked_root.symlink_to(root, target_is_directory=True)
    loader = FileSystemLoader(linked_root)
    assert loader.get_source("sub/page.html") == ("page", str(linked_root / "sub" / "page.html"))
    assert loader.list_templates() == ["sub/page.html"]
