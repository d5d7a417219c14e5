# Instructor targets: the grading path of docs/instructors.md, from roster to export. The Makefile includes this
# file; run the targets from the repository root, e.g. `make autograde ASSIGNMENT=05_schedulers`.
# Safe by default: no target here deletes a gradebook, submissions or exports except `make clean-grading`, which
# asks for CONFIRM=delete-grades.
VENV ?= .venv
BIN ?= $(VENV)/bin
ASSIGNMENT ?=
ROSTER ?= roster.csv
DUEDATE ?=
# nbgrader runs `alembic` by name: the environment's scripts go on PATH (nbgrader_config.py does it too).
ENV_PATH := PATH="$(abspath $(BIN)):$$PATH"
NBGRADER := $(ENV_PATH) $(BIN)/nbgrader
GRADING := $(ENV_PATH) $(BIN)/python -m tools.grading

.PHONY: formgrader roster release collect-zip autograde needs-grading feedback export clean-grading \
	instructor-env assignment-given

instructor-env:
	@test -x $(BIN)/nbgrader || { echo "no $(BIN)/nbgrader: run 'make setup' first"; exit 1; }

assignment-given:
	@test -n "$(ASSIGNMENT)" || { echo "name the assignment: ASSIGNMENT=05_schedulers (a folder of solutions/)"; \
		exit 1; }

formgrader: instructor-env ## JupyterLab on the course root: manual grading in the Nbgrader menu > Formgrader
	$(ENV_PATH) $(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)"

roster: instructor-env ## add or update the students of ROSTER (CSV: id,first_name,last_name,email) in the gradebook
	$(NBGRADER) db student import "$(ROSTER)"

release: instructor-env assignment-given ## record ASSIGNMENT (and its DUEDATE) in the gradebook, regenerate its release
	$(NBGRADER) db assignment add $(ASSIGNMENT) $(if $(DUEDATE),--duedate="$(DUEDATE)")
	$(NBGRADER) generate_assignment $(ASSIGNMENT) --force

collect-zip: instructor-env assignment-given ## unpack an LMS download in downloaded/ASSIGNMENT/archive/ into submitted/
	$(NBGRADER) zip_collect $(ASSIGNMENT) --force

autograde: instructor-env assignment-given ## fix "Copy of" names, grade every submission, list what needs a manual grade
	$(GRADING) fix-names $(ASSIGNMENT)
	$(NBGRADER) autograde $(ASSIGNMENT)
	$(GRADING) needs-grading $(ASSIGNMENT)

needs-grading: instructor-env assignment-given ## list the submissions of ASSIGNMENT that wait for a manual grade
	$(GRADING) needs-grading $(ASSIGNMENT)

feedback: instructor-env assignment-given ## HTML feedback in feedback/; refuses while grading is unfinished (FORCE=1)
	$(GRADING) needs-grading $(ASSIGNMENT) $(if $(FORCE),,--fail)
	$(NBGRADER) generate_feedback $(ASSIGNMENT) --force

export: instructor-env ## every student's grades into grades.csv (git-ignored)
	$(NBGRADER) export

clean-grading: ## DELETE the gradebook, submitted/, autograded/, feedback/, downloaded/ (needs CONFIRM=delete-grades)
	@test "$(CONFIRM)" = delete-grades || { echo "this deletes every grade and submission: back them up, then run" \
		"'make clean-grading CONFIRM=delete-grades'"; exit 1; }
	rm -rf .nbgrader submitted autograded feedback downloaded
