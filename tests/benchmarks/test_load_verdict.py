"""make load's verdict on the worker killed mid-load: nothing lost, and nothing twice beyond the one
window docs/decisions/0007 accepts (an email the mail server took before the killed worker's commit)."""

from benchmarks.load.driver import _once_verdict


def once(**changes) -> dict:
    return {"pass": True, "emails_twice": 0, **changes}


def test_nothing_lost_nothing_twice():
    assert _once_verdict(once()) == "nothing lost, nothing twice"


def test_an_email_sent_twice_by_the_kill_is_said():
    verdict = _once_verdict(once(emails_twice=1))
    assert verdict.startswith("nothing lost; 1 email sent twice")
    assert "0007" in verdict


def test_a_failed_check_says_so():
    assert _once_verdict(once(**{"pass": False})) == "FAILED"


def test_the_wait_after_the_recovery_gives_the_pace_time_to_send_what_was_queued_again(settings):
    from benchmarks.load.driver import drain_seconds

    settings.EMAIL_RATE_LIMIT_PER_MINUTE = 3000
    assert drain_seconds({}, 0) == 180
    assert drain_seconds({}, 9083) == 180 + 9083 / 50  # 50 a second
    assert drain_seconds({"EMAIL_RATE_LIMIT_PER_MINUTE": "600"}, 600) == 180 + 60
    assert drain_seconds({"EMAIL_RATE_LIMIT_PER_MINUTE": "0"}, 10_000) == 180  # not paced
