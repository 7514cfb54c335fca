"""Run every benchmark: `python -m benchmarks [name ...]`."""

import sys

from benchmarks import chains, console, homes, outbox, posters, products, soak, statements, webhook

BENCHMARKS = {"webhook": webhook.main, "outbox": outbox.main, "posters": posters.main,
              "console": console.main, "products": products.main, "homes": homes.main,
              "statements": statements.main}


def main(names: list[str]) -> None:
    """Run the named benchmarks (all by default); `soak [--minutes N]` runs the soak alone."""
    if names[:1] == ["soak"]:
        soak.main(names[1:])
        return
    if names[:1] == ["chains"]:
        chains.main(names[1:])
        return
    for name in names or list(BENCHMARKS):
        BENCHMARKS[name]()


if __name__ == "__main__":
    main(sys.argv[1:])
