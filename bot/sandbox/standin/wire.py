"""Reading Web API requests the way Slack does: form, JSON or multipart bodies, token in header or body."""

from __future__ import annotations

import json
from collections.abc import Mapping
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qsl

JSON_FIELDS = ("blocks", "attachments", "view", "metadata")


class MalformedBodyError(ValueError):
    """The request body could not be parsed (Slack answers `invalid_json` / `invalid_form_data`)."""

    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


def parse_params(content_type: str, body: bytes, query: str = "") -> dict[str, Any]:
    """All request parameters: query string first, then the body; JSON-in-form fields decoded."""
    params: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind == "application/json":
        params.update(_json_body(body))
    elif kind == "multipart/form-data":
        params.update(_multipart_body(content_type, body))
    elif body:
        params.update(_form_body(body))
    return decode_json_fields(params)


def _json_body(body: bytes) -> dict[str, Any]:
    if not body:
        return {}
    try:
        parsed = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise MalformedBodyError("invalid_json") from error
    if not isinstance(parsed, dict):
        raise MalformedBodyError("invalid_json")
    return parsed


def _form_body(body: bytes) -> dict[str, Any]:
    try:
        return dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    except UnicodeDecodeError as error:
        raise MalformedBodyError("invalid_form_data") from error


def _multipart_body(content_type: str, body: bytes) -> dict[str, Any]:
    header = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(header + body)
    if not message.is_multipart():
        raise MalformedBodyError("invalid_form_data")
    params: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        raw = part.get_payload(decode=True)
        payload = raw if isinstance(raw, bytes) else b""
        if part.get_filename():
            params[str(name)] = payload
        else:
            params[str(name)] = payload.decode("utf-8", errors="replace")
    return params


def decode_json_fields(params: dict[str, Any]) -> dict[str, Any]:
    """Decode `blocks`, `attachments`, `view` and `metadata` sent as JSON strings; bad JSON stays a string."""
    for name in JSON_FIELDS:
        value = params.get(name)
        if isinstance(value, str) and value.strip():
            try:
                params[name] = json.loads(value)
            except json.JSONDecodeError:
                continue
    return params


def token_from(headers: Mapping[str, str], params: Mapping[str, Any]) -> str | None:
    """The token of a request: `Authorization: Bearer …` or the `token` parameter."""
    lowered = {key.lower(): value for key, value in headers.items()}
    authorization = lowered.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        return authorization[7:].strip()
    token = params.get("token")
    return str(token) if token else None


def flag(value: Any) -> bool:
    """A boolean parameter as Slack reads it ("1", "true", true)."""
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes"}
    return bool(value)
