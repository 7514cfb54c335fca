"""The OpenAPI 3.1 description of /api/v1 (served at /api/v1/openapi.json)."""

from typing import Any

_ERROR = {"description": "error", "content": {"application/json": {"schema": {
    "$ref": "#/components/schemas/Error"}}}}
_OK = {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}
_UNAVAILABLE = {**_ERROR, "description": "the database is unavailable: retry after the delay",
                "headers": {"Retry-After": {"description": "seconds to wait",
                                            "schema": {"type": "integer"}}}}
_STATUS = {"name": "status", "in": "query", "required": False, "schema": {"type": "string"}}


def _op(summary: str, *, params: list[dict[str, Any]] | None = None,
        body: dict[str, Any] | None = None, ok: str = "200") -> dict[str, Any]:
    operation: dict[str, Any] = {"summary": summary, "parameters": params or [],
                                 "responses": {ok: _OK, "401": _ERROR, "403": _ERROR,
                                               "404": _ERROR, "422": _ERROR,
                                               "503": _UNAVAILABLE}}
    if body:
        operation["requestBody"] = {"required": True, "content": {
            "application/json": {"schema": body}}}
    return operation


def _path_id(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}


OPENAPI: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "BranchLink staff API", "version": "1",
             "description": "Every call sees exactly the caller's scope: a manager their "
                            "customers and leads, a branch head their branch, head office all."},
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {"Error": {"type": "object", "required": ["error"], "properties": {
            "error": {"type": "object", "required": ["code", "message"], "properties": {
                "code": {"type": "string", "enum": [
                    "bad_request", "unauthorized", "forbidden", "not_found", "conflict",
                    "invalid", "unavailable"]},
                "message": {"type": "string"}}}}}},
    },
    "security": [{"bearer": []}],
    "paths": {
        "/api/v1/me": {"get": _op("The caller")},
        "/api/v1/leads": {"get": _op("Leads in scope", params=[_STATUS])},
        "/api/v1/leads/{lead_id}": {"patch": _op(
            "Move a lead on", params=[_path_id("lead_id")],
            body={"type": "object", "required": ["status"], "properties": {
                "status": {"enum": ["new", "contacted", "converted", "lost"]},
                "note": {"type": "string"}}})},
        "/api/v1/customers": {"get": _op("Search customers", params=[
            {"name": "q", "in": "query", "required": False, "schema": {"type": "string"}}])},
        "/api/v1/customers/{customer_id}": {"get": _op(
            "One customer", params=[_path_id("customer_id")])},
        "/api/v1/branches/{code}": {"get": _op("Branch overview", params=[
            {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}])},
        "/api/v1/transfers": {"post": _op(
            "Transfer customers", ok="201",
            body={"type": "object", "required": ["from", "to"], "properties": {
                "from": {"type": "string"}, "to": {"type": "string"},
                "customers": {"type": "array", "items": {"type": "integer"}}}})},
        "/api/v1/shares/leaderboard": {"get": _op(
            "Opens (unique visitors), follows and leads brought by shares, per manager and per "
            "customer")},
        "/api/v1/notices": {"get": _op("Notices", params=[_STATUS])},
        "/api/v1/notices/{notice_id}/retry": {"post": _op(
            "Retry a notice", params=[_path_id("notice_id")])},
        "/api/v1/audit": {"get": _op("Audit trail", params=[
            {"name": "action", "in": "query", "required": False, "schema": {"type": "string"}}])},
    },
}
