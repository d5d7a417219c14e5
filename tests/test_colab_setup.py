"""The Colab path: a notebook's setup cell in an environment that has Colab's usual packages (torch, numpy,
matplotlib, seaborn, scikit-learn, IPython) but no course_utils installs course_utils from the repository URL
and nothing else. Offline, the URL points at a local clone of this repository."""

import re
import subprocess
import sysconfig
import venv

import pytest

from tools import nbpipeline as pipeline

pytestmark = pytest.mark.slow


def _run(python, code):
    """Run code in the test environment from a neutral folder (python -c puts the working directory on sys.path)."""
    return subprocess.run([str(python), "-c", code], capture_output=True, text=True, timeout=600, cwd=python.parents[2])


def _own_packages(python, site_packages):
    listed = subprocess.run([str(python), "-m", "pip", "list", "--format=freeze", "--path", str(site_packages)],
                            capture_output=True, text=True, check=True).stdout
    return {line.split("==")[0].lower() for line in listed.splitlines() if "==" in line}


def test_setup_cell_installs_course_utils_and_nothing_else(tmp_path):
    repository = tmp_path / "repository"
    subprocess.run(["git", "clone", "--quiet", str(pipeline.ROOT), str(repository)], check=True)
    env_dir = tmp_path / "colab"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    site_packages = next((env_dir / "lib").glob("python*/site-packages"))
    # Colab's preinstalled packages: this environment's site-packages, added as a plain path, so its own .pth
    # files (among them the editable course_utils of the development install) are not processed.
    (site_packages / "colab_preinstalled.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    assert _run(python, "import torch, numpy, matplotlib, seaborn, sklearn, IPython").returncode == 0
    assert _run(python, "import course_utils").returncode != 0, "course_utils must be missing before the setup cell"
    before = _own_packages(python, site_packages)

    setup = next(c for c in pipeline.read(pipeline.assignments()[0].release_path).cells if c.cell_type == "code").source
    setup, count = re.subn(r'REPO_URL = "[^"]+"', f'REPO_URL = "file://{repository}"', setup)
    assert count == 1, "the setup cell must set REPO_URL once"
    script = tmp_path / "setup_cell.py"
    script.write_text(setup)
    result = _run(python, "from IPython.core.interactiveshell import InteractiveShell\n"
                          f"result = InteractiveShell.instance().run_cell(open({str(script)!r}).read())\n"
                          "result.raise_error()\n"
                          "import course_utils; print('course_utils from', course_utils.__file__)")
    assert result.returncode == 0, f"the setup cell failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    assert str(site_packages) in result.stdout, f"course_utils was not installed into the environment: {result.stdout}"
    added = _own_packages(python, site_packages) - before
    assert added == {"dl-optimization-lab"}, f"the setup cell must install course_utils only, it added {sorted(added)}"
