"""A community's scheduled jobs: the digest, discussion prompts, check-ins and the review survey."""

from __future__ import annotations

from datetime import timedelta

from bot.rhythms.checkins import send_checkins
from bot.rhythms.digest import send_digests
from bot.rhythms.prompts import post_next_prompt
from bot.rhythms.surveys import run_survey
from schedules.spec import CommunityJob

DIGEST = CommunityJob(
    name="digest",
    description="the health digest, to each coordinator",
    default_when="weekly mon 09:00",
    catch_up=None,
    run=send_digests,
)
PROMPT = CommunityJob(
    name="prompt",
    description="the oldest queued discussion prompt, in the channel",
    default_when="weekly wed 10:00",
    catch_up=timedelta(hours=12),  # a discussion started a day late would surprise people
    run=post_next_prompt,
)
CHECKIN = CommunityJob(
    name="checkin",
    description="a check-in DM to every member, in their working hours",
    default_when="off",
    catch_up=None,
    run=send_checkins,
)
SURVEY = CommunityJob(
    name="survey",
    description="the review survey, to every member",
    default_when="quarterly",
    catch_up=None,
    run=run_survey,
)
JOBS = (DIGEST, PROMPT, CHECKIN, SURVEY)
BY_NAME = {job.name: job for job in JOBS}
