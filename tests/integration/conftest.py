"""Fixtures of the integration tests: one loopback WeChat sandbox per module, reset per test."""

from collections.abc import Iterator

import pytest
import requests

from tests.sandbox_support import SandboxHandle, running_sandbox


@pytest.fixture(scope="module")
def module_sandbox(request: pytest.FixtureRequest) -> Iterator[SandboxHandle]:
    """A sandbox shared by a module's tests, with the module's `SANDBOX_CONFIG` if it has one
    (SandboxConfig fields, e.g. the test account's app id)."""
    with running_sandbox(**getattr(request.module, "SANDBOX_CONFIG", {})) as sandbox:
        yield sandbox


@pytest.fixture
def sandbox(module_sandbox: SandboxHandle) -> SandboxHandle:
    """The module's sandbox, forgetting everything earlier tests did to it."""
    module_sandbox.reset()
    return module_sandbox


@pytest.fixture
def http() -> Iterator[requests.Session]:
    """A plain HTTP session for calls made by hand."""
    with requests.Session() as session:
        yield session
