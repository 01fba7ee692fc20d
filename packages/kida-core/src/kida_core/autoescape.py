"""``select_autoescape``: turn autoescaping on or off by a template's real extension.

A template file often carries the engine's suffix after the extension of what it
produces (``page.html.kida``, ``email.txt.j2``). The policy built here looks past
that suffix: ``page.html.kida`` is decided as ``html``, ``notes.md.kida`` as
``md``, and ``page.kida``, which names no output format, gets the default.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

#: Suffixes that name the template engine rather than the output format.
ENGINE_SUFFIXES: frozenset[str] = frozenset({"kida", "jinja", "jinja2", "j2"})


def real_extension(name: str) -> str | None:
    """The lower-cased extension of the output ``name`` produces, or None if it names none.

    Only the last path segment counts (``a.html/readme`` has none); one trailing
    engine suffix is dropped first; a leading dot marks a hidden file, not an
    extension (``.html`` has none).
    """
    base = name.rpartition("/")[2].lower()
    stem, dot, extension = base.rpartition(".")
    if dot and stem and extension in ENGINE_SUFFIXES:
        stem, dot, extension = stem.rpartition(".")
    if not dot or not stem or not extension:
        return None
    return extension


def _extensions(argument: str, values: Iterable[str]) -> frozenset[str]:
    """``values`` lower-cased without a leading dot; refuses entries that could never match."""
    if isinstance(values, str):
        raise TypeError(
            f"select_autoescape({argument}=...) takes a collection of extensions, "
            f"got the string {values!r}; write ({values!r},)"
        )
    extensions: set[str] = set()
    for value in values:
        extension = value.lower().removeprefix(".")
        if not extension or "." in extension or "/" in extension:
            raise ValueError(
                f"select_autoescape({argument}=...) got {value!r}: give one extension "
                "such as 'html'; the engine suffix of 'page.html.kida' is ignored, "
                "so 'html' already matches it"
            )
        if extension in ENGINE_SUFFIXES:
            raise ValueError(
                f"select_autoescape({argument}=...) got {value!r}, an engine suffix: "
                "it is stripped before matching, so name the extension before it "
                "('html' for 'page.html.kida'); set default= for names without one"
            )
        extensions.add(extension)
    return frozenset(extensions)


def select_autoescape(
    enabled_extensions: Iterable[str] = ("html", "htm", "xml", "xhtml", "svg"),
    disabled_extensions: Iterable[str] = (),
    default_for_string: bool = True,
    default: bool = False,
) -> Callable[[str | None], bool]:
    """An autoescape policy for ``Environment(autoescape=...)``, decided by file extension.

    The returned function receives the template name (None for
    ``from_string``) and answers:

    * ``default_for_string`` for a template without a name;
    * True when the name's :func:`real_extension` is in ``enabled_extensions``
      (checked first), False when it is in ``disabled_extensions``;
    * ``default`` otherwise, including names without a real extension.

    Extensions are matched case-insensitively and may be given with or
    without their leading dot.
    """
    enabled = _extensions("enabled_extensions", enabled_extensions)
    disabled = _extensions("disabled_extensions", disabled_extensions)

    def autoescape(template_name: str | None) -> bool:
        """Whether the template ``template_name`` is HTML-escaped."""
        if template_name is None:
            return default_for_string
        extension = real_extension(template_name)
        if extension is None:
            return default
        if extension in enabled:
            return True
        if extension in disabled:
            return False
        return default

    return autoescape
