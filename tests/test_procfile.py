"""The Procfile runs what the README's "Running it for real" says production runs (make run and the fault
tests start its commands, so they run as production does)."""
import re
from pathlib import Path

from portal.dev.launcher import procfile

README = Path(__file__).resolve().parent.parent / "README.md"


def test_the_procfile_runs_what_the_readme_says_production_runs():
    section = README.read_text().split("## Running it for real", 1)[1].split("\n## ", 1)[0]
    commands = {" ".join(line.split("#", 1)[0].split()) for line in re.findall(r"```sh\n(.*?)```", section, re.S)[0]
                .splitlines()}
    processes = procfile()
    assert set(processes) == {"web", "worker", "cron"}
    assert {" ".join(command) for command in processes.values()} <= commands
