"""``kida.contrib.django`` imports without Django and says what is missing when used."""

from __future__ import annotations

import subprocess
import sys
import textwrap

# Runs in a fresh interpreter where importing any framework fails, as it does
# when none is installed.
BLOCKED = textwrap.dedent(
    """
    import sys

    class Blocker:
        def find_spec(self, name, path=None, target=None):
            if name.partition(".")[0] in {"django", "flask", "starlette"}:
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return None

    sys.meta_path.insert(0, Blocker())
    """
)


def run_blocked(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", BLOCKED + textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_module_imports_without_django() -> None:
    result = run_blocked(
        """
        import kida.contrib.django as adapter
        print(adapter.KidaTemplates.app_dirname, adapter.KidaTemplate.__name__)
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "kida KidaTemplate\n"


def test_the_contrib_package_reexports_nothing() -> None:
    result = run_blocked(
        """
        import kida.contrib
        print(sorted(n for n in vars(kida.contrib) if not n.startswith("__")))
        """
    )
    assert result.stdout == "[]\n", result.stderr


def test_using_the_backend_without_django_says_how_to_install_it() -> None:
    result = run_blocked(
        """
        from kida.contrib.django import KidaTemplates
        try:
            KidaTemplates({"NAME": "kida", "DIRS": [], "APP_DIRS": False, "OPTIONS": {}})
        except ImportError as exc:
            print(exc)
        """
    )
    assert result.stdout == (
        "kida.contrib.django needs Django; install it with `pip install django` "
        "(or the `kida[django]` extra)\n"
    ), result.stderr
