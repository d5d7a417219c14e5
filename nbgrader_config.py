"""nbgrader configuration for the course (nbgrader reads it from the current directory: run it from the root).

`solutions/` holds the instructor sources and `notebooks/` the released student versions, generated with
`make student` (`nbgrader generate_assignment '*' --force --no-db`) and committed.
"""

import os

c = get_config()  # noqa: F821 (injected by nbgrader)

ROOT = os.path.dirname(os.path.abspath(__file__))

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
