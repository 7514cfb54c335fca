"""The building blocks every family of the staff API's document is written with."""

from typing import Any

from crm_core.model import ID_MAX, LeadStatus, NoticeStatus

PARAMETER_MAX_LENGTH = 200  # query and path values; longer ones are refused (400)
CODE_MAX_LENGTH = 24  # branch and manager codes

INT = {"type": "integer"}
BOOL = {"type": "boolean"}
NUMBER = {"type": ["number", "null"]}
WHOLE_OR_NULL = {"type": ["integer", "null"]}
TEXT_OR_NULL = {"type": ["string", "null"]}
TEXT_QUERY = {"type": "string", "maxLength": PARAMETER_MAX_LENGTH}
CODE_PATH = {"name": "code", "in": "path", "required": True,
             "schema": {"type": "string", "minLength": 1, "maxLength": CODE_MAX_LENGTH}}
MONTH = {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$", "maxLength": 7}

_ERRORS = {
    "400": "the request is malformed: a body that is not a JSON object of the documented "
           "fields and types, or a value with a control character or lone surrogate",
    "401": "no valid bearer token",
    "403": "the record or operation lies outside the caller's scope",
    "404": "no such record",
    "409": "the record is not in a state that allows this",
    "413": "the body is larger than the configured limit",
    "422": "a well-formed value that is not acceptable (an unknown status, a refused transfer)",
    "503": "the database is unreachable or stalled: retry after the delay given",
}
_RETRY_AFTER = {"Retry-After": {"description": "seconds to wait", "schema": {"type": "integer"}}}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def json_response(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def text(nullable: bool = False) -> dict[str, Any]:
    return {"type": ["string", "null"] if nullable else "string"}


def record(**fields: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": list(fields), "properties": fields}


def list_of(key: str, item: str) -> dict[str, Any]:
    return record(**{key: {"type": "array", "items": ref(item)}})


def op(summary: str, ok: dict[str, Any], *errors: str,
       params: list[dict[str, Any]] | None = None, body: dict[str, Any] | None = None,
       ok_status: str = "200", media: str = "application/json") -> dict[str, Any]:
    """An operation answering `ok_status` with `ok`, or an Error for 400, 401, 503 and `errors`
    (413 too when it takes a body)."""
    statuses = {"400", "401", "503", *errors} | ({"413"} if body else set())
    responses = {ok_status: json_response("ok", ok)} | {
        status: json_response(_ERRORS[status], ref("Error")) for status in sorted(statuses)}
    responses["503"]["headers"] = _RETRY_AFTER
    operation: dict[str, Any] = {"summary": summary, "parameters": params or [],
                                 "responses": responses}
    if body:
        operation["requestBody"] = {"required": True, "content": {media: {"schema": body}}}
    return operation


def path_id(name: str, largest: int = ID_MAX) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True,
            "schema": {"type": "integer", "minimum": 1, "maximum": largest}}


def query(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema}


def status_query(enum: type[LeadStatus] | type[NoticeStatus]) -> dict[str, Any]:
    return query("status", {"type": "string", "enum": [s.value for s in enum]})
