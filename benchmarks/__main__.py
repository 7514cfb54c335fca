"""Run every benchmark: `python -m benchmarks [name ...]`."""

import sys

from benchmarks import (
    campaign_send,
    campaigns,
    chains,
    classify,
    console,
    homes,
    outbox,
    posters,
    products,
    scorecards,
    segments,
    soak,
    statements,
    talk,
    webhook,
)

BENCHMARKS = {"webhook": webhook.main, "outbox": outbox.main, "posters": posters.main,
              "console": console.main, "products": products.main, "homes": homes.main,
              "statements": statements.main, "segments": segments.main}


def main(names: list[str]) -> None:
    """Run the named benchmarks (all by default); `soak [--minutes N]` runs the soak alone."""
    if names[:1] == ["soak"]:
        soak.main(names[1:])
        return
    if names[:1] == ["classify"]:  # `classify [--rows N]`: the import against a bare COPY
        classify.main(names[1:])
        return
    if names[:1] == ["campaigns"]:  # takes its own options (--customers N)
        campaigns.main(names[1:])
        return
    if names[:1] == ["campaign_send"]:  # `campaign_send [--followers N]`
        campaign_send.main(names[1:])
        return
    if names[:1] == ["segments"]:  # takes its own options (--customers N)
        segments.main(names[1:])
        return
    if names[:1] == ["outbox"]:  # `outbox [--database postgresql] [--backlog N]`
        outbox.main(names[1:])
        return
    if names[:1] == ["talk"]:
        talk.main(names[1:])
        return
    if names[:1] == ["scorecards"]:  # `scorecards [--scale F]`
        scorecards.main(names[1:])
        return
    if names[:1] == ["chains"]:
        chains.main(names[1:])
        return
    for name in names or list(BENCHMARKS):
        BENCHMARKS[name]()


if __name__ == "__main__":
    main(sys.argv[1:])
