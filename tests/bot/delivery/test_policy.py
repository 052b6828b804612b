"""How Slack's answers are read: what may have happened, what waits, what never will."""

from __future__ import annotations

import pytest

from bot.delivery.policy import Verdict, judge


@pytest.mark.parametrize("error", [["ratelimited"], {"code": "invalid_auth"}, 42, None, "", "Not A Code"])
def test_an_error_that_is_not_a_slack_error_code_may_hide_a_real_post(error: object) -> None:
    assert judge(200, error) is Verdict.MAYBE_DONE


@pytest.mark.parametrize(
    ("status", "error", "verdict"),
    [
        (429, None, Verdict.RATE_LIMITED),
        (200, "ratelimited", Verdict.RATE_LIMITED),
        (500, "channel_not_found", Verdict.MAYBE_DONE),
        (200, "internal_error", Verdict.MAYBE_DONE),
        (200, "already_pinned", Verdict.SENT),
        (200, "service_unavailable", Verdict.RETRY),
        (200, "invalid_auth", Verdict.WAIT_FOR_ADMIN),
        (200, "missing_scope", Verdict.WAIT_FOR_ADMIN),
        (200, "no_permission", Verdict.FAILED),
        (200, "access_denied", Verdict.FAILED),
        (200, "is_archived", Verdict.FAILED),
    ],
)
def test_each_kind_of_answer_has_one_meaning(status: int, error: object, verdict: Verdict) -> None:
    assert judge(status, error) is verdict
