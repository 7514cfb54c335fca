"""The console's blueprint and the roles that see branch-wide pages; each page module adds to it."""

from flask import Blueprint

from crm_core.model import StaffRole

bp = Blueprint("console", __name__, url_prefix="/console")
HEADS = (StaffRole.BRANCH_HEAD, StaffRole.HEAD_OFFICE)
