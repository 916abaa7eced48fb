"""The built wheel is a complete xlpy: installed into a fresh virtual environment outside the
checkout, it runs the demo, writes a month workbook, installs the add-in it carries, and that
add-in matches the installed function catalog (the check ``xlpy addin build --check`` makes
where there are no sources).

To stay fast the fresh environment gets the dependencies of the test environment through a
``.pth`` file naming its site-packages. A path line in a ``.pth`` file adds that folder to
``sys.path`` without running the ``.pth`` files inside it, so the editable install's finder
there (which would map ``xlpy`` to the checkout) is never activated; the test proves that the
``xlpy`` imported is the one in the fresh environment.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from xlpy.addin.locations import REPO, XLAM_PATH

PACKAGING = ("pyproject.toml", "README.md", "xlpy", "udfs")  # what setuptools reads


def run(command: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, check=False, cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("wheel")
    source = base / "source"
    source.mkdir()
    for name in PACKAGING:
        if (REPO / name).is_dir():
            shutil.copytree(
                REPO / name, source / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy2(REPO / name, source / name)
    built = run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(base / "dist"),
            str(source),
        ],
        base,
        dict(os.environ),
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = (base / "dist").glob("xlpy-*.whl")

    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / ("Scripts" if os.name == "nt" else "bin") / "python"
    where = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    purelib = Path(run([str(python), "-c", where], base, dict(os.environ)).stdout.strip())
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (purelib / "xlpy_test_dependencies.pth").write_text("\n".join(sorted(ours)) + "\n")
    done = run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "--no-index",
            "-q",
            str(wheel),
        ],
        base,
        dict(os.environ),
    )
    assert done.returncode == 0, done.stderr
    work = base / "work"  # the current folder of every command: outside the checkout
    work.mkdir()
    return {
        "python": python,
        "xlpy": python.parent / "xlpy",
        "work": work,
        "venv": venv,
        "home": base / "home",
        "wheel": wheel,
    }


def environment(installed: dict[str, Path]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    return env | {"HOME": str(installed["home"]), "COLUMNS": "300"}


def test_the_wheel_carries_the_addin_and_the_data_files(installed: dict[str, Path]) -> None:
    import zipfile

    with zipfile.ZipFile(installed["wheel"]) as wheel:
        names = set(wheel.namelist())
        assert wheel.read("xlpy/addin/xlpy.xlam") == XLAM_PATH.read_bytes()
    assert {"xlpy/rules/defaults.toml", "xlpy/samples/roster.csv", "udfs/__init__.py"} <= names
    assert not any(name.startswith(("workbook/", "tests/")) for name in names)


def test_the_installed_xlpy_is_the_wheels_not_the_checkouts(installed: dict[str, Path]) -> None:
    probe = (
        "import json, xlpy, udfs, xlpy.addin.locations as where; print(json.dumps("
        "{'xlpy': xlpy.__file__, 'udfs': udfs.__file__, 'xlam': str(where.PACKAGED_XLAM), "
        "'sources': where.has_sources()}))"
    )
    result = run([str(installed["python"]), "-c", probe], installed["work"], environment(installed))
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    venv = installed["venv"].resolve()
    for key in ("xlpy", "udfs", "xlam"):
        path = Path(found[key]).resolve()
        assert path.is_relative_to(venv) and not path.is_relative_to(REPO), (key, path)
    assert found["sources"] is False
    assert Path(found["xlam"]).read_bytes() == XLAM_PATH.read_bytes()


def test_the_installed_addin_matches_the_installed_catalog(installed: dict[str, Path]) -> None:
    env, work = environment(installed), installed["work"]
    check = run([str(installed["xlpy"]), "addin", "build", "--check"], work, env)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "已安装的加载项与已安装的 udfs 函数目录、xlwings 一致" in check.stdout
    refused = run([str(installed["xlpy"]), "addin", "build"], work, env)
    assert refused.returncode != 0
    assert "此 xlpy 安装不含加载项源码" in refused.stdout + refused.stderr
    assert "Traceback" not in refused.stdout + refused.stderr


def test_addin_install_from_the_wheel(installed: dict[str, Path]) -> None:
    env, work = environment(installed), installed["work"]
    startup = work / "XLSTART"
    result = run([str(installed["xlpy"]), "addin", "install", "--dir", str(startup)], work, env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (startup / "xlpy.xlam").read_bytes() == XLAM_PATH.read_bytes()
    config = installed["home"] / ".xlpy" / "xlpy.conf"
    assert f'"INTERPRETER_WIN","{installed["python"]}"' in config.read_text()


def test_template_and_demo_from_the_wheel(installed: dict[str, Path]) -> None:
    env, work = environment(installed), installed["work"]
    template = run(
        [str(installed["xlpy"]), "template", "--month", "2026-11", "-o", "月.xlsx"], work, env
    )
    assert template.returncode == 0, template.stdout + template.stderr
    assert (work / "月.xlsx").stat().st_size > 0
    demo = run([str(installed["xlpy"]), "demo", "示例"], work, env)
    assert demo.returncode == 0, demo.stdout + demo.stderr
    assert (work / "示例" / "汇总-2026-03.xlsx").is_file()
    assert "Traceback" not in demo.stdout + demo.stderr
