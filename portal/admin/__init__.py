"""The admin team's pages, all under /admin and all for admins only."""
from flask import Blueprint

from ..access import ADMIN, requires

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@requires(ADMIN)
def admins_only():
    """Every page under /admin is for admins: checked once here, for routes yet to be written too."""


from . import audit, content, health, imports, inbox, people, register, reports, views  # noqa: E402,F401
# (each module adds its routes to bp)
