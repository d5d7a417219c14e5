"""nbgrader configuration for the course (nbgrader reads it from the current directory: run it from the root).

`solutions/` holds the instructor sources and `notebooks/` the released student versions, generated with
`make student` (`nbgrader generate_assignment '*' --force --no-db`) and committed. The instructor's path from
roster to export is in docs/instructors.md; its make targets are in instructor.mk.
"""

import os
import sys

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbformat import NotebookNode
from nbgrader.api import MissingEntry
from nbgrader.preprocessors import (CheckCellMetadata, ClearHiddenTests, ClearOutput, DeduplicateIds, GetGrades,
                                    OverwriteCells, OverwriteKernelspec)
from nbgrader.utils import is_grade, is_locked

c = get_config()  # noqa: F821 (injected by nbgrader)

ROOT = os.path.dirname(os.path.abspath(__file__))

# nbgrader runs `alembic` by name when it creates a gradebook: without the environment's scripts on PATH (nbgrader
# started as .venv/bin/nbgrader, or JupyterLab without `activate`) it fails and leaves a half-made gradebook.
os.environ["PATH"] = os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "")])

c.CourseDirectory.root = ROOT
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "notebooks"
c.CourseDirectory.course_id = "dl-optimization-lab"
# Instructors who keep a gradebook get it in .nbgrader/ (git-ignored); sqlite needs the folder to exist.
os.makedirs(os.path.join(ROOT, ".nbgrader"), exist_ok=True)
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(ROOT, ".nbgrader", "gradebook.db")

# Releases carry no outputs and no execution timestamps, so regeneration is byte-for-byte reproducible.
c.ClearOutput.remove_metadata_fields = ["collapsed", "scrolled", "execution", "ExecuteTime"]

# Autograding: a learner's infinite loop is interrupted after this many seconds per cell and costs that
# cell (an error), not the grading run. The slowest cell of any solution takes well under 30 s on 2 CPU cores.
c.Execute.timeout = 120
c.Execute.interrupt_on_timeout = True


def _released_source(source_cell):
    """The code of a gradebook source cell as the release shows it: hidden tests removed."""
    cell = NotebookNode(cell_type=source_cell.cell_type, source=source_cell.source, metadata={})
    ClearHiddenTests()._remove_hidden_test_region(cell)
    return cell.source


class RestoreLockedCells(OverwriteCells):
    """nbgrader's OverwriteCells, quiet about what every learner hands in: a locked test cell whose code is the
    released one (the source minus its hidden tests) gets its hidden tests back without a checksum warning, so
    the warning is left for cells a learner really changed. Deleted test cells are added back
    (``add_missing_cells``, below) and graded."""

    def preprocess_cell(self, cell, resources, cell_index):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id and cell.cell_type == "code" and is_locked(cell):
            try:
                source = self.gradebook.find_source_cell(grade_id, self.notebook_id, self.assignment_id)
            except MissingEntry:
                source = None  # OverwriteCells reports it
            if source is not None and source.locked and cell.source == _released_source(source):
                cell.source = source.source
        return super().preprocess_cell(cell, resources, cell_index)


class HideTestCode(ClearHiddenTests):
    """Feedback shows a test cell without its hidden tests, and an error in a test cell as its last line only
    (``AssertionError: matches Adam without bias correction``): a traceback would quote the hidden code."""

    def preprocess_cell(self, cell, resources, cell_index):
        if cell.cell_type == "code" and is_grade(cell):
            for output in cell.outputs:
                if output.output_type == "error":
                    output.traceback = [f"{output.ename}: {output.evalue}"]
        return super().preprocess_cell(cell, resources, cell_index)


c.OverwriteCells.add_missing_cells = True
c.Autograde.sanitize_preprocessors = [ClearOutput, DeduplicateIds, OverwriteKernelspec, RestoreLockedCells,
                                      CheckCellMetadata]
c.GenerateFeedback.preprocessors = [GetGrades, HideTestCode, CSSHTMLHeaderPreprocessor]

# `nbgrader zip_collect ASSIGNMENT` (make collect-zip): an LMS download unpacked from downloaded/<assignment>/archive/,
# files named as Blackboard names them, "<anything>_<student id>_attempt_<YYYY-MM-DD-HH-MM-SS>_<file name>". The
# time becomes the submission's timestamp (UTC), so late submissions are flagged against the due date; Colab's
# "Copy of " and a browser's " (1)" are dropped from the file name. Another LMS: change this expression.
c.FileNameCollectorPlugin.named_regexp = (
    r".*_(?P<student_id>[^_/]+)_attempt_(?P<timestamp>\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d)_"
    r"(?:Copy of )?(?P<file_id>[^/]+?)(?: \(\d+\)|-Copy\d+)?\.ipynb$")
