"""Classification of customers and the bank's extracts (bot/web/staff_api/classification.py)."""

from typing import Any

from bot.web.openapi.parts import (
    BOOL,
    INT,
    TEXT_OR_NULL,
    json_response,
    list_of,
    op,
    path_id,
    record,
    ref,
    text,
)

SCHEMAS: dict[str, Any] = {}


def _upload_op() -> dict[str, Any]:
    # A file upload: multipart, not JSON; a rejected file answers 422 with every bad row.
    upload = {"type": "object", "required": ["file", "kind", "month"], "properties": {
        "file": {"type": "string", "format": "binary",
                 "description": "CSV (UTF-8 or GBK) or XLSX; the name ends .csv or .xlsx"},
        "kind": {"type": "string", "enum": ["balances", "holdings", "media", "employers",
                                            "mobile", "mapping", "list"]},
        "month": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
        "list_name": {"type": "string", "maxLength": 32,
                      "description": "the list's name, for kind list"}}}
    operation = op("Import an extract of the bank's data: checked whole, all rows or none "
                   "(head office)", record(
                        batch_id=INT, rows=INT, matched=INT, unmatched=INT,
                        unmatched_by_branch={"type": "array", "items": record(
                            branch=text(True), rows=INT)}), "403",
                   ok_status="201", body=upload, media="multipart/form-data")
    operation["responses"]["422"] = json_response("rows refused; nothing applied", record(
        error=ref("Error"), rows={"type": "array", "items": record(line=INT,
                                                                      reason=text())}))
    return operation


SCHEMAS["Dimension"] = record(
    code=text(), name=text(), definition=text(), standard=text(), coverage=text(),
    source={"type": "string", "enum": ["imported", "derived", "staff"]}, profiling=BOOL,
    settings={"type": "object"}, updated_at=text(), updated_by=text(True),
    month={"type": ["string", "null"], "description": "the latest month held (YYYY-MM-DD)"},
    counts={"type": "array", "items": record(value=text(), customers=INT)})
SCHEMAS["ClassValue"] = record(value=text(), amount=TEXT_OR_NULL, by=TEXT_OR_NULL,
                               at=TEXT_OR_NULL)
SCHEMAS["ClassificationBatch"] = record(
    id=INT, kind=text(), list_name=text(True), month=text(), filename=text(), rows=INT,
    matched=INT, unmatched=INT, staff=text(), created_at=text(),
    status={"type": "string", "enum": ["accepted", "refused"],
            "description": "refused: a bad row, nothing applied (matched and unmatched 0)"},
    status_text={"type": "string", "description": "the status in Chinese"},
    error_count={"type": "integer", "description": "bad rows found (0 when accepted)"},
    errors={"type": "array", "description": "a refused file's first row errors, numbers "
            "masked", "items": record(line=INT, code=text(), reason=text())})

PATHS: dict[str, Any] = {
    "/api/v1/classification/dimensions": {"get": op(
        "The dimension catalogue, values counted in the caller's scope",
        list_of("dimensions", "Dimension"))},
    "/api/v1/classification/batches": {"get": op(
        "The latest imports of the bank's extracts, refused ones too (head office)",
        list_of("batches", "ClassificationBatch"), "403")},
    "/api/v1/classification/imports": {"post": _upload_op()},
    "/api/v1/customers/{customer_id}/classification": {"get": op(
        "A customer's current values per stored dimension, their 渠道 and their tags",
        record(customer_id=INT, customer_numbers=INT, dimensions={
            "type": "object", "description": (
                "values by dimension code; channel holds mobile:active or mobile:inactive "
                "(the latest month, amount: its transactions) and last_login:YYYY-MM"),
            "additionalProperties": {
                "type": "array", "items": ref("ClassValue")}}),
        "403", "404", params=[path_id("customer_id")])},

}
