"""The import rules hold at run time too: the chat pipeline and the worker load no web code."""

import subprocess
import sys

WEB = ("flask", "flask_login", "flask_wtf", "werkzeug", "jinja2")
PROBE = """
import importlib, pkgutil, sys
import bot.handlers
for module in pkgutil.iter_modules(bot.handlers.__path__, "bot.handlers."):
    importlib.import_module(module.name)
for name in sys.argv[2:]:
    importlib.import_module(name)
web = set(sys.argv[1].split(","))
print(" ".join(sorted({m.split(".")[0] for m in sys.modules} & web)))
"""


def loaded_web_packages(*modules: str) -> str:
    """Import every handler and `modules` in a fresh interpreter; name the web packages loaded."""
    done = subprocess.run([sys.executable, "-c", PROBE, ",".join(WEB), *modules],
                          capture_output=True, text=True, check=True, timeout=60)
    return done.stdout.strip()


def test_importing_the_handlers_the_pipeline_and_the_worker_loads_no_web_code():
    assert loaded_web_packages("bot", "bot.dispatch", "bot.inbound", "bot.runtime",
                               "bot.worker.scheduler", "bot.worker.outbox") == ""


def test_the_probe_sees_web_code_when_it_is_loaded():
    assert loaded_web_packages("bot.web.app") != ""
