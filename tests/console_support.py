"""A populated console: org, staff of each role, customers, leads and a code; a live server."""

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from bot.runtime import Runtime
from bot.web.staff_auth import hash_password
from crm_core import services
from crm_core.model import StaffRole, utcnow
from tests.builders import org

PASSWORD = "correct horse battery"
STAFF = {
    "m1": (StaffRole.MANAGER, "SH001-01", None),
    "m2": (StaffRole.MANAGER, "SH001-02", None),
    "head": (StaffRole.BRANCH_HEAD, None, "SH001"),
    "admin": (StaffRole.HEAD_OFFICE, None, None),
}
# customer openid -> the manager code whose QR they followed
CUSTOMERS = {"c1-sh001-01": "SH001-01", "c2-sh001-02": "SH001-02", "c3-sh002-01": "SH002-01"}


@dataclass(frozen=True)
class World:
    """Ids of what was created."""

    customers: dict[str, int]
    leads: dict[str, int]


def populate(runtime: Runtime) -> World:
    """Create the organisation, staff, linked customers with overdue leads, and one code."""
    now = utcnow()
    with runtime.uow() as uow:
        org(uow, {"SH001": ["SH001-01", "SH001-02"], "SH002": ["SH002-01"]})
        for name, (role, manager, branch) in STAFF.items():
            services.add_staff(uow, name, f"员工{name}", hash_password(PASSWORD), role, manager,
                               branch, "test", now)
        leads = {}
        for openid, manager in CUSTOMERS.items():
            services.follow(uow, openid, f"m:{manager}", now - timedelta(hours=5))
            leads[openid] = services.open_lead(uow, openid, "contact_request",
                                               now - timedelta(hours=4),
                                               timedelta(hours=2)).lead_id
        ids = {openid: uow.customers.by_openid(openid).id for openid in CUSTOMERS}  # type: ignore[union-attr]
        uow.commit()
    return World(ids, leads)


def csrf_token(html: str) -> str:
    """Return the CSRF token of the first form on a page."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found is not None, "no CSRF token on the page"
    return found.group(1)


def login(client: FlaskClient, username: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    """Log in through the console's form, CSRF token included; return the response."""
    form = client.get("/console/login").text
    return client.post("/console/login", data={"username": username, "password": password,
                                               "csrf_token": csrf_token(form)})


@contextmanager
def live_server(app: Flask) -> Iterator[str]:
    """Serve the app on a free loopback port for the `with` block; yield its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.shutdown()
        thread.join()
