"""The API keeps its word: a schema-driven fuzzer, run against /api/v1/openapi.json on a served
app with a real bearer token, finds no undocumented status, no 5xx and no body that breaks its
schema."""

from collections.abc import Iterator

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import APIOperation, Case, GenerationMode
from schemathesis import checks as generic
from schemathesis.specs.openapi import checks as openapi

from crm_core import services
from crm_core.model import utcnow
from tests.conftest import runtime
from tests.console_support import STAFF, live_server, populate

CHECKS = [generic.not_a_server_error, openapi.status_code_conformance,
          openapi.content_type_conformance, openapi.response_schema_conformance,
          openapi.negative_data_rejection]
EXAMPLES = 10  # per operation and mode: enough to find what is listed here, in seconds


@pytest.fixture
def served(app: Flask) -> Iterator[tuple[str, dict[str, str]]]:
    """The populated app on a loopback port, and a bearer token of each staff member."""
    populate(runtime(app))
    with runtime(app).uow() as uow:
        tokens = {name: services.issue_api_token(uow, name, "fuzzer", utcnow(), "test")
                  for name in STAFF}
        uow.commit()
    with live_server(app) as base:
        yield base, tokens


def fuzz(operation: APIOperation, mode: GenerationMode, headers: dict[str, str]) -> None:
    """Send one operation a bounded, reproducible run of generated requests; fail on a finding."""
    @settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck), phases=[Phase.generate])
    @given(case=operation.as_strategy(mode))
    def run(case: Case) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)
    run()


# Head office reaches every record, with valid and invalid requests; a manager meets the 403s
# of the others' records.
@pytest.mark.parametrize(("who", "modes"), [
    ("admin", (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)),
    ("m1", (GenerationMode.POSITIVE,))], ids=["head_office", "manager"])
def test_every_answer_of_the_api_is_documented(served: tuple[str, dict[str, str]], who: str,
                                               modes: tuple[GenerationMode, ...]) -> None:
    base, tokens = served
    schema = schemathesis.openapi.from_url(f"{base}/api/v1/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 46
    for mode in modes:
        for operation in operations:
            fuzz(operation, mode, {"Authorization": f"Bearer {tokens[who]}"})
