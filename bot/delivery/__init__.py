"""Durable delivery: the outbox, the worker that sends it at Slack's pace, and tracked messages."""
