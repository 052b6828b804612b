"""Knowledge Block Kit: the resource review DM, search results, share and retag modals, and questions."""

from __future__ import annotations

import json
from typing import Any

from bot.slack.blocks import Block, actions, button, context, link, modal, plain_input, section
from bot.slack.markup import escape
from storage.models import Community, Question, Resource, ResourceKind

PIN_ACTION = "resource_pin"
UNPIN_ACTION = "resource_unpin"
RETAG_ACTION = "resource_retag"
RETIRE_ACTION = "resource_retire"
MORE_ACTION = "resources_more"
ANSWERED_ACTION = "question_answered"
SHARE_CALLBACK = "resource_share"
RETAG_CALLBACK = "resource_retag_submit"
SAVE_RESOURCE_CALLBACK = "save_as_resource"  # the message shortcut, declared in the manifest
NOTE_PREVIEW = 200
TAGS_FIELD = 700  # ten tags of up to 64 characters, with separators


def describe(resource: Resource) -> str:
    """One line: pin, linked title, kind, tags, who shared it and when."""
    pin = ":pushpin: " if resource.pinned else ""
    tags = " ".join(f"#{escape(tag.tag)}" for tag in resource.tags)
    when = f"<!date^{int(resource.shared_at.timestamp())}^{{date_short}}|{resource.shared_at:%Y-%m-%d}>"
    return f"{pin}{link(resource.url, resource.title)} · {resource.kind}{' · ' + tags if tags else ''} · <@{resource.shared_by}>, {when}"


def note_preview(resource: Resource) -> str:
    """The start of the note, escaped and quoted."""
    if not resource.note:
        return ""
    note = resource.note if len(resource.note) <= NOTE_PREVIEW else resource.note[:NOTE_PREVIEW].rstrip() + "…"
    return "\n" + "\n".join(f">{line}" for line in escape(note).splitlines() if line.strip())


def build_review_dm(community: Community, resource: Resource) -> list[Block]:
    """A reviewer's DM about a new resource, with Pin / Retag / Retire."""
    source = f"\n<{escape(resource.source_permalink)}|From this message>" if resource.source_permalink else ""
    return [
        section(
            f":inbox_tray: New in *{escape(community.name)}*:\n{describe(resource)}{note_preview(resource)}{source}"
        ),
        actions(
            button("Pin", action_id=PIN_ACTION, value=str(resource.id), style="primary"),
            button("Retag", action_id=RETAG_ACTION, value=str(resource.id)),
            button("Retire", action_id=RETIRE_ACTION, value=str(resource.id), style="danger"),
        ),
    ]


def build_reviewed_dm(community: Community, resource: Resource, *, decision: str, by: str) -> list[Block]:
    """The review DM after a decision: what was decided and by whom; pinned ones can be unpinned."""
    blocks: list[Block] = [
        section(f"*{escape(community.name)}*: {describe(resource)}"),
        context(f"{decision.capitalize()} by <@{by}>."),
    ]
    if resource.retired_at is None:
        pin = (
            button("Unpin", action_id=UNPIN_ACTION, value=str(resource.id))
            if resource.pinned
            else button("Pin", action_id=PIN_ACTION, value=str(resource.id))
        )
        blocks.append(actions(pin, button("Retag", action_id=RETAG_ACTION, value=str(resource.id))))
    return blocks


def build_search_results(
    community: Community,
    resources: list[Resource],
    *,
    total: int,
    page: int,
    page_size: int,
    query: dict[str, Any],
    command: str,
) -> list[Block]:
    """A page of search results, pinned first, with a More button while there are more."""
    searched = " ".join([*query.get("words", []), *(f"#{t}" for t in query.get("tags", []))])
    about = f" for “{escape(searched)}”" if searched else ""
    if not resources:
        hint = f"Try fewer words, or share the first one: `{command} share {community.name} URL`."
        return [section(f"No resources in *{escape(community.name)}*{about}. {hint}")]
    first = page * page_size + 1
    blocks: list[Block] = [
        section(f"*{escape(community.name)}* resources{about}: {first}–{first + len(resources) - 1} of {total}")
    ]
    for resource in resources:
        blocks.append(section(describe(resource) + note_preview(resource)))
    if first + len(resources) - 1 < total:
        # As characters, not \u escapes: Slack counts a value's characters (2,000 at most), and twelve words
        # of forty Cyrillic letters written as escapes would not fit.
        value = json.dumps({**query, "community_id": community.id, "page": page + 1}, ensure_ascii=False)
        blocks.append(actions(button("More", action_id=MORE_ACTION, value=value)))
    return blocks


def kind_select(initial: str) -> Block:
    """The kind picker."""
    options = [
        {"text": {"type": "plain_text", "text": kind.value.capitalize()}, "value": kind.value} for kind in ResourceKind
    ]
    chosen = next(option for option in options if option["value"] == initial)
    return {
        "type": "input",
        "block_id": "kind",
        "label": {"type": "plain_text", "text": "Kind"},
        "element": {"type": "static_select", "action_id": "value", "options": options, "initial_option": chosen},
    }


SELECT_OPTIONS = 100  # Slack's most options in a select, and most options in each of its groups


def plain_label(text: str) -> dict[str, str]:
    """A plain_text object for an option group's label (75 characters at most)."""
    return {"type": "plain_text", "text": text[:75]}


def community_select(communities: list[Community]) -> Block:
    """Which community to share with (for a share started outside a community channel). Past 100, the
    communities come in alphabetical groups of 100 (Slack allows 100 groups), so none is left out."""

    def option(community: Community) -> Block:
        return {"text": plain_label(community.name), "value": str(community.id)}

    element: Block = {"type": "static_select", "action_id": "value"}
    if len(communities) <= SELECT_OPTIONS:
        element["options"] = [option(c) for c in communities]
    else:
        groups = [communities[at : at + SELECT_OPTIONS] for at in range(0, len(communities), SELECT_OPTIONS)]
        element["option_groups"] = [
            {"label": plain_label(f"{group[0].name} – {group[-1].name}"), "options": [option(c) for c in group]}
            for group in groups[:SELECT_OPTIONS]
        ]
    return {
        "type": "input",
        "block_id": "community",
        "label": {"type": "plain_text", "text": "Community"},
        "element": element,
    }


def build_share_modal(
    *,
    community: Community | None,
    choices: list[Community],
    url: str = "",
    title: str = "",
    note: str = "",
    kind: str = ResourceKind.ARTICLE.value,
    metadata: dict[str, Any] | None = None,
) -> Block:
    """The share modal; prefilled when saving a message. URL is optional for tips and lessons."""
    blocks: list[Block] = []
    if community is None:
        blocks.append(community_select(choices))
    else:
        blocks.append(section(f"Sharing with *{escape(community.name)}*."))
    blocks += [
        kind_select(kind),
        plain_input(
            block_id="url",
            label="Link",
            initial=url,
            optional=True,
            max_length=3000,
            placeholder="https://… (optional for tips and lessons)",
        ),
        plain_input(
            block_id="title",
            label="Title",
            initial=title,
            optional=True,
            max_length=200,
            placeholder="Leave empty to use the link",
        ),
        plain_input(
            block_id="tags", label="Tags", optional=True, max_length=TAGS_FIELD, placeholder="testing, packaging"
        ),
        plain_input(
            block_id="note",
            label="Why it's useful (or the tip itself)",
            initial=note,
            multiline=True,
            optional=True,
            max_length=2000,
        ),
    ]
    meta = {**(metadata or {}), "community_id": community.id if community else None}
    return modal(
        callback_id=SHARE_CALLBACK,
        title="Share a resource",
        submit="Share",
        blocks=blocks,
        private_metadata=json.dumps(meta),
    )


def build_shared_view(community: Community, resource: Resource) -> Block:
    """What the share form turns into once the resource is stored."""
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Shared"},
        "close": {"type": "plain_text", "text": "Done"},
        "blocks": [
            section(
                f":white_check_mark: Shared with *{escape(community.name)}*:\n{describe(resource)}\n"
                "The reviewers have been told."
            )
        ],
    }


def build_retag_modal(resource: Resource) -> Block:
    """The retag modal, prefilled with the current tags."""
    return modal(
        callback_id=RETAG_CALLBACK,
        title="Retag resource",
        private_metadata=str(resource.id),
        blocks=[
            section(link(resource.url, resource.title)),
            plain_input(
                block_id="tags",
                label="Tags",
                initial=", ".join(t.tag for t in resource.tags),
                optional=True,
                max_length=TAGS_FIELD,
            ),
        ],
    )


def build_no_community_modal(command: str) -> Block:
    """Shown by the message shortcut to someone in no community yet."""
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Share a resource"},
        "close": {"type": "plain_text", "text": "OK"},
        "blocks": [
            section(f"Join a community first — `{command} list` shows them — then save messages as its resources.")
        ],
    }


def build_question(question: Question, *, community_name: str) -> list[Block]:
    """The channel post: who asks what, a Mark answered button, how to answer."""
    quoted = "\n".join(f">{line}" for line in escape(question.text).splitlines() if line.strip())
    blocks: list[Block] = [section(f":question: *<@{question.asked_by}> asks {escape(community_name)}:*\n{quoted}")]
    if question.answered_at is None:
        blocks.append(context("Answer in this thread. The asker or a coordinator can mark it answered."))
        blocks.append(actions(button("Mark answered", action_id=ANSWERED_ACTION, value=str(question.id))))
    else:
        blocks.append(context(f":white_check_mark: Answered — marked by <@{question.answered_by}>."))
    return blocks
