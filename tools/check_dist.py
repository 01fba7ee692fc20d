"""Build every distribution with ``uv build --all-packages`` and check what each wheel carries.

Run by ``nox -s dist`` (or ``python tools/check_dist.py [OUT_DIR]``). For each
package under ``packages/`` the wheel must hold its ``py.typed`` marker and the
MIT ``LICENSE``, and its METADATA the license expression, the project URLs,
the README as a Markdown description and version bounds on the other Kida
distributions. The source archive must hold the LICENSE too. Prints one line
per problem and exits with status 1 when there is any.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tarfile
import tempfile
import tomllib
import zipfile
from email.message import Message
from email.parser import Parser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
URL_LABELS = ("Homepage", "Documentation", "Source", "Changelog", "Issues")
INTERNAL_REQUIREMENT = re.compile(r"kida[\w-]*<\d+\.\d+,>=\d+\.\d+")


def build(out: Path) -> None:
    """Build a wheel and a source archive of every workspace package into ``out``."""
    subprocess.run(["uv", "build", "--all-packages", "--out-dir", str(out)], cwd=ROOT, check=True)


def _one(out: Path, pattern: str) -> Path | None:
    found = sorted(out.glob(pattern))
    return found[0] if len(found) == 1 else None


def check_wheel(wheel: Path, package: Path) -> list[str]:
    """Problems with one package's wheel (an empty list when it is fine)."""
    problems: list[str] = []
    import_name = package.name.replace("-", "_")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        dist_info = next(n.split("/")[0] for n in names if n.split("/")[0].endswith(".dist-info"))
        metadata: Message = Parser().parsestr(archive.read(f"{dist_info}/METADATA").decode("utf-8"))
        if f"{import_name}/py.typed" not in names:
            problems.append("no py.typed marker")
        license_path = f"{dist_info}/licenses/LICENSE"
        if license_path not in names:
            problems.append("no LICENSE file")
        elif archive.read(license_path) != (ROOT / "LICENSE").read_bytes():
            problems.append("LICENSE differs from the repository's")
    if metadata["License-Expression"] != "MIT":
        problems.append(f"License-Expression is {metadata['License-Expression']!r}, not 'MIT'")
    if metadata.get_all("License-File") != ["LICENSE"]:
        problems.append(f"License-File is {metadata.get_all('License-File')!r}")
    labels = [url.split(",")[0] for url in metadata.get_all("Project-URL") or []]
    if tuple(labels) != URL_LABELS:
        problems.append(f"Project-URL labels are {labels}, expected {list(URL_LABELS)}")
    if metadata["Description-Content-Type"] != "text/markdown":
        problems.append("the description is not Markdown")
    if metadata.get_payload() != (package / "README.md").read_text(encoding="utf-8"):
        problems.append("the description is not the package's README.md")
    for requirement in metadata.get_all("Requires-Dist") or []:
        if requirement.startswith("kida") and not INTERNAL_REQUIREMENT.fullmatch(requirement):
            problems.append(f"unbounded internal requirement {requirement!r}")
    return problems


def check_sdist(sdist: Path) -> list[str]:
    """Problems with one package's source archive."""
    with tarfile.open(sdist) as archive:
        names = archive.getnames()
    top = names[0].split("/")[0]
    return [] if f"{top}/LICENSE" in names else ["no LICENSE in the source archive"]


def check(out: Path) -> list[str]:
    """Every problem of the distributions built into ``out``, prefixed by the file name."""
    problems: list[str] = []
    for pyproject in sorted(ROOT.glob("packages/*/pyproject.toml")):
        package = pyproject.parent
        name = tomllib.loads(pyproject.read_text())["project"]["name"].replace("-", "_")
        wheel = _one(out, f"{name}-*.whl")
        sdist = _one(out, f"{name}-*.tar.gz")
        if wheel is None or sdist is None:
            problems.append(f"{name}: expected one wheel and one source archive in {out}")
            continue
        problems += [f"{wheel.name}: {p}" for p in check_wheel(wheel, package)]
        problems += [f"{sdist.name}: {p}" for p in check_sdist(sdist)]
    return problems


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(argv[0]) if argv else Path(scratch)
        build(out)
        problems = check(out)
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"{len(problems)} problem(s) in the distributions built into {out}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
