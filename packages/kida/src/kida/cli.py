"""The ``kida`` command: render a template, syntax-check a directory of them, extract messages."""

from __future__ import annotations

import argparse
import json
import os
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from kida import __version__, cli_extract
from kida.cli_check import (
    DEFAULT_EXTENSIONS,
    CheckedFile,
    NotOnSearchPath,
    StandIns,
    checked_files,
    normalize_extensions,
)
from kida_analysis.i18n import DEFAULT_KEYWORDS, KeywordSpec, parse_keyword
from kida_core.environment import Environment
from kida_core.errors import TemplateError
from kida_core.names import resolve_template_name
from kida_core.nodes import TemplateNode
from kida_core.parser import parse
from kida_core.plugins import LOADERS
from kida_core.protocols import Loader
from kida_core.references import template_references
from kida_core.template import Template
from kida_loaders import FileSystemLoader

EXIT_OK = 0
EXIT_TEMPLATE_ERROR = 1
EXIT_USAGE = 2

EPILOG = f"""\
exit status:
  {EXIT_OK}  success
  {EXIT_TEMPLATE_ERROR}  a template failed to compile or render (the error is printed to stderr)
  {EXIT_USAGE}  usage error, unknown loader, or a data/output file that could not be read or written
     (including output that the output encoding cannot represent)

`kida render TEMPLATE` loads TEMPLATE from its directory, so it can use the
templates next to it; with --loader NAME[:ARG], TEMPLATE is a name given to
the loader registered as NAME in the `kida.loaders` entry-point group (for
example --loader filesystem:templates/ or --loader package:my_app).

`kida check DIR` compiles the template files under DIR: by default those
ending in {" ".join(DEFAULT_EXTENSIONS)} (change the list with --ext),
outside directories whose names start with a dot and paths matching an
--exclude glob. It also reports literal extends/include/import targets that
do not exist. Template names are relative to --search-path (default: DIR).
Filters and tests that are not built in are warnings (declare the
application's own with --filter/--test); warnings fail only with --strict.

`kida extract DIR` writes the translatable messages of the templates under
DIR as a gettext catalog template (.pot); a file that cannot be read or
parsed is reported and skipped.
"""


class UsageError(Exception):
    """A problem with the command line or the files it names (exit status 2)."""


def _read_text(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {what} {str(path)!r}: {exc}") from exc


def _load_context(data: Path | None, pairs: Sequence[str]) -> dict[str, Any]:
    """Merge the ``--data`` JSON object with ``--var key=value`` pairs (vars win)."""
    context: dict[str, Any] = {}
    if data is not None:
        try:
            loaded = json.loads(_read_text(data, "data file"))
        except json.JSONDecodeError as exc:
            raise UsageError(f"invalid JSON in {str(data)!r}: {exc}") from exc
        except RecursionError as exc:
            raise UsageError(f"the JSON in {str(data)!r} is nested too deeply") from exc
        if not isinstance(loaded, dict):
            raise UsageError(f"{str(data)!r} must hold a JSON object, not {type(loaded).__name__}")
        context.update(loaded)
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UsageError(f"--var expects key=value, got {pair!r}")
        context[key] = value
    return context


def _load(env: Environment, name: str) -> Template:
    """Load and compile ``name``; compile-time warnings stay on ``Template.warnings``."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return env.get_template(name)


def _make_loader(spec: str) -> Loader:
    """A loader from ``NAME[:ARG]`` through the ``kida.loaders`` entry points."""
    name, _, arg = spec.partition(":")
    try:
        factory = LOADERS.factory(name)
    except (LookupError, ImportError, TypeError) as exc:
        raise UsageError(str(exc)) from exc
    try:
        return factory(arg) if arg else factory()
    except Exception as exc:
        raise UsageError(f"cannot create loader {spec!r}: {exc}") from exc


def _describe(exc: Exception) -> str:
    """Kida's own formatted message, or the type and message of anything unexpected."""
    return str(exc) if isinstance(exc, TemplateError) else f"{type(exc).__name__}: {exc}"


def _print_warnings(template: Template) -> None:
    for warning in template.warnings:
        _print_error(f"warning: {warning.format_message()}")


def _print_error(text: str) -> None:
    """Print a line to stderr."""
    _print(text, sys.stderr)


def _print(text: str, stream: TextIO) -> None:
    """Print a report line; characters the stream's encoding lacks are written as escapes."""
    encoding = stream.encoding or "utf-8"
    print(text.encode(encoding, "backslashreplace").decode(encoding), file=stream, flush=True)


def _one_line(text: str) -> str:
    """``text`` with its line breaks folded into spaces."""
    return " ".join(text.split())


def _render(args: argparse.Namespace) -> int:
    context = _load_context(args.data, args.var)
    if args.loader is not None:
        env = Environment(
            loader=_make_loader(args.loader), keep_trailing_newline=args.keep_trailing_newline
        )
        name = args.template
    else:
        path = Path(args.template)
        if not path.is_file():
            raise UsageError(f"no such template file: {args.template!r}")
        env = Environment(
            loader=FileSystemLoader(path.parent), keep_trailing_newline=args.keep_trailing_newline
        )
        name = path.name
    try:
        template = _load(env, name)
        _print_warnings(template)
        output = template.render(context)
    except Exception as exc:
        _print_error(_describe(exc))
        return EXIT_TEMPLATE_ERROR
    if args.output is None:
        _write_stdout(output)
        return EXIT_OK
    try:
        args.output.write_text(output, encoding="utf-8")
    except (OSError, UnicodeError) as exc:
        raise UsageError(f"cannot write {str(args.output)!r}: {exc}") from exc
    return EXIT_OK


def _write_stdout(output: str) -> None:
    """Write the rendered output; an encoding or pipe failure is a usage error."""
    try:
        sys.stdout.write(output)
        sys.stdout.flush()
    except UnicodeEncodeError as exc:
        raise UsageError(
            f"cannot write the output to standard output: {exc} "
            "(set PYTHONIOENCODING=utf-8, or write a UTF-8 file with -o FILE)"
        ) from exc
    except OSError as exc:
        # The interpreter flushes stdout again at exit; point it at /dev/null
        # so that flush cannot fail a second time and print a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        raise UsageError(f"cannot write the output to standard output: {exc}") from exc


def _indent(text: str) -> str:
    return "\n".join(f"    {line}" if line else line for line in text.splitlines())


def _check(args: argparse.Namespace) -> int:
    directory: Path = args.directory
    if not directory.is_dir():
        raise UsageError(f"not a directory: {str(directory)!r}")
    search_paths: list[Path] = args.search_path or [directory]
    for search_path in search_paths:
        if not search_path.is_dir():
            raise UsageError(f"--search-path is not a directory: {str(search_path)!r}")
    extensions = normalize_extensions(args.ext) if args.ext else DEFAULT_EXTENSIONS
    try:
        files = checked_files(directory, search_paths, extensions, args.exclude)
    except NotOnSearchPath as exc:
        raise UsageError(str(exc)) from exc
    loader = FileSystemLoader(search_paths)
    # Checking writes nothing: no bytecode cache next to the templates.
    env = Environment(
        loader=loader,
        auto_reload=False,
        bytecode_cache=False,
        validate_calls=args.validate_calls,
        template_aliases=_aliases(args.alias),
    )
    stand_ins = StandIns(env, args.filter, args.test)
    # Every file is read and parsed first, so the stand-ins for application filters
    # and tests all exist before the first template is compiled.
    prepared = [_prepare(env, loader, stand_ins, file) for file in files]
    failed = 0
    for file, (source, notes, problems) in zip(files, prepared, strict=True):
        template = None
        if source is not None:
            template, error = _compile(env, file, source)
            problems += error
        if template is not None:
            notes += [warning.format_message() for warning in template.warnings]
        if problems or (args.strict and notes):
            failed += 1
            _print_error(f"error  {file.name}")
            for problem in problems:
                _print_error(_indent(problem))
            for note in notes:
                _print_error(_indent(f"warning: {note}"))
            continue
        _print(f"ok     {file.name}", sys.stdout)
        for note in notes:
            _print(_indent(f"warning: {note}"), sys.stdout)
    noun = "template" if len(files) == 1 else "templates"
    _print(
        f"\nchecked {len(files)} {noun} in {directory}: "
        f"{len(files) - failed} ok, {failed} with errors",
        sys.stdout,
    )
    return EXIT_TEMPLATE_ERROR if failed else EXIT_OK


def _aliases(pairs: Sequence[str]) -> dict[str, str]:
    """``--alias NAME=PREFIX`` pairs as the Environment's ``template_aliases``."""
    aliases: dict[str, str] = {}
    for pair in pairs:
        name, sep, prefix = pair.partition("=")
        if not sep or not name or not prefix:
            raise UsageError(f"--alias expects NAME=PREFIX, got {pair!r}")
        aliases[name.removeprefix("@")] = prefix
    return aliases


def _prepare(
    env: Environment, loader: Loader, stand_ins: StandIns, file: CheckedFile
) -> tuple[str | None, list[str], list[str]]:
    """Read and parse one file: its source (None if unreadable), warnings and problems.

    The file is read from its own search path: a file shadowed by one of the
    same name in an earlier search path is checked from its own source.
    """
    try:
        source, _ = FileSystemLoader(file.root).get_source(file.name)
    except TemplateError as exc:
        return None, [], [_describe(exc)]
    try:
        tree = parse(source, name=file.name)
    except TemplateError:
        return source, [], []  # reported when the template is compiled
    return source, stand_ins.cover(tree), _missing_references(env, loader, tree, file.name)


def _compile(env: Environment, file: CheckedFile, source: str) -> tuple[Template | None, list[str]]:
    """Compile one file: the template, or None and the error."""
    try:
        if file.shadowed:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return env.from_string(source, file.name), []
        return _load(env, file.name), []
    except Exception as exc:
        return None, [_describe(exc)]


def _missing_references(
    env: Environment, loader: Loader, tree: TemplateNode, name: str
) -> list[str]:
    """One line per literal extends/include/import target of ``name`` that does not exist."""
    problems: list[str] = []
    for ref in template_references(tree):
        if ref.optional or any(_exists(env, loader, target, name) for target in ref.names):
            continue
        wanted = " or ".join(repr(t) for t in ref.names)
        problems.append(f"{name}:{ref.lineno}: {{% {ref.kind} %}} target {wanted} not found")
    return problems


def _exists(env: Environment, loader: Loader, target: str, caller: str) -> bool:
    try:
        loader.get_source(resolve_template_name(target, caller, env.template_aliases))
    except TemplateError:
        return False
    return True


def _extract(args: argparse.Namespace) -> int:
    root = args.directory.resolve()
    if not root.is_dir():
        _print_error(f"kida extract: not a directory: {root}")
        return EXIT_USAGE
    keywords: dict[str, KeywordSpec] = dict(DEFAULT_KEYWORDS)
    for text in args.keyword:
        try:
            name, spec = parse_keyword(text)
        except ValueError as exc:
            raise UsageError(str(exc)) from exc
        keywords[name] = spec
    extensions = cli_extract.with_dots(args.ext) if args.ext else cli_extract.DEFAULT_EXTENSIONS
    messages = []
    for path, name in cli_extract.template_files(root, extensions):
        try:
            messages += cli_extract.extract_file(path, name, keywords, args.add_comments)
        except (OSError, UnicodeDecodeError, TemplateError) as exc:
            _print_error(f"kida extract: {name}: {_describe(exc)}")
    entries = cli_extract.collect(messages)
    pot = cli_extract.render_pot(entries, sort=args.sort_output, locations=not args.no_location)
    if args.output is None:
        _write_stdout(pot)
        return EXIT_OK
    try:
        args.output.write_text(pot, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {str(args.output)!r}: {exc}") from exc
    _print_error(f"Extracted {len(entries)} unique message(s) to {args.output}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``kida`` command."""
    parser = argparse.ArgumentParser(
        prog="kida",
        description="Render Kida templates, check them for errors, extract their messages.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"kida {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    render = commands.add_parser(
        "render",
        help="render a template to stdout or a file",
        description="Render TEMPLATE with a context built from --data and --var.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    render.add_argument(
        "template", metavar="TEMPLATE", help="template file (or, with --loader, template name)"
    )
    render.add_argument(
        "--loader",
        metavar="NAME[:ARG]",
        help="load TEMPLATE with the loader registered as NAME (entry-point group kida.loaders)",
    )
    render.add_argument(
        "--data", type=Path, metavar="FILE.json", help="JSON object whose keys become variables"
    )
    render.add_argument(
        "--var",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="set a string variable (repeatable; overrides --data)",
    )
    render.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write here instead of stdout"
    )
    render.add_argument(
        "--keep-trailing-newline",
        action="store_true",
        help="keep the template's final newline (dropped by default, as in Jinja2)",
    )
    render.set_defaults(handler=_render)

    check = commands.add_parser(
        "check",
        help="compile every template under a directory and report errors",
        description="Compile every template file under DIR (recursively) and report errors.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check.add_argument("directory", type=Path, metavar="DIR", help="directory to check")
    check.add_argument(
        "--search-path",
        action="append",
        type=Path,
        metavar="PATH",
        help="directory template names are relative to, searched in order (repeatable; "
        "default: DIR); DIR must be inside one of them",
    )
    check.add_argument(
        "--ext",
        action="append",
        metavar="EXT",
        help="check files ending in EXT (repeatable; replaces the default list "
        f"{' '.join(DEFAULT_EXTENSIONS)})",
    )
    check.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="GLOB",
        help="skip files and directories whose path relative to DIR matches GLOB (repeatable)",
    )
    check.add_argument(
        "--alias",
        action="append",
        default=[],
        metavar="NAME=PREFIX",
        help="resolve @NAME/x.html to PREFIX/x.html, as the application's template_aliases "
        "do (repeatable)",
    )
    check.add_argument(
        "--filter",
        action="append",
        default=[],
        metavar="NAME",
        help="a filter the application registers (repeatable): not reported as unknown",
    )
    check.add_argument(
        "--test",
        action="append",
        default=[],
        metavar="NAME",
        help="a test the application registers (repeatable): not reported as unknown",
    )
    check.add_argument(
        "--strict",
        action="store_true",
        help="a template with warnings (unknown filters or tests, compile warnings) fails",
    )
    check.add_argument(
        "--validate-calls",
        action="store_true",
        # argparse %-formats help strings: a literal percent sign is written %%.
        help="also check every {%% def %%} call against the def's signature (K-CMP-001)",
    )
    check.set_defaults(handler=_check)

    extract = commands.add_parser(
        "extract",
        help="write the translatable messages of a directory of templates as a .pot file",
        description="Extract the {% trans %} blocks and gettext calls (_, _n, gettext, "
        "ngettext, pgettext, npgettext) of every template under TEMPLATE_DIR (recursively) "
        "into a gettext catalog template (.pot).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    extract.add_argument("directory", type=Path, metavar="TEMPLATE_DIR", help="directory to scan")
    extract.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write the catalog here instead of stdout"
    )
    extract.add_argument(
        "--ext",
        action="append",
        metavar="EXT",
        help="read files ending in EXT (repeatable; replaces the default list "
        f"{' '.join(cli_extract.DEFAULT_EXTENSIONS)})",
    )
    extract.add_argument(
        "-k",
        "--keyword",
        action="append",
        default=[],
        metavar="NAME[:ARGS]",
        help="also extract calls of NAME (repeatable); ARGS gives the argument positions of "
        "the message and plural, 'c' marks the context: tr, ntr:1,2, ptr:1c,2",
    )
    extract.add_argument(
        "-c",
        "--add-comments",
        action="append",
        default=[],
        metavar="TAG",
        help="write template comments starting with TAG on the message's line or the line "
        "before as translator comments (#.) (repeatable)",
    )
    extract.add_argument("--sort-output", action="store_true", help="order the messages by msgid")
    extract.add_argument(
        "--no-location", action="store_true", help="leave out the #: file:line references"
    )
    extract.set_defaults(handler=_extract)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``kida`` command and return its exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        status: int = args.handler(args)
    except UsageError as exc:
        _print_error(f"kida: error: {_one_line(str(exc))}")
        return EXIT_USAGE
    except OSError as exc:  # e.g. a directory that cannot be listed
        _print_error(f"kida: error: {_one_line(str(exc))}")
        return EXIT_USAGE
    return status
