"""`python -m bench [latency|load|fanout|search|digest] [--requests N]`: copbot against a bare Bolt app, in the same run;
`digest` times building the weekly health digests of many communities."""

from __future__ import annotations

import argparse

from bench import digest, fanout, latency, load, search


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "suite", nargs="?", choices=["latency", "load", "fanout", "search", "digest", "all"], default="all"
    )
    parser.add_argument("--no-postgres", action="store_true", help="load: SQLite and bare Bolt only")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--communities", type=int, default=digest.COMMUNITIES, help="digest: communities to build")
    parser.add_argument("--members", type=int, default=digest.MEMBERS, help="digest: members in all")
    parser.add_argument("--rows", type=int, default=digest.ACTIVITY_ROWS, help="digest: activity rows in all")
    args = parser.parse_args()
    if args.suite in ("latency", "all"):
        latency.run(args.requests)
    if args.suite in ("load", "all"):
        load.run(with_postgres=not args.no_postgres)
    if args.suite in ("fanout", "all"):
        fanout.run()
    if args.suite in ("search", "all"):
        search.run(args.requests)
    if args.suite in ("digest", "all"):
        digest.run(args.communities, args.members, args.rows)


main()
