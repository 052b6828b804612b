"""A question as posted in the community channel, before and after it is answered."""

from __future__ import annotations

from bot.blocks.common import Block, actions, button, context, section
from bot.text import escape
from storage.models import Question

ANSWERED_ACTION = "question_answered"


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
