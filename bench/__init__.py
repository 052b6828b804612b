"""Benchmarks: copbot against a bare Bolt app, measured in the same run (`make bench`)."""
