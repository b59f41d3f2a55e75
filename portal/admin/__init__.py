"""The admin team's pages, all under /admin and all for admins only."""
from flask import Blueprint, request
from flask_login import current_user

from portal.core.access import ADMIN, requires

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@requires(ADMIN)
def admins_only():
    """Every page under /admin is for admins: checked once here, for routes yet to be written too."""


@bp.after_app_request
def note_an_admins_change(response):
    """Wherever an admin changes something (their POSTs reach beyond /admin: answering for a mentor,
    say), their session notes when, so the dashboard they see next is made after it."""
    if request.method == "POST" and current_user.is_authenticated and current_user.is_admin:
        dashboard.note_an_admins_change()
    return response


# Each module adds its routes to bp, so importing them here is what makes the pages exist (Flask's
# pattern for a blueprint in several modules).
from portal.admin import (audit, content, dashboard, health, imports, inbox, matching, people, register,  # noqa: E402,F401
                          reports, views)
