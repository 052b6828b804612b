"""The local sandbox: a Slack stand-in and `copbot shell`, for trying copbot and for end-to-end tests."""
