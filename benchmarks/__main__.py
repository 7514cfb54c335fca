"""Run every benchmark: `python -m benchmarks [name ...]`."""

import sys

from benchmarks import console, homes, outbox, posters, products, webhook

BENCHMARKS = {"webhook": webhook.main, "outbox": outbox.main, "posters": posters.main,
              "console": console.main, "products": products.main, "homes": homes.main}


def main(names: list[str]) -> None:
    """Run the named benchmarks (all by default)."""
    for name in names or list(BENCHMARKS):
        BENCHMARKS[name]()


if __name__ == "__main__":
    main(sys.argv[1:])
