"""Flask extensions, created unbound and bound in create_app."""
import ipaddress
import logging
import threading
import time

from flask import request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf import CSRFProtect
from limits.storage import MemoryStorage, RedisStorage, Storage


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


log = logging.getLogger(__name__)


class RedisOrMemory(Storage):
    """The rate limits' counts: in Redis, shared by every web server, and in this process's memory
    while Redis cannot be reached, so a limit is never lifted by Redis going away and no request
    fails because of it. (Flask-Limiter's own fallback answers with an error every request that was
    already waiting on Redis when another noticed it had gone.) Redis is tried again every few seconds.

    Settings name it by its Redis address with "portal+" in front: portal+redis://host:6379/0."""

    STORAGE_SCHEME = ["portal+redis", "portal+rediss"]
    RETRY_SECONDS = 5.0

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions)
        self.redis = RedisStorage(uri.removeprefix("portal+"), **options)
        self.memory = MemoryStorage()
        self._lock = threading.Lock()
        self._away_until = 0.0

    @property
    def base_exceptions(self):
        return self.redis.base_exceptions

    def _counted(self, method: str, *args, **kwargs):
        if time.monotonic() >= self._away_until:
            try:
                return getattr(self.redis, method)(*args, **kwargs)
            except self.redis.base_exceptions as error:
                with self._lock:
                    if time.monotonic() >= self._away_until:
                        log.warning("Rate limits count in memory for now: Redis cannot be reached (%s)", error)
                    self._away_until = time.monotonic() + self.RETRY_SECONDS
        return getattr(self.memory, method)(*args, **kwargs)

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        return self._counted("incr", key, expiry, amount=amount)

    def get(self, key: str) -> int:
        return self._counted("get", key)

    def get_expiry(self, key: str) -> float:
        return self._counted("get_expiry", key)

    def clear(self, key: str) -> None:
        self.memory.clear(key)
        self._counted("clear", key)

    def reset(self) -> int | None:
        self.memory.reset()
        return self._counted("reset")

    def check(self) -> bool:
        return self.redis.check()


login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=network, default_limits=[])


def address_and_email() -> str:
    """Failed logins are counted per browser address (network) and per email address tried."""
    return f"{network()}|{request.form.get('email', '').strip().lower()}"
