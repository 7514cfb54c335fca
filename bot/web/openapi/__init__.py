"""The OpenAPI 3.1 description of /api/v1 (served at /api/v1/openapi.json).

Every status an operation can answer is listed with its body, and the suite's schema-driven
fuzzer (tests/integration/test_api_schema.py) fails on any other status, on a 5xx and on a body
that breaks its schema: change the API and this document together. Each family of operations
keeps its schemas and paths in its own module, beside the staff API module that serves it.
"""

import re
from functools import cache
from typing import Any

from bot.web.openapi import (
    campaigns,
    classification,
    collaboration,
    conversations,
    core,
    scorecards,
    segments,
)
from bot.web.openapi.parts import CODE_MAX_LENGTH, PARAMETER_MAX_LENGTH
from crm_core.model import BIG_ID_MAX, ID_MAX

__all__ = ["BIG_ROW_ID", "CODE_MAX_LENGTH", "OPENAPI", "PARAMETER_MAX_LENGTH", "ROW_ID",
           "openapi_path", "query_parameters"]

# URL converters of ids: a larger id names no row, is routed nowhere (404) and never reaches SQL.
ROW_ID = f"int(max={ID_MAX})"
BIG_ROW_ID = f"int(max={BIG_ID_MAX})"

_FAMILIES = (core, conversations, segments, collaboration, scorecards, campaigns, classification)

OPENAPI: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "BranchLink staff API", "version": "1",
             "description": "Every call sees exactly the caller's scope: a manager their "
                            "customers and leads, a branch head their branch, head office all."},
    "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
                   "schemas": {name: schema for family in _FAMILIES
                               for name, schema in family.SCHEMAS.items()}},
    "security": [{"bearer": []}],
    "paths": {path: item for family in _FAMILIES for path, item in family.PATHS.items()},
}


def openapi_path(rule: str) -> str:
    """Return the document's path of a Flask URL rule (`<int(max=…):id>` becomes `{id}`)."""
    return re.sub(r"<(?:[^<>:]+:)?([^<>]+)>", r"{\1}", rule)


@cache
def query_parameters(rule: str, method: str) -> frozenset[str]:
    """Return the query parameters documented for a Flask URL rule and method."""
    operation = OPENAPI["paths"].get(openapi_path(rule), {}).get(method.lower(), {})
    return frozenset(p["name"] for p in operation.get("parameters", []) if p["in"] == "query")
