"""Pure Block Kit builders: plain values in, blocks out; every piece of user text escaped."""
