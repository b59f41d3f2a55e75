"""Flask extensions, created unbound and bound in create_app."""
from flask import request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf import CSRFProtect

login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def address_and_email() -> str:
    """Failed logins are counted per browser address and per email address tried."""
    return f"{get_remote_address()}|{request.form.get('email', '').strip().lower()}"
