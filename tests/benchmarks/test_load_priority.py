"""make load's worker yields the CPU to the web as docker-compose's cpu_shares make it: on Linux, by
its scheduling group's nice, not only its own (benchmarks/load/driver.py, ``AUTOGROUP``).

Each process make load starts runs in a session of its own, and Linux shares the CPU between
sessions' groups before it looks at a process's nice: the worker at nice 10 weighed as much as the
five web workers together."""

import os
import sys
import time
from pathlib import Path

import pytest

from benchmarks.load import driver

HAS_AUTOGROUPS = Path("/proc/self/autogroup").exists()


def _group(pid: int) -> str:
    """The group's name ("/autogroup-85"). The kernel writes nothing for the root group, where a
    process is whose session never left init's (as the test runner's is on CI)."""
    words = Path(f"/proc/{pid}/autogroup").read_text().split()
    return words[0] if words else "the root group"


SLEEP = "import time; time.sleep(30)"


def _running_the_command(pid: int) -> bool:
    """Whether ``nice`` has set the priority and started the command (it replaces itself). Before
    that the process is a copy of this test's (just forked), then ``nice`` itself, whose arguments
    hold the command's words too: only the command has them and is not ``nice``."""
    argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    return Path(argv[0].decode()).name != "nice" and SLEEP.encode() in argv


def _own_nice(pid: int) -> int:
    """The process's nice once ``nice`` has set it and started the command."""
    deadline = time.monotonic() + 10
    while not _running_the_command(pid) and time.monotonic() < deadline:
        time.sleep(0.01)
    return os.getpriority(os.PRIO_PROCESS, pid)


def _sleeper(tmp_path: Path, nice: int) -> driver.Process:
    process = driver.Process("sleeper", [sys.executable, "-c", SLEEP], {}, tmp_path / "log", nice)
    process.start()
    return process


@pytest.mark.skipif(not HAS_AUTOGROUPS, reason="this kernel has no scheduling autogroups (/proc/self/autogroup)")
def test_the_worker_and_its_session_run_at_its_nice(tmp_path):
    process = _sleeper(tmp_path, driver.WORKER_NICE)
    try:
        assert driver.group_nice(process.popen.pid) == driver.WORKER_NICE
        assert _own_nice(process.popen.pid) == driver.WORKER_NICE
        # The group is the worker's session's, not this test's: the test's own group keeps its nice.
        assert _group(process.popen.pid).startswith("/autogroup-")
        assert _group(process.popen.pid) != _group(os.getpid())
        assert driver.group_nice(os.getpid()) != driver.WORKER_NICE
        assert "its scheduling group's too, 1/68 of the web's weight" in driver.worker_priority(process)
    finally:
        process.kill()


@pytest.mark.skipif(not HAS_AUTOGROUPS, reason="this kernel has no scheduling autogroups (/proc/self/autogroup)")
def test_a_process_without_a_nice_keeps_its_groups(tmp_path):
    process = _sleeper(tmp_path, 0)
    try:
        assert process.command[0] != "nice"
        assert driver.group_nice(process.popen.pid) == 0
        assert "no scheduling group" in driver.worker_priority(driver.Process("w", [], {}, tmp_path / "l", nice=6))
    finally:
        process.kill()


def test_without_autogroups_the_report_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr(driver, "AUTOGROUP", str(tmp_path / "missing" / "{pid}"))
    assert driver.set_group_nice(12345, 6) is False
    assert driver.group_nice(12345) is None
    process = _sleeper(tmp_path, driver.WORKER_NICE)
    try:
        assert "no scheduling group of its own" in driver.worker_priority(process)
    finally:
        process.kill()


def test_the_worker_weighs_about_a_sixty_fourth_of_the_web_as_in_docker_compose():
    # The kernel's weights (sched_prio_to_weight): nice 0 is 1024, nice 19 is 15; compose gives the
    # worker cpu_shares 16 against web's default 1024.
    compose = (Path(__file__).resolve().parents[2] / "docker-compose.yml").read_text()
    assert "cpu_shares: 16\n" in compose
    assert driver.NICE_WEIGHT == {0: 1024, 5: 335, 6: 272, 10: 110, 15: 36, 19: 15}  # the kernel's table
    assert 1 / 100 <= driver.NICE_WEIGHT[driver.WORKER_NICE] / 1024 <= 1 / 40
    assert driver.NICE_WEIGHT[driver.WORKER_NICE] / 1024 == pytest.approx(16 / 1024, rel=0.1)
