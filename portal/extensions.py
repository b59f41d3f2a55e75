"""Flask extensions, created unbound and bound in create_app."""
import ipaddress

from flask import request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf import CSRFProtect


def network() -> str:
    """Where a request comes from, for the rate limits: an IPv4 address, or an IPv6 /64, as one
    line or server is given a whole /64 and could otherwise try from a new address every time."""
    address = get_remote_address()
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    return str(ipaddress.ip_network(f"{parsed}/64", strict=False))


login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=network, default_limits=[])


def address_and_email() -> str:
    """Failed logins are counted per browser address (network) and per email address tried."""
    return f"{network()}|{request.form.get('email', '').strip().lower()}"
