"""The admin team's pages, all under /admin and all for admins only."""
from flask import Blueprint

from portal.core.access import ADMIN, requires

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@requires(ADMIN)
def admins_only():
    """Every page under /admin is for admins: checked once here, for routes yet to be written too."""


# Each module adds its routes to bp, so importing them here is what makes the pages exist (Flask's
# pattern for a blueprint in several modules).
from portal.admin import audit, content, health, imports, inbox, people, register, reports, views  # noqa: E402,F401
