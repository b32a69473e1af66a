"""make load's verdict on the worker killed mid-load: nothing lost, and nothing twice beyond the one
window docs/decisions/0007 accepts (an email the mail server took before the killed worker's commit)."""

import pytest

from benchmarks.load.driver import _once_verdict


def once(**changes) -> dict:
    return {"pass": True, "emails_twice": 0, **changes}


def test_nothing_lost_nothing_twice():
    assert _once_verdict(once()) == "nothing lost, nothing twice"


def test_an_email_sent_twice_by_the_kill_is_said():
    verdict = _once_verdict(once(emails_twice=1, worker_processes=2))
    assert verdict.startswith("nothing lost; 1 email sent twice")
    assert "0007" in verdict and "each of the worker's 2 processes" in verdict


def test_one_email_twice_per_process_of_the_killed_worker_is_accepted_and_re_affirmations_are_checked():
    """Each process of the worker's pool may be in decision 0007's window when the worker is killed;
    more than one email twice per process is a failure, and so is a replaced edition whose
    signatories were not all asked to re-affirm (a worker killed while asking them)."""
    from benchmarks.load.driver import once_passes

    def result(**changes):
        return {
            "claims": 10,
            "claims_unsent": 0,
            "claims_sharing_a_notification": 0,
            "notifications_unsent": 0,
            "emails_missing": 0,
            "emails_twice": 0,
            "worker_processes": 2,
            "pdfs_requested": 1,
            "pdfs_ready": 1,
            "reaffirmations_unfinished": 0,
            **changes,
        }

    assert once_passes(result(), kills=1)
    assert once_passes(result(emails_twice=2), kills=1)
    assert not once_passes(result(emails_twice=3), kills=1)
    assert not once_passes(result(emails_twice=1), kills=0)
    assert not once_passes(result(reaffirmations_unfinished=1), kills=1)
    assert not once_passes(result(emails_missing=1), kills=1)
    assert not once_passes(result(pdfs_ready=0), kills=1)
    assert not once_passes(result(claims=0), kills=1)


def test_a_failed_check_says_so():
    assert _once_verdict(once(**{"pass": False})) == "FAILED"


def test_the_wait_after_the_recovery_gives_the_pace_time_to_send_what_was_queued_again(settings):
    from benchmarks.load.driver import drain_seconds

    settings.EMAIL_RATE_LIMIT_PER_MINUTE = 3000
    assert drain_seconds({}, 0) == 180
    assert drain_seconds({}, 9083) == 180 + 9083 / 50  # 50 a second
    assert drain_seconds({"EMAIL_RATE_LIMIT_PER_MINUTE": "600"}, 600) == 180 + 60
    assert drain_seconds({"EMAIL_RATE_LIMIT_PER_MINUTE": "0"}, 10_000) == 180  # not paced


def _steps_served(served: dict[int, float], failures: dict[int, int] | None = None, *, warm_up: float | None = None):
    asked_of = []

    def fake_locust(opts, plan_path, name, users, seconds, *, user_rps=0, publish_every=0):
        asked = round(user_rps * users)
        asked_of.append((name, asked, users, seconds))
        rps = warm_up if name == "warm-up" and warm_up is not None else served[asked]
        return {"aggregate": {"rps": rps, "requests": int(rps * seconds), "failures": (failures or {}).get(asked, 0)}}

    return fake_locust, asked_of


def test_saturation_is_found_with_the_steady_runs_people_each_at_a_pace(tmp_path):
    """Every step asks the same people (the steady run's mix) for more; the first step the servers
    fall behind on (served under 90 % of asked) ends it, and saturation is the most served."""
    from unittest import mock

    from benchmarks.load import driver

    fake, asked_of = _steps_served({40: 38.5, 80: 77.0, 120: 104.0, 160: 110.0, 200: 200.0})
    opts = driver.Options(scale=0.01, database_url="", broker_url="", output=tmp_path, log=lambda *_: None)
    with mock.patch.object(driver, "locust", fake):
        found = driver.find_saturation(opts, tmp_path / "plan.json")
    # First the servers are warmed up with the first step's load, for WARM_UP_SECONDS, not counted.
    assert asked_of == [
        ("warm-up", 40, driver.PEOPLE, driver.WARM_UP_SECONDS),
        ("step-40", 40, driver.PEOPLE, 20),
        ("step-80", 80, driver.PEOPLE, 20),
        ("step-120", 120, driver.PEOPLE, 20),
    ]
    assert found["saturation"]["rps"] == 104.0
    assert found["saturation"]["users"] == driver.PEOPLE
    assert found["reached"] is True


def test_saturation_stops_at_a_failure_and_says_when_it_was_never_reached(tmp_path):
    from unittest import mock

    from benchmarks.load import driver

    opts = driver.Options(scale=0.01, database_url="", broker_url="", output=tmp_path, steps=(40, 80), log=print)
    fake, asked_of = _steps_served({40: 40.0, 80: 80.0})
    with mock.patch.object(driver, "locust", fake):
        found = driver.find_saturation(opts, tmp_path / "plan.json")
    assert [name for name, *_ in asked_of] == ["warm-up", "step-40", "step-80"]
    assert found["reached"] is False
    assert found["saturation"]["rps"] == 80.0

    fake, asked_of = _steps_served({40: 40.0, 80: 80.0}, failures={40: 1})
    with mock.patch.object(driver, "locust", fake):
        found = driver.find_saturation(opts, tmp_path / "plan.json")
    assert [name for name, *_ in asked_of] == ["warm-up", "step-40"]


def test_cold_servers_do_not_end_the_search(tmp_path):
    """Twelve web workers compiling their templates served 31 of the first 40 requests a second
    asked; the warm-up takes that, and the steps measure warm servers. 0 seconds: no warm-up."""
    from unittest import mock

    from benchmarks.load import driver

    opts = driver.Options(scale=0.01, database_url="", broker_url="", output=tmp_path, steps=(40, 80), log=print)
    fake, asked_of = _steps_served({40: 40.0, 80: 80.0}, warm_up=31.0)
    with mock.patch.object(driver, "locust", fake):
        found = driver.find_saturation(opts, tmp_path / "plan.json")
    assert [name for name, *_ in asked_of] == ["warm-up", "step-40", "step-80"]
    assert found["saturation"]["rps"] == 80.0
    assert [step["asked"] for step in found["steps"]] == [40, 80]

    opts.warm_up_seconds = 0
    fake, asked_of = _steps_served({40: 40.0, 80: 80.0})
    with mock.patch.object(driver, "locust", fake):
        driver.find_saturation(opts, tmp_path / "plan.json")
    assert [name for name, *_ in asked_of] == ["step-40", "step-80"]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--people", "0"], "--people must be a whole number from 3 to 1000"),
        (["--people", "5000"], "--people must be a whole number from 3 to 1000"),
        (["--steps", "40,eighty"], "--steps must be requests a second"),
        (["--steps", "0"], "--steps must be requests a second"),
        (["--steps", "40,²"], "--steps must be requests a second"),
        (["--steps", ","], "--steps must be requests a second"),
        (["--steps", "40,99999"], "--steps must be requests a second"),
        (["--warm-up-seconds", "-1"], "--warm-up-seconds must be a whole number from 0 to 600"),
        (["--warm-up-seconds", "601"], "--warm-up-seconds must be a whole number from 0 to 600"),
    ],
)
def test_the_command_says_what_to_fix_in_people_and_steps(args, says):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=says):
        call_command("load", *args)
