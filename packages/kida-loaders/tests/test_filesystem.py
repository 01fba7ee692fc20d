"""FileSystemLoader: search paths, encodings, listing and change detection on real files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kida_core.errors import ErrorCode, TemplateNotFoundError, TemplateSyntaxError
from kida_loaders import FileSystemLoader


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_loads_from_a_single_path_given_as_str(tmp_path: Path) -> None:
    write(tmp_path / "index.html", "Hello")
    loader = FileSystemLoader(str(tmp_path))
    assert loader.get_source("index.html") == ("Hello", str(tmp_path / "index.html"))


def test_names_use_slashes_for_subdirectories(tmp_path: Path) -> None:
    write(tmp_path / "pages" / "about.html", "About")
    source, _ = FileSystemLoader(tmp_path).get_source("pages/about.html")
    assert source == "About"


def test_dot_and_empty_segments_are_dropped(tmp_path: Path) -> None:
    write(tmp_path / "pages" / "about.html", "About")
    source, _ = FileSystemLoader(tmp_path).get_source("./pages//about.html")
    assert source == "About"


def test_filename_is_absolute_for_a_relative_search_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "templates" / "a.html", "A")
    monkeypatch.chdir(tmp_path)
    _, filename = FileSystemLoader("templates").get_source("a.html")
    assert filename == str(tmp_path / "templates" / "a.html")


def test_search_paths_are_absolute_paths_in_order(tmp_path: Path) -> None:
    loader = FileSystemLoader([tmp_path / "b", str(tmp_path / "a")])
    assert loader.search_paths == (tmp_path / "b", tmp_path / "a")


def test_first_search_path_with_the_file_wins(tmp_path: Path) -> None:
    write(tmp_path / "custom" / "page.html", "custom")
    write(tmp_path / "default" / "page.html", "default")
    write(tmp_path / "default" / "base.html", "base")
    loader = FileSystemLoader([tmp_path / "custom", tmp_path / "default"])
    assert loader.get_source("page.html")[0] == "custom"
    assert loader.get_source("base.html")[0] == "base"


def test_a_directory_with_the_name_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "first" / "page.html").mkdir(parents=True)
    write(tmp_path / "second" / "page.html", "file")
    loader = FileSystemLoader([tmp_path / "first", tmp_path / "second"])
    assert loader.get_source("page.html")[0] == "file"


def test_a_directory_alone_is_not_found_and_says_so(tmp_path: Path) -> None:
    (tmp_path / "page.html").mkdir()
    with pytest.raises(TemplateNotFoundError, match="is a directory"):
        FileSystemLoader(tmp_path).get_source("page.html")


def test_an_unreadable_file_is_not_found_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "secret.html", "x")

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(TemplateNotFoundError, match="cannot be read: Permission denied"):
        FileSystemLoader(tmp_path).get_source("secret.html")


def test_not_found_message_lists_every_search_path(tmp_path: Path) -> None:
    a, b = tmp_path / "templates", tmp_path / "shared"
    with pytest.raises(TemplateNotFoundError) as info:
        FileSystemLoader([a, b]).get_source("x.html")
    assert str(info.value) == f"Template 'x.html' not found in: {a}, {b}"
    assert info.value.code is ErrorCode.TEMPLATE_NOT_FOUND


def test_decodes_with_the_given_encoding(tmp_path: Path) -> None:
    (tmp_path / "latin.html").write_bytes("café".encode("latin-1"))
    source, _ = FileSystemLoader(tmp_path, encoding="latin-1").get_source("latin.html")
    assert source == "café"


def test_undecodable_file_names_file_encoding_byte_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.html"
    path.write_bytes(b"line one\ncaf\xe9\n")
    with pytest.raises(TemplateSyntaxError) as info:
        FileSystemLoader(tmp_path).get_source("bad.html")
    error = info.value
    assert error.code is ErrorCode.SYNTAX_ERROR
    assert error.message == (
        f"Cannot decode {path} as utf-8: invalid continuation byte at byte 12 (line 2)"
    )
    assert (error.filename, error.lineno) == (str(path), 2)
    assert "encoding=" in str(error)


def test_list_templates_is_sorted_relative_and_deduplicated(tmp_path: Path) -> None:
    write(tmp_path / "a" / "page.html", "")
    write(tmp_path / "a" / "sub" / "z.html", "")
    write(tmp_path / "b" / "page.html", "")
    write(tmp_path / "b" / "base.html", "")
    loader = FileSystemLoader([tmp_path / "a", tmp_path / "b"])
    assert loader.list_templates() == ["base.html", "page.html", "sub/z.html"]


def test_list_templates_skips_hidden_entries_and_pycache(tmp_path: Path) -> None:
    write(tmp_path / "page.html", "")
    write(tmp_path / ".page.html.swp", "")
    write(tmp_path / ".git" / "HEAD", "")
    write(tmp_path / "__pycache__" / "kida" / "x.pyc", "")
    assert FileSystemLoader(tmp_path).list_templates() == ["page.html"]


def test_list_templates_of_a_missing_directory_is_empty(tmp_path: Path) -> None:
    assert FileSystemLoader(tmp_path / "missing").list_templates() == []


def test_source_version_changes_after_an_edit(tmp_path: Path) -> None:
    path = write(tmp_path / "page.html", "old")
    loader = FileSystemLoader(tmp_path)
    before = loader.source_version("page.html")
    path.write_text("new", encoding="utf-8")
    mtime_ns = path.stat().st_mtime_ns + 1_000_000_000
    os.utime(path, ns=(mtime_ns, mtime_ns))
    assert loader.source_version("page.html") != before


def test_source_version_is_stable_without_changes(tmp_path: Path) -> None:
    write(tmp_path / "page.html", "same")
    loader = FileSystemLoader(tmp_path)
    assert loader.source_version("page.html") == loader.source_version("page.html")


def test_source_version_changes_when_an_earlier_path_gains_the_file(tmp_path: Path) -> None:
    write(tmp_path / "default" / "page.html", "default")
    loader = FileSystemLoader([tmp_path / "custom", tmp_path / "default"])
    before = loader.source_version("page.html")
    write(tmp_path / "custom" / "page.html", "default")
    assert loader.source_version("page.html") != before


def test_source_version_is_a_stat_token_taken_without_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "page.html", "x")
    monkeypatch.setattr(Path, "read_bytes", None)
    monkeypatch.setattr("builtins.open", None)
    info = path.stat()
    expected = (0, info.st_ino, info.st_mtime_ns, info.st_size)
    assert FileSystemLoader(tmp_path).source_version("page.html") == expected


def test_source_version_raises_after_deletion(tmp_path: Path) -> None:
    path = write(tmp_path / "page.html", "x")
    loader = FileSystemLoader(tmp_path)
    loader.source_version("page.html")
    path.unlink()
    with pytest.raises(TemplateNotFoundError, match="not found in"):
        loader.source_version("page.html")


def test_repr_shows_paths_and_encoding(tmp_path: Path) -> None:
    loader = FileSystemLoader([tmp_path], encoding="latin-1")
    assert repr(loader) == f"FileSystemLoader([{str(tmp_path)!r}], encoding='latin-1')"
