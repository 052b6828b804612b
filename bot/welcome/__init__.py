"""Joining and welcoming: memberships, the newcomer's DM, volunteers' claim alerts, reminders."""
