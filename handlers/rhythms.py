"""Rhythm subcommands (schedule, prompt, prompts, digest, survey, results) and their buttons and forms:
removing a queued prompt, answering a check-in, reaching out, answering the survey."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.communities.lifecycle import Refused
from bot.communities.lookup import community_by_id
from bot.communities.permissions import Audience, may, may_support_members, refusal
from bot.rhythms.blocks import (
    CHECKIN_ACTION,
    HELP_CLAIM_ACTION,
    PROMPT_REMOVE_ACTION,
    build_prompt_list,
    build_schedule_list,
)
from bot.rhythms.calendar import (
    change_schedule,
    describe_change,
    digest_period,
    prompt_timing,
    schedule_lines,
    when_queued_prompt_goes_out,
)
from bot.rhythms.checkins import CheckInRefused, answer_checkin, checkin_by_id, claim_help
from bot.rhythms.digest import build_community_digest, preview_period
from bot.rhythms.prompts import prompt_by_id, prompt_queue, queue_prompt, remove_prompt
from bot.rhythms.survey_blocks import (
    SURVEY_CALLBACK,
    SURVEY_OPEN_ACTION,
    build_results,
    build_survey_modal,
    build_survey_received,
)
from bot.rhythms.survey_results import CYCLE_KEYS, survey_overview
from bot.rhythms.surveys import SurveyRefused, check_can_answer, open_round_now, submit_answer
from bot.slack.blocks import context
from bot.slack.markup import escape, slack_date
from handlers.middleware import unit_of_work
from handlers.services import Services
from handlers.subcommands import CommandCall, Reply, Subcommands
from handlers.views import input_text, number, open_form, private_id, selected_option, tell

subcommands = Subcommands()


def register(bolt: App, services: Services) -> None:
    """Listen for the prompt, check-in and survey buttons and the survey form."""

    @bolt.action(PROMPT_REMOVE_ACTION)
    def handle_prompt_remove(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext) -> None:
        ack()
        user_id = body["user"]["id"]
        services.people.lookup(user_id)  # warm the cache outside the transaction
        with unit_of_work(services, context) as session:
            assert session is not None
            prompt = prompt_by_id(session, number(action.get("value")))
            community = community_by_id(session, prompt.community_id) if prompt else None
            if prompt is None or community is None or prompt.posted_at is not None:
                message = "That prompt is no longer in the queue."
            elif not may(session, services.people, user_id=user_id, need=Audience.COORDINATOR, community=community):
                message = refusal(Audience.COORDINATOR, community, command=services.command)
            else:
                remove_prompt(session, prompt_id=prompt.id)
                message = f"Removed “{escape(prompt.text)}” from the queue of *{escape(community.name)}*."
        tell(services, body, message)

    @bolt.action(re.compile(f"^{CHECKIN_ACTION}(_help|_snooze)?$"))
    def handle_checkin_answer(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext) -> None:
        ack()
        checkin_id, _, answer = str(action.get("value") or "").partition(":")
        with unit_of_work(services, context) as session:
            assert session is not None
            try:
                answer_checkin(
                    session,
                    checkin_id=number(checkin_id),
                    user_id=body["user"]["id"],
                    answer=answer,
                    now=services.clock.now(),
                )
            except CheckInRefused as refused:
                session.rollback()
                tell(services, body, str(refused))

    @bolt.action(HELP_CLAIM_ACTION)
    def handle_help_claim(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext) -> None:
        ack()
        claimer = body["user"]["id"]
        services.people.lookup(claimer)
        with unit_of_work(services, context) as session:
            assert session is not None
            checkin = checkin_by_id(session, number(action.get("value")))
            community = community_by_id(session, checkin.community_id) if checkin else None
            if checkin is None or community is None:
                message = "That request for help no longer exists."
            elif not may_support_members(session, services.people, user_id=claimer, community_id=community.id):
                message = f"Only member support and coordinators of *{escape(community.name)}* can take this on."
            else:
                try:
                    claim = claim_help(session, checkin_id=checkin.id, claimer=claimer, now=services.clock.now())
                except CheckInRefused as refused:
                    message = str(refused)
                else:
                    if claim.won:
                        message = f"Thank you! <@{claim.member}> will hear from you — a DM is a good start."
                    elif claim.claimed_by == claimer:
                        message = f"You already said you'd reach out to <@{claim.member}>."
                    else:
                        message = f"<@{claim.claimed_by}> is already reaching out to <@{claim.member}> — thanks anyway!"
        tell(services, body, message)

    @bolt.action(SURVEY_OPEN_ACTION)
    def handle_survey_open(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        ack()
        with services.reads() as session:
            try:
                survey_round, community = check_can_answer(
                    session, round_id=number(action.get("value")), user_id=body["user"]["id"], now=services.clock.now()
                )
                modal, refusal_text = build_survey_modal(community, round_id=survey_round.id), None
            except SurveyRefused as refused:
                modal, refusal_text = None, str(refused)
        if modal is None:
            tell(services, body, refusal_text or "")
        else:
            open_form(services, body, modal)

    @bolt.view(SURVEY_CALLBACK)
    def handle_survey_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
        ratings = {key: selected_option(view, key) for key in CYCLE_KEYS}
        with unit_of_work(services, context) as session:
            if session is None:  # this form was submitted and stored already
                ack()
                return
            try:
                community = submit_answer(
                    session,
                    round_id=private_id(view),
                    user_id=body["user"]["id"],
                    ratings=ratings,
                    story=input_text(view, "story"),
                    now=services.clock.now(),
                )
            except SurveyRefused as refused:
                session.rollback()
                ack(response_action="errors", errors={refused.field or CYCLE_KEYS[0]: str(refused)})
                return
        ack(response_action="update", view=build_survey_received(community))


@subcommands.add(
    "schedule",
    "NAME [JOB WHEN [ZONE]]",
    "the community's schedules (coordinators: change one)",
    Audience.MEMBER,
    required=1,
    names_community=True,
    reads=lambda args: len(args) <= 1,  # NAME alone shows; JOB WHEN changes
)
def schedule(call: CommandCall) -> Reply:
    """`/cop schedule NAME` shows the four jobs; `/cop schedule NAME JOB WHEN [ZONE]` changes one."""
    community = call.the_community
    now = call.services.clock.now()
    if not call.args:
        lines = schedule_lines(call.session, community, zone=call.services.zone, now=now)
        rows = [(line.job, line.when, line.next_run, line.last_run) for line in lines]
        hint = f"Coordinators change one with `{call.command} schedule {community.name} JOB WHEN [ZONE]`."
        blocks = [*build_schedule_list(community, rows), context(hint)]
        return Reply(text=f"Schedules of {escape(community.name)}", blocks=blocks)
    if not may(
        call.session, call.services.people, user_id=call.user_id, need=Audience.COORDINATOR, community=community
    ):
        return Reply.refusal(refusal(Audience.COORDINATOR, community, command=call.command))
    try:
        changed, upcoming = change_schedule(
            call.session,
            community,
            words=list(call.args),
            by=call.user_id,
            now=now,
            zone=call.services.zone,
            command=call.command,
        )
    except Refused as refused:
        return Reply.refusal(str(refused))
    return Reply(text=describe_change(community, changed, upcoming, command=call.command))


@subcommands.add(
    "prompt", "NAME TEXT…", "queue a discussion prompt", Audience.COORDINATOR, required=2, names_community=True
)
def prompt(call: CommandCall) -> Reply:
    """`/cop prompt NAME TEXT…`: queued; the prompt job posts the oldest in the channel."""
    community = call.the_community
    now = call.services.clock.now()
    try:
        queued, position = queue_prompt(call.session, community, text=call.rest, by=call.user_id, now=now)
    except Refused as refused:
        return Reply.refusal(str(refused))
    timing = when_queued_prompt_goes_out(
        call.session, community, position=position, zone=call.services.zone, now=now, command=call.command
    )
    return Reply(text=f"Queued for *{escape(community.name)}* as number {position}: “{escape(queued.text)}”. {timing}")


@subcommands.add(
    "prompts",
    "NAME",
    "the prompt queue and past prompts",
    Audience.COORDINATOR,
    required=1,
    names_community=True,
    reads=True,
)
def prompts(call: CommandCall) -> Reply:
    """`/cop prompts NAME`: the queue with Remove buttons, and the last ten posted with their replies."""
    community = call.the_community
    now = call.services.clock.now()
    queue = prompt_queue(call.session, community)
    timing = prompt_timing(call.session, community, zone=call.services.zone, now=now)
    blocks = build_prompt_list(
        community,
        queued=queue.queued,
        queued_total=queue.queued_total,
        posted=queue.posted,
        schedule_words=timing.words,
        next_post=timing.next_post,
        zone=timing.zone,
        command=call.command,
    )
    return Reply(text=f"{queue.queued_total} prompts queued for {escape(community.name)}", blocks=blocks)


@subcommands.add(
    "digest",
    "NAME",
    "preview the health digest now",
    Audience.COORDINATOR,
    required=1,
    names_community=True,
    reads=True,
)
def digest(call: CommandCall) -> Reply:
    """`/cop digest NAME`: the digest of the period up to now, to the caller only."""
    community = call.the_community
    now = call.services.clock.now()
    length, zone = digest_period(call.session, community, zone=call.services.zone, now=now)
    built = build_community_digest(
        call.session,
        community,
        preview_period(length, now),
        zone=zone,
        workspace_url=call.services.workspace_url,
    )
    return Reply(text=built.text, blocks=built.blocks)


@subcommands.add("survey", "NAME", "send the review survey now", Audience.COORDINATOR, required=1, names_community=True)
def survey(call: CommandCall) -> Reply:
    """`/cop survey NAME`: open a round now and invite every member."""
    community = call.the_community
    now = call.services.clock.now()
    try:
        survey_round, invited = open_round_now(
            call.session, community, by=call.user_id, now=now, zone=call.services.zone, command=call.command
        )
    except SurveyRefused as refused:
        return Reply.refusal(str(refused))
    return Reply(
        text=(
            f"Sent the *{escape(community.name)}* review survey to {invited} member{'s' if invited != 1 else ''}. "
            f"It is open until {slack_date(survey_round.closes_at, call.services.zone)}; "
            f"`{call.command} results {community.name}` shows how many have answered, and the results once it "
            "has closed (if at least 3 members answered)."
        )
    )


@subcommands.add(
    "results", "NAME", "review survey results", Audience.COORDINATOR, required=1, names_community=True, reads=True
)
def results(call: CommandCall) -> Reply:
    """`/cop results NAME`: the open round's progress, and the last closed round per value cycle (3 answers or more)."""
    community = call.the_community
    overview = survey_overview(call.session, community, now=call.services.clock.now())
    if overview is None:
        return Reply(
            text=f"*{escape(community.name)}* has had no review survey yet. `{call.command} survey {community.name}` sends one now."
        )
    blocks = build_results(community, overview, zone=call.services.zone, command=call.command)
    return Reply(text=f"Review survey of {escape(community.name)}", blocks=blocks)
