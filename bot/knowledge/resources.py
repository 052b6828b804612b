"""Sharing resources, the review queue and search. Plain values in, plain results out."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.communities.lifecycle import Refused
from bot.communities.roles import role_holders
from bot.delivery.tracked import Rendering, send_tracked, update_tracked
from bot.knowledge.blocks import build_review_dm, build_reviewed_dm
from bot.slack.limits import cut
from bot.slack.markup import LINK, escape, first_link, link_host, plain_text
from storage.models import Community, Resource, ResourceKind, ResourceTag, Role
from storage.search import SearchPage, fold, search_resources, searchable_text

KINDS = tuple(kind.value for kind in ResourceKind)
URL_OPTIONAL_KINDS = (ResourceKind.TIP.value, ResourceKind.LESSON.value)
TAG = re.compile(r"#?(\w[\w-]{0,63})")
MAX_TAGS = 10
MAX_TITLE = 200
MAX_URL = 2000  # counted as Slack counts it, escaped; a link must fit whole in a 3,000-character section
# A title word that reads as an address: a scheme, `www.`, or a domain followed by a path.
ADDRESS = re.compile(r"(?:[a-z][a-z0-9+.-]*://|www\.)[^\s<>]+|(?:[a-z0-9-]+\.)+[a-z]{2,}/[^\s<>]*", re.IGNORECASE)
MAX_NOTE = 2000
PAGE_SIZE = 10
MAX_QUERY_WORDS = 12
MAX_QUERY_WORD = 40
TOPIC = "resource_review"  # tracked messages: the review DMs about one resource, updated after a decision


class ShareRefused(Refused):
    """A share with field problems (field → message); the message is the first of them."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(next(iter(problems.values())))
        self.problems = problems


class DuplicateResource(Refused):
    """The URL is already in the community; `existing` is the entry the sharer should see."""

    def __init__(self, existing: Resource) -> None:
        super().__init__(f"That link is already shared in this community: “{escape(existing.title)}”.")
        self.existing = existing


@dataclass(frozen=True)
class ShareRequest:
    """What someone wants to share."""

    url: str | None
    title: str
    kind: str = ResourceKind.ARTICLE.value
    tags: list[str] = field(default_factory=list)
    note: str = ""
    source_channel_id: str | None = None
    source_ts: str | None = None
    source_permalink: str | None = None


def normalize_url(url: str) -> str:
    """The page a link leads to, as compared for duplicates: `http://EXAMPLE.com:80/x/#top` and
    `https://example.com/x?utm_source=chat` are the same page. Ignored: http or https, the host's case,
    a default port, a trailing slash, the fragment, utm_* parameters. Kept: `www.` (some sites serve
    another page there), the path's case, other parameters."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port  # reading it checks it (`https://x.org:99999/` has none)
    except ValueError:
        raise Refused(f"`{escape(url)}` is not a link I can read. Copy it from the browser's address bar.") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise Refused("Only http(s) links can be shared, such as `https://example.org/guide`.")
    host = parts.hostname + (f":{port}" if port not in (None, 80, 443) else "")
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not k.lower().startswith("utm_")]
    )
    return urlunsplit(("https", host, parts.path.rstrip("/"), query, ""))


def clean_url(raw: str) -> str:
    """A URL as typed or as Slack escaped it (`<https://x|label>` → `https://x`)."""
    raw = raw.strip()
    if raw.startswith("<") and raw.endswith(">"):
        raw = raw[1:-1].split("|", 1)[0]
    return raw.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


@dataclass(frozen=True)
class SavedMessage:
    """What the *Save as community resource* shortcut proposes from a message."""

    url: str
    title: str
    note: str


def resource_from_message(text: str) -> SavedMessage:
    """What to propose from a message: its first link; a title, the link's own text or else the first
    line without the URL (a link in mid-sentence reads as its host: "the guide at packaging.python.org");
    and the rest of the message as the note."""
    found = first_link(text)
    url, label = found if found else ("", "")
    lines = [line.strip() for line in text.strip().splitlines()]
    if found and not label:
        lines = [line for line in lines if not LINK.fullmatch(line)]  # a line that is only the link says nothing
    readable = [
        " ".join(plain_text(LINK.sub(lambda m: m.group(2) or link_host(m.group(1)), line)).split()) for line in lines
    ]
    readable = [line for line in readable if line]
    if label:
        title, rest = label, readable  # the note keeps the sentence the link was in
    else:
        title, rest = (readable[0].rstrip(" :–-") if readable else ""), readable[1:]
    return SavedMessage(url=url, title=cut(title, MAX_TITLE), note=cut("\n".join(rest), MAX_NOTE))


def parse_tags(words: list[str]) -> list[str]:
    """Tags from `#tag` words or a comma/space separated field: lowercased, unique, in order."""
    tags: list[str] = []
    for word in words:
        for piece in re.split(r"[,\s]+", word):
            match = TAG.fullmatch(piece.strip())
            if match and match.group(1).lower() not in tags:
                tags.append(match.group(1).lower())
    return tags


def parse_share_command(args: tuple[str, ...]) -> ShareRequest:
    """`URL [TITLE…] [#tag…]`; a `#kind` tag (such as `#tip`) sets the kind."""
    url = clean_url(args[0])
    readable = [plain_text(word) for word in args[1:]]  # `<#C1|python>` becomes `#python`
    words = [word for word in readable if not word.startswith("#")]
    tags = parse_tags([word for word in readable if word.startswith("#")])
    kinds = [tag for tag in tags if tag in KINDS]
    kind = kinds[0] if kinds else ResourceKind.ARTICLE.value
    return ShareRequest(url=url, title=" ".join(words), kind=kind, tags=[t for t in tags if t not in KINDS])


def share_problems(request: ShareRequest) -> dict[str, str]:
    """Field errors for a share (empty when fine)."""
    problems: dict[str, str] = {}
    if request.kind not in KINDS:
        problems["kind"] = "Pick a kind: " + ", ".join(KINDS) + "."
    if request.url and len(escape(request.url)) > MAX_URL:
        problems["url"] = (
            f"That link is too long to share (over {MAX_URL:,} characters). A shorter link to the same page will do."
        )
    elif request.url:
        try:
            normalize_url(request.url)
        except Refused as refused:
            problems["url"] = str(refused)
        else:
            misleading = misleading_title(request.title, request.url)
            if misleading:
                problems["title"] = misleading
    elif request.kind not in URL_OPTIONAL_KINDS:
        problems["url"] = "Add the link, or choose tip or lesson for knowledge without one."
    if not request.title.strip() and not request.url:
        problems["title"] = "Give it a title or a link."
    if len(request.title) > MAX_TITLE:
        problems["title"] = f"Keep the title under {MAX_TITLE} characters."
    if len(request.note) > MAX_NOTE:
        problems["note"] = f"Keep the note under {MAX_NOTE} characters."
    if len(request.tags) > MAX_TAGS:
        problems["tags"] = f"Up to {MAX_TAGS} tags, please."
    return problems


def misleading_title(title: str, url: str) -> str | None:
    """Why a title that reads as an address other than the link's own would mislead, or None."""
    real = link_host(url)
    for address in ADDRESS.findall(title):
        shown = link_host(address if "://" in address else f"https://{address}")
        if shown and real and shown != real and not shown.endswith(f".{real}") and not real.endswith(f".{shown}"):
            return (
                f"The title reads as a link to `{escape(shown)}`, but the link goes to `{escape(real)}`. "
                "Describe the resource in words, or share that address itself."
            )
    return None


def existing_resource(session: Session, community: Community, url: str) -> Resource | None:
    """The live or retired resource with the same normalised URL in the community."""
    return session.scalar(
        select(Resource).where(Resource.community_id == community.id, Resource.url_normalized == normalize_url(url))
    )


def share_resource(
    session: Session, community: Community, request: ShareRequest, *, user_id: str, now: datetime
) -> Resource:
    """Store a resource and send it to the reviewers; raises Refused or DuplicateResource."""
    problems = share_problems(request)
    if problems:
        raise ShareRefused(problems)
    normalized = normalize_url(request.url) if request.url else None
    if request.url:
        existing = existing_resource(session, community, request.url)
        if existing is not None:
            raise DuplicateResource(existing)
    title = request.title.strip() or cut(request.url or "", MAX_TITLE)
    resource = Resource(
        community_id=community.id,
        kind=request.kind,
        url=request.url,
        url_normalized=normalized,
        title=title,
        note=request.note.strip(),
        shared_by=user_id,
        shared_at=now,
        pinned=False,
        source_channel_id=request.source_channel_id,
        source_ts=request.source_ts,
        source_permalink=request.source_permalink,
        search_text=searchable_text(title=title, note=request.note, tags=request.tags),
        tags=[ResourceTag(tag=tag) for tag in request.tags],
    )
    try:
        with session.begin_nested():
            session.add(resource)
    except IntegrityError:  # the same URL shared at the same moment: show the one that won
        existing = existing_resource(session, community, request.url or "")
        if existing is None:
            raise
        raise DuplicateResource(existing) from None
    _send_for_review(session, community, resource, now=now)
    return resource


def pinned_resources(session: Session, community: Community, *, limit: int = 3) -> list[Resource]:
    """Pinned, live resources, newest first."""
    return list(
        session.scalars(
            select(Resource)
            .where(Resource.community_id == community.id, Resource.pinned.is_(True), Resource.retired_at.is_(None))
            .order_by(Resource.shared_at.desc())
            .limit(limit)
        )
    )


def resource_by_id(session: Session, resource_id: int) -> Resource | None:
    """The resource with that id, retired or not."""
    return session.get(Resource, resource_id)


def reviewers_for(session: Session, community: Community) -> list[str]:
    """The information-resources holders, or the coordinators when there is none."""
    return list(role_holders(session, community.id, Role.RESOURCES)) or list(
        role_holders(session, community.id, Role.COORDINATOR)
    )


def _send_for_review(session: Session, community: Community, resource: Resource, *, now: datetime) -> None:
    reviewers = reviewers_for(session, community)
    if len(reviewers) > 1:  # a reviewer who shared it need not review it, when someone else can
        reviewers = [reviewer for reviewer in reviewers if reviewer != resource.shared_by]
    for reviewer in reviewers:
        send_tracked(
            session,
            topic=TOPIC,
            subject_id=resource.id,
            recipient=reviewer,
            rendering=Rendering(
                text=f"New in {escape(community.name)}: {escape(resource.title)}",
                blocks=build_review_dm(community, resource),
            ),
            kind="resource_review",
            now=now,
            dedupe_key=f"resource-review:{resource.id}:{reviewer}",
        )


def pin_resource(session: Session, resource: Resource, *, by: str, now: datetime, pinned: bool = True) -> None:
    """Pin (or unpin) a resource; pinned ones come first everywhere and reach the welcome DM."""
    resource.pinned = pinned
    _reviewed(session, resource, by=by, now=now, decision="pinned" if pinned else "unpinned")


def retire_resource(session: Session, resource: Resource, *, by: str, now: datetime) -> None:
    """Retire a resource: it leaves search and lists, and is kept."""
    resource.retired_at = now
    resource.pinned = False
    _reviewed(session, resource, by=by, now=now, decision="retired")


def retag_resource(session: Session, resource: Resource, *, tags: list[str], by: str, now: datetime) -> None:
    """Replace a resource's tags; concurrent retags of one resource take turns (its row lock)."""
    if len(tags) > MAX_TAGS:
        raise Refused(f"Up to {MAX_TAGS} tags, please.")
    session.execute(select(Resource.id).where(Resource.id == resource.id).with_for_update())
    session.refresh(resource, ["tags"])
    kept = [existing for existing in resource.tags if existing.tag in tags]
    have = {existing.tag for existing in kept}
    for removed in [existing for existing in resource.tags if existing.tag not in tags]:
        resource.tags.remove(removed)
    session.flush()  # deletes first, so a tag that stays never collides with itself
    resource.tags = kept + [ResourceTag(tag=tag) for tag in tags if tag not in have]
    resource.search_text = searchable_text(title=resource.title, note=resource.note, tags=tags)
    _reviewed(session, resource, by=by, now=now, decision="retagged")


def _reviewed(session: Session, resource: Resource, *, by: str, now: datetime, decision: str) -> None:
    resource.reviewed_by = by
    resource.reviewed_at = now
    community = session.get(Community, resource.community_id)
    assert community is not None
    rendering = Rendering(
        text=f"{escape(resource.title)}: {decision} by <@{by}>",
        blocks=build_reviewed_dm(community, resource, decision=decision, by=by),
    )
    update_tracked(
        session,
        topic=TOPIC,
        subject_id=resource.id,
        render=lambda _recipient: rendering,
        kind="resource_review_update",
        now=now,
    )


def search(session: Session, community: Community, *, words: list[str], tags: list[str], page: int = 0) -> SearchPage:
    """One page of a community's resources matching words and tags."""
    return search_resources(
        session, community_id=community.id, words=words, tags=tags, offset=page * PAGE_SIZE, limit=PAGE_SIZE
    )


def split_query(args: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """Words and `#tags` of a search."""
    readable = [plain_text(word) for word in args]
    words = [fold(word)[:MAX_QUERY_WORD] for word in readable if not word.startswith("#")][:MAX_QUERY_WORDS]
    return words, parse_tags([word for word in readable if word.startswith("#")])[:MAX_TAGS]
