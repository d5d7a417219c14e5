"""Instructor-side grading helpers around nbgrader (run from the course root; see docs/instructors.md).

* :func:`fix_notebook_names` renames "Copy of schedulers.ipynb" and the like to the released name before
  autograding, so a submission is not graded 0 for its file name;
* :func:`needing_manual_grade` lists the submissions whose written answers still wait for a grade.

`python -m tools.grading --help` is the command line that instructor.mk calls.
"""

from tools.grading.submissions import course_db_url, fix_notebook_names, needing_manual_grade, released_notebooks

__all__ = ["course_db_url", "fix_notebook_names", "needing_manual_grade", "released_notebooks"]
