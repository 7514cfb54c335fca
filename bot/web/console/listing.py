"""The list machinery of console pages: the page asked for in the URL, links that keep the
other parameters (sort headers, pages), who may export."""

from typing import Any

from flask import request, url_for

from bot.web.console.blueprint import HEADS, bp
from bot.web.console.support import scope
from crm_core.queries.paging import ListSpec, PageRequest

EXPORTERS = HEADS  # who exports lists: a manager works their customers in the console


def page_request(spec: ListSpec) -> PageRequest:
    """Read the page, size, sort and filters of the current request's URL."""
    return spec.request({key: value for key, value in request.args.items()})


@bp.app_template_global()
def list_url(**changes: Any) -> str:
    """Return the current list's URL with some parameters changed (None or "" drops one); a
    change of anything but the page goes back to page 1."""
    args = {key: value for key, value in request.args.items()}
    if "page" not in changes:
        args.pop("page", None)
    args.update({key: str(value) for key, value in changes.items() if value not in (None, "")})
    for key in [key for key, value in changes.items() if value in (None, "")]:
        args.pop(key, None)
    values: dict[str, Any] = {**(request.view_args or {}), **args}
    return url_for(request.endpoint or "console.home", **values)


@bp.app_template_global()
def sort_url(key: str, current: PageRequest, descending_first: bool = False) -> str:
    """Return the link of a sortable column: this key, the other direction when it is the
    current sort (else `descending_first`)."""
    descending = not current.descending if current.sort == key else descending_first
    return list_url(sort=key, order="desc" if descending else "asc")


@bp.app_template_global()
def clear_url() -> str:
    """Return the current list's URL without any parameter."""
    return url_for(request.endpoint or "console.home", **(request.view_args or {}))


def filter_options(choices: dict[str, list[dict[str, str]]]) -> dict[str, list[tuple[str, str]]]:
    """Return a filter bar's branch and manager choices as (code, "name（code）") pairs."""
    return {"branch": [(b["code"], f'{b["name"]}（{b["code"]}）') for b in choices["branches"]],
            "manager": [(m["code"], f'{m["name"]}（{m["code"]}）') for m in choices["managers"]]}


def may_export() -> bool:
    """Say whether the caller may export lists as CSV: branch heads and head office."""
    return scope().role in EXPORTERS


def back_to_list(endpoint: str) -> str:
    """Return the list a form was posted from (its `back` field: that list's path with its
    filters, sort and page), or the list itself; never a page elsewhere."""
    home = url_for(endpoint)
    back = request.form.get("back", "")
    same = back == home or back.startswith(home + "?")
    return back if same and "\\" not in back and "//" not in back else home
