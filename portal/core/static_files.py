"""Static files as production wants them: each under a name with a hash of its content
(css/portal.3f2a9c81d04e.css), so a browser may keep it for good and a changed file is a new URL;
compressed ahead of time with gzip and Brotli; served by WhiteNoise from the web server itself.

Templates keep writing url_for('static', filename='css/portal.css'): the hashed name is filled in
here. Everything under static/ is built, folders an install step adds included, into a folder of
its own under instance/static/ named after what it was built from; a process finding it already
built (the usual case) only reads its manifest. Stylesheets' references to other static files
(fonts, images, @import) are rewritten to the hashed names, so those can be kept for good too.
Each file is also there under its own name, with a short lifetime, for anything that names it
directly."""
import fcntl
import hashlib
import json
import os
import posixpath
import re
import shutil
import tempfile
from pathlib import Path

from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

# Part of what a build is named after: a change to how files are built builds them again.
BUILD_FORMAT = "1"
MANIFEST = "manifest.json"
KEEP_BUILDS = 3  # a server still running on an older build keeps its files while a new one starts
URL_PREFIX = "/static/"

CSS_REFERENCE = re.compile(r"""url\(\s*(?P<q1>['"]?)(?P<url1>[^'")]+?)(?P=q1)\s*\)"""
                           r"""|@import\s+(?P<q2>['"])(?P<url2>[^'"]+)(?P=q2)""")
NOT_OURS = ("data:", "http:", "https:", "//", "#", "about:", "blob:")


def source_files(source: Path) -> list[str]:
    """Every file under the source folder, as a path relative to it with forward slashes."""
    found = []
    for folder, dirs, files in os.walk(source, followlinks=True):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [Path(folder, name).relative_to(source).as_posix() for name in files if not name.startswith(".")]
    return sorted(found)


def fingerprint(source: Path) -> str:
    """A name for what is under `source` now: its files' paths, sizes and modification times."""
    digest = hashlib.sha256(BUILD_FORMAT.encode())
    for name in source_files(source):
        stat = (source / name).stat()
        digest.update(f"{name}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def hashed_name(name: str, content: bytes) -> str:
    stem, extension = posixpath.splitext(name)
    return f"{stem}.{hashlib.sha256(content).hexdigest()[:12]}{extension}"


class _Build:
    """One build: reads each file once, and a stylesheet after the files it refers to."""

    def __init__(self, source: Path, target: Path):
        self.source, self.target = source, target
        self.names = set(source_files(source))
        self.manifest: dict[str, str] = {}
        self.underway: set[str] = set()

    def run(self) -> dict[str, str]:
        for name in sorted(self.names):
            self.built(name)
        return self.manifest

    def built(self, name: str) -> str:
        if name in self.manifest:
            return self.manifest[name]
        self.underway.add(name)
        original = (self.source / name).read_bytes()
        content = self.rewritten(name, original) if name.endswith(".css") else original
        hashed = hashed_name(name, content)
        for path, data in ((name, original), (hashed, content)):
            (self.target / path).parent.mkdir(parents=True, exist_ok=True)
            (self.target / path).write_bytes(data)
        self.manifest[name] = hashed
        return hashed

    def rewritten(self, name: str, css: bytes) -> bytes:
        def hashed_reference(match: re.Match) -> str:
            url = match.group("url1") or match.group("url2")
            found = self.static_file(name, url)
            if found is None or found in self.underway - set(self.manifest):
                return match.group(0)  # someone else's file, one we do not have, or a loop of @imports
            address, _, rest = url.partition("?")
            address, hash_mark, fragment = address.partition("#")
            suffix = (f"?{rest}" if rest else "") + (f"#{fragment}" if hash_mark else "")
            new = posixpath.join(posixpath.dirname(address), posixpath.basename(self.built(found)))
            return match.group(0).replace(url, new + suffix, 1)

        # Whatever the bytes, those outside the references come back as they were.
        text = css.decode("utf-8", "surrogateescape")
        return CSS_REFERENCE.sub(hashed_reference, text).encode("utf-8", "surrogateescape")

    def static_file(self, stylesheet: str, url: str) -> str | None:
        """The file under static/ that a stylesheet's reference names, if it names one of ours."""
        url = url.strip()
        if url.lower().startswith(NOT_OURS):
            return None
        path = url.split("?", 1)[0].split("#", 1)[0]
        if path.startswith("/"):
            if not path.startswith(URL_PREFIX):
                return None
            resolved = posixpath.normpath(path[len(URL_PREFIX):])
        else:
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(stylesheet), path))
        return resolved if resolved in self.names else None


def build(source: Path, target: Path) -> tuple[Path, dict[str, str]]:
    """The folder of files built from `source` under `target` (built now if there is none yet),
    and its manifest: static path -> hashed static path. Safe to call from several processes at once."""
    build = target / fingerprint(source)
    if not (build / MANIFEST).exists():
        target.mkdir(parents=True, exist_ok=True)
        with open(target / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # the web servers, workers and scheduler may all start at once
            if not (build / MANIFEST).exists():
                _build_into(source, build)
                _prune(target, build)
    return build / "files", json.loads((build / MANIFEST).read_text())


def _build_into(source: Path, build: Path) -> None:
    # Built aside and renamed into place, so no process ever sees half a build.
    for unfinished in build.parent.glob(".building-*"):
        shutil.rmtree(unfinished, ignore_errors=True)  # left by a build that died: builds take the lock
    building = Path(tempfile.mkdtemp(prefix=".building-", dir=build.parent))
    files = building / "files"
    manifest = _Build(source, files).run()
    compressor = Compressor(quiet=True)
    for name in source_files(files):
        if compressor.should_compress(name):
            compressor.compress(str(files / name))
    (building / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    building.chmod(0o755)
    building.rename(build)


def _prune(target: Path, current: Path) -> None:
    """Older builds go, all but the newest few."""
    builds = sorted((p for p in target.iterdir() if p.is_dir() and not p.name.startswith(".")),
                    key=lambda p: p.stat().st_mtime, reverse=True)
    for old in [p for p in builds if p != current][KEEP_BUILDS - 1:]:
        shutil.rmtree(old, ignore_errors=True)


def init_app(app, headers: dict) -> None:
    """Serve the build of the app's static folder with WhiteNoise, in front of the app, with the
    portal's own `headers` (nosniff and the like) beside each file's, and make url_for('static', ...)
    give the hashed names."""

    def add_headers(file_headers, path, url):
        for name, value in headers.items():
            file_headers[name] = value

    folder, manifest = build(Path(app.static_folder), Path(app.instance_path) / "static")
    hashed = {URL_PREFIX + name for name in manifest.values()}
    app.wsgi_app = WhiteNoise(
        app.wsgi_app, root=folder, prefix=URL_PREFIX,
        # A hashed name is that content for ever; a file's own name may be a newer one in a minute.
        immutable_file_test=lambda path, url: url in hashed, max_age=60,
        add_headers_function=add_headers)

    @app.url_defaults
    def hashed_static_names(endpoint, values):
        if endpoint == "static" and "filename" in values:
            values["filename"] = manifest.get(values["filename"], values["filename"])
