"""`python -m bench [latency|search] [--requests N]`: copbot against a bare Bolt app, in the same run."""

from __future__ import annotations

import argparse

from bench import latency, search


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("suite", nargs="?", choices=["latency", "search", "all"], default="all")
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    if args.suite in ("latency", "all"):
        latency.run(args.requests)
    if args.suite in ("search", "all"):
        search.run(args.requests)


main()
