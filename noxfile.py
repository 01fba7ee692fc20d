"""Development sessions: ``nox -l`` lists them, ``nox -s NAME`` runs one.

Every session installs the workspace with ``uv sync`` into its own virtualenv,
so it tests exactly what ``uv run`` uses. Outside CI, Python versions that are
not installed are skipped; in CI (``CI`` set) 3.11 is required and the newer
versions run when uv can find them.
"""

from __future__ import annotations

import os
import subprocess

import nox

nox.options.default_venv_backend = "uv"
nox.options.download_python = "never"
nox.options.sessions = ["tests", "lint", "types", "docs"]

IN_CI = "CI" in os.environ
nox.options.error_on_missing_interpreters = IN_CI

SUPPORTED = ("3.11", "3.12", "3.13")


def _uv_finds(version: str) -> bool:
    found = subprocess.run(["uv", "python", "find", version], capture_output=True, check=False)
    return found.returncode == 0


PYTHONS = [v for v in SUPPORTED if v == SUPPORTED[0] or _uv_finds(v)] if IN_CI else list(SUPPORTED)


def _sync(session: nox.Session, *args: str) -> None:
    """Install the workspace (editable) and the ``dev`` group into the session's venv."""
    session.run_install(
        "uv",
        "sync",
        "--active",
        "--group",
        "dev",
        *args,
        env={"UV_PROJECT_ENVIRONMENT": session.virtualenv.location},
    )


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """Run the test suite of every package."""
    _sync(session)
    session.run("pytest", *session.posargs)


@nox.session(python=SUPPORTED[0])
def lint(session: nox.Session) -> None:
    """Check style and formatting with ruff, and the import contracts with import-linter."""
    _sync(session)  # import-linter reads the installed packages
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("lint-imports")


@nox.session(python=SUPPORTED[0])
def types(session: nox.Session) -> None:
    """Type-check the packages' sources with mypy."""
    _sync(session)
    session.run("mypy", *session.posargs)


@nox.session(python=SUPPORTED[0])
def docs(session: nox.Session) -> None:
    """Build the documentation site, failing on any warning."""
    _sync(session)
    session.run("mkdocs", "build", "--strict", *session.posargs)


@nox.session(python=SUPPORTED[0])
def dist(session: nox.Session) -> None:
    """Build every distribution with uv and check each wheel's metadata and files."""
    session.run("python", "tools/check_dist.py", *session.posargs)


@nox.session(python=SUPPORTED[0])
def bench(session: nox.Session) -> None:
    """Compare render times of Kida, Jinja2 and hand-written Python."""
    _sync(session)
    session.run("python", "benchmarks/run.py", *session.posargs)
    session.run("python", "benchmarks/cold_start.py")
    session.run("python", "benchmarks/analysis_cost.py", env={"PYTHONPATH": "benchmarks"})
    session.run("python", "benchmarks/sandbox_overhead.py")
