"""Sharing (command, modal, message shortcut), the review buttons, and search with paging."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext
from sqlalchemy.orm import Session

from bot.communities.lifecycle import Refused
from bot.communities.lookup import communities_of, community_by_id, community_for_channel
from bot.communities.permissions import Audience, may, may_review
from bot.knowledge.blocks import (
    MORE_ACTION,
    PIN_ACTION,
    RETAG_ACTION,
    RETAG_CALLBACK,
    RETIRE_ACTION,
    SAVE_RESOURCE_CALLBACK,
    SHARE_CALLBACK,
    UNPIN_ACTION,
    build_no_community_modal,
    build_retag_modal,
    build_search_results,
    build_share_modal,
    build_shared_view,
    describe,
)
from bot.knowledge.resources import (
    PAGE_SIZE,
    DuplicateResource,
    ShareRefused,
    ShareRequest,
    clean_url,
    parse_share_command,
    parse_tags,
    pin_resource,
    resource_by_id,
    resource_from_message,
    retag_resource,
    retire_resource,
    search,
    share_resource,
    split_query,
)
from bot.slack.blocks import section
from bot.slack.markup import escape, permalink
from handlers.middleware import unit_of_work
from handlers.services import Services
from handlers.subcommands import CommandCall, Reply, Subcommands
from handlers.views import input_text, number, open_form, private_id, selected_option, tell
from storage.models import Resource, ResourceKind

subcommands = Subcommands()
Decision = Callable[[Session, Resource, str], None]


def register(bolt: App, services: Services) -> None:
    """Listen for the share modal, the shortcut, the review buttons and the More button."""

    @bolt.view(SHARE_CALLBACK)
    def handle_share_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
        user_id = body["user"]["id"]
        services.people.lookup(user_id)
        with unit_of_work(services, context) as session:
            if session is None:  # this form was submitted and stored already
                ack()
                return
            answer = _submit_share(services, session, user_id, view)
            if answer.get("response_action") == "errors":
                session.rollback()
        ack(**answer)

    @bolt.shortcut(SAVE_RESOURCE_CALLBACK)
    def handle_save_shortcut(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        with services.reads() as session:
            view = _shortcut_modal(services, session, body["user"]["id"], body)
        open_form(services, body, view)

    decisions: dict[str, Decision] = {
        PIN_ACTION: lambda session, resource, by: pin_resource(session, resource, by=by, now=services.clock.now()),
        UNPIN_ACTION: lambda session, resource, by: pin_resource(
            session, resource, by=by, now=services.clock.now(), pinned=False
        ),
        RETIRE_ACTION: lambda session, resource, by: retire_resource(
            session, resource, by=by, now=services.clock.now()
        ),
    }

    @bolt.action(re.compile(f"^({PIN_ACTION}|{UNPIN_ACTION}|{RETIRE_ACTION})$"))
    def handle_review_decision(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext) -> None:
        ack()
        _review(services, body, action, context, decisions[action["action_id"]])

    @bolt.action(RETAG_ACTION)
    def handle_retag_button(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        ack()
        with services.reads() as session:
            resource = resource_by_id(session, number(action.get("value")))
            modal = build_retag_modal(resource) if resource is not None else None
        if modal is None:
            tell(services, body, "That resource no longer exists.")
        else:
            open_form(services, body, modal)

    @bolt.view(RETAG_CALLBACK)
    def handle_retag_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
        user_id = body["user"]["id"]
        services.people.lookup(user_id)
        tags = parse_tags([input_text(view, "tags")])
        with unit_of_work(services, context) as session:
            if session is None:  # this form was submitted and stored already
                ack()
                return
            resource = resource_by_id(session, private_id(view))
            if resource is None:
                ack(response_action="errors", errors={"tags": "This resource no longer exists."})
                return
            if not may_review(session, services.people, user_id=user_id, community_id=resource.community_id):
                ack(
                    response_action="errors",
                    errors={"tags": "Only information-resources holders and coordinators can retag."},
                )
                return
            try:
                retag_resource(session, resource, tags=tags, by=user_id, now=services.clock.now())
            except Refused as refused:
                session.rollback()
                ack(response_action="errors", errors={"tags": str(refused)})
                return
        ack()

    @bolt.action(MORE_ACTION)
    def handle_more(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        ack()
        try:
            query = json.loads(action.get("value") or "{}")
        except ValueError:
            query = {}
        query = query if isinstance(query, dict) else {}
        blocks: list[dict[str, Any]] | None = None
        with services.reads() as session:
            community = community_by_id(session, number(query.get("community_id")))
            if community is not None and community.archived_at is None:
                page = number(query.get("page"))
                words, tags = _strings(query.get("words")), _strings(query.get("tags"))
                found = search(session, community, words=words, tags=tags, page=page)
                blocks = build_search_results(
                    community,
                    found.resources,
                    total=found.total,
                    page=page,
                    page_size=PAGE_SIZE,
                    query={"words": words, "tags": tags},
                    command=services.command,
                )
        if community is None or blocks is None:
            tell(services, body, f"That search is out of date. Search again with `{services.command} resources`.")
            return
        tell(services, body, f"More resources in {escape(community.name)}", blocks=blocks)


@subcommands.add(
    "resources",
    "NAME [WORDS…] [#tag…]",
    "search a community's resources",
    Audience.ANYONE,
    required=1,
    names_community=True,
    reads=True,
)
def resources(call: CommandCall) -> Reply:
    """`/cop resources NAME [WORDS…] [#tag…]`."""
    community = call.the_community
    words, tags = split_query(call.args)
    found = search(call.session, community, words=words, tags=tags)
    blocks = build_search_results(
        community,
        found.resources,
        total=found.total,
        page=0,
        page_size=PAGE_SIZE,
        query={"words": words, "tags": tags},
        command=call.command,
    )
    return Reply(text=f"{found.total} resources in {escape(community.name)}", blocks=blocks)


@subcommands.add(
    "share",
    "NAME URL [TITLE…] [#tag…]",
    "share a resource (no arguments: a form)",
    Audience.MEMBER,
    names_community=True,
    community_optional=True,
)
def share(call: CommandCall) -> Reply:
    """`/cop share NAME URL [TITLE…] [#tag…]`, or a modal with no arguments."""
    if not call.args:
        choices = communities_of(call.session, call.user_id)
        if call.community is None and not choices:
            return Reply.refusal(f"Join a community first — `{call.command} list` shows them.")
        return Reply(text="", open_view=build_share_modal(community=call.community, choices=choices))
    community = call.the_community
    request = parse_share_command(call.args)
    try:
        resource = share_resource(call.session, community, request, user_id=call.user_id, now=call.services.clock.now())
    except DuplicateResource as duplicate:
        return Reply(
            text=str(duplicate), blocks=[section(f"{duplicate}\n{describe(duplicate.existing)}")], refused=True
        )
    except Refused as refused:
        return Reply.refusal(str(refused))
    return Reply(text=f"Shared with *{escape(community.name)}*: {describe(resource)}. The reviewers have been told.")


def _submit_share(services: Services, session: Session, user_id: str, view: dict[str, Any]) -> dict[str, Any]:
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        meta = {}
    meta = meta if isinstance(meta, dict) else {}
    community = community_by_id(session, number(meta.get("community_id") or selected_option(view, "community")))
    if community is None or community.archived_at is not None:
        if meta.get("community_id"):  # the form has no community field to attach the error to
            return {"response_action": "errors", "errors": {"title": "This community has been archived."}}
        return {"response_action": "errors", "errors": {"community": "Choose a community."}}
    if not may(session, services.people, user_id=user_id, need=Audience.MEMBER, community=community):
        field = "community" if not meta.get("community_id") else "title"
        return {"response_action": "errors", "errors": {field: f"Join {community.name} first to share there."}}
    request = ShareRequest(
        url=clean_url(input_text(view, "url")) or None,
        title=input_text(view, "title"),
        kind=selected_option(view, "kind") or ResourceKind.ARTICLE.value,
        tags=parse_tags([input_text(view, "tags")]),
        note=input_text(view, "note"),
        source_channel_id=meta.get("channel_id"),
        source_ts=meta.get("ts"),
        source_permalink=meta.get("permalink"),
    )
    try:
        resource = share_resource(session, community, request, user_id=user_id, now=services.clock.now())
    except DuplicateResource as duplicate:
        message = f"Already shared in {community.name} as “{duplicate.existing.title[:100]}”."
        return {"response_action": "errors", "errors": {"url": message}}
    except ShareRefused as refused:
        return {"response_action": "errors", "errors": refused.problems}
    return {"response_action": "update", "view": build_shared_view(community, resource)}


def _shortcut_modal(services: Services, session: Session, user_id: str, body: dict[str, Any]) -> dict[str, Any]:
    choices = communities_of(session, user_id)
    if not choices:
        return build_no_community_modal(services.command)
    message = body.get("message") or {}
    channel_id = (body.get("channel") or {}).get("id", "")
    here = community_for_channel(session, channel_id)
    community = here if here is not None and here.id in {c.id for c in choices} else None
    saved = resource_from_message(str(message.get("text") or ""))
    metadata = {
        "channel_id": channel_id,
        "ts": message.get("ts"),
        "permalink": permalink(
            domain=(body.get("team") or {}).get("domain"),
            channel_id=channel_id,
            ts=message.get("ts", ""),
            thread_ts=message.get("thread_ts"),
        ),
    }
    kind = ResourceKind.ARTICLE.value if saved.url else ResourceKind.TIP.value
    return build_share_modal(
        community=community,
        choices=choices,
        url=saved.url,
        title=saved.title,
        note=saved.note,
        kind=kind,
        metadata=metadata,
    )


def _strings(value: object) -> list[str]:
    """A list of words from a More button's value (empty when it is anything else)."""
    return [str(item) for item in value] if isinstance(value, list) else []


def _review(
    services: Services,
    body: dict[str, Any],
    action: dict[str, Any],
    context: BoltContext,
    decide: Decision,
) -> None:
    user_id = body["user"]["id"]
    services.people.lookup(user_id)
    with unit_of_work(services, context) as session:
        assert session is not None
        resource = resource_by_id(session, number(action.get("value")))
        community = community_by_id(session, resource.community_id) if resource else None
        if resource is None or community is None:
            message = "That resource no longer exists."
        elif not may_review(session, services.people, user_id=user_id, community_id=community.id):
            message = f"Only information-resources holders and coordinators of *{escape(community.name)}* can do that."
        else:
            decide(session, resource, user_id)
            return
    tell(services, body, message)
