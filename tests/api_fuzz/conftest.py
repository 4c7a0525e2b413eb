"""Prints what the fuzzing sent (operations, calls, statuses) at the end of the run, for CI's
log and the closing note of the issue."""

SUMMARY: list[str] = []


def pytest_terminal_summary(terminalreporter):
    for line in SUMMARY:
        terminalreporter.write_line(line)
