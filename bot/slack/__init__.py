"""Slack as a platform: markup in and out, Block Kit pieces, who people are, which events were handled."""
