"""Static files: under content-hashed names, kept for good by browsers, compressed ahead of time
(Brotli and gzip), with the portal's security headers; pages themselves are never cached."""
import gzip
import re
import shutil
from pathlib import Path

import brotli
from flask import Flask

from portal import ROOT
from portal.core import static_files
from tests.support.factories import make_user
from tests.support.web import signed_in, text

STYLESHEET = re.compile(r'<link rel="stylesheet" href="(/static/css/[^"]+)"')  # ours, after the design system's
FOREVER = "max-age=315360000, public, immutable"


def stylesheet_of(page) -> str:
    return STYLESHEET.search(text(page)).group(1)


def static_app(static: Path, instance: Path) -> Flask:
    """The mechanism alone, on an app of its own, serving the files under `static`."""
    app = Flask(__name__, static_folder=str(static), instance_path=str(instance))
    static_files.init_app(app, {"X-Content-Type-Options": "nosniff"})
    return app


def url_for_static(app, filename) -> str:
    with app.test_request_context():
        return app.url_for("static", filename=filename)


def test_a_changed_stylesheet_gets_a_new_url(tmp_path):
    static = tmp_path / "static"
    shutil.copytree(ROOT / "static", static)
    before = static_app(static, tmp_path / "instance")
    old_url = url_for_static(before, "css/portal.css")
    assert re.fullmatch(r"/static/css/portal\.[0-9a-f]{12}\.css", old_url)

    with (static / "css" / "portal.css").open("a") as css:
        css.write("\n.new-rule { color: #005eb8; }\n")
    after = static_app(static, tmp_path / "instance")
    new_url = url_for_static(after, "css/portal.css")

    assert new_url != old_url and re.fullmatch(r"/static/css/portal\.[0-9a-f]{12}\.css", new_url)
    served = after.test_client().get(new_url)
    assert served.status_code == 200 and b".new-rule" in served.get_data()
    assert served.headers["Cache-Control"] == FOREVER
    # Built once: a process starting on the same files finds the build and only reads it.
    assert url_for_static(static_app(static, tmp_path / "instance"), "css/portal.css") == new_url


def test_files_an_install_step_adds_are_built_with_the_files_their_stylesheet_names(tmp_path):
    """Any folder under static/ is built, with no list of files: as npm puts a design system's
    stylesheet, fonts and pictures in one. A stylesheet's references become the hashed names."""
    vendor = tmp_path / "static" / "vendor" / "kit"
    (vendor / "fonts").mkdir(parents=True)
    (vendor / "images").mkdir()
    (vendor / "fonts" / "frutiger.woff2").write_bytes(b"wOF2 not a real font")
    (vendor / "images" / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (vendor / "kit.css").write_text(
        '@font-face { font-family: "Frutiger"; src: url("fonts/frutiger.woff2?v=2#x") format("woff2"); }\n'
        ".logo { background: url(/static/vendor/kit/images/logo.svg); }\n"
        ".remote { background: url(https://assets.example.org/a.png); }\n"
        ".inline { background: url(data:image/png;base64,AAAA); }\n"
        ".missing { background: url(images/none.png); }\n" * 20)
    app = static_app(tmp_path / "static", tmp_path / "instance")
    client = app.test_client()

    stylesheet = client.get(url_for_static(app, "vendor/kit/kit.css"), headers={"Accept-Encoding": "br"})
    css = brotli.decompress(stylesheet.get_data()).decode()
    font = re.search(r'url\("(fonts/frutiger\.[0-9a-f]{12}\.woff2)\?v=2#x"\)', css).group(1)
    logo = re.search(r"url\((/static/vendor/kit/images/logo\.[0-9a-f]{12}\.svg)\)", css).group(1)
    assert "url(https://assets.example.org/a.png)" in css and "url(data:image/png;base64,AAAA)" in css
    assert "url(images/none.png)" in css  # not ours to rename

    for url in (f"/static/vendor/kit/{font}", logo):
        answer = client.get(url)
        assert answer.status_code == 200 and answer.headers["Cache-Control"] == FOREVER
    # The files' own names still answer, for anything that names them, but only for a minute.
    assert client.get("/static/vendor/kit/fonts/frutiger.woff2").headers["Cache-Control"] == "max-age=60, public"


def test_static_files_are_compressed_cached_for_good_and_carry_the_security_headers(client):
    url = stylesheet_of(client.get("/"))
    assert re.fullmatch(r"/static/css/portal\.[0-9a-f]{12}\.css", url)
    plain = client.get(url)
    for encoding, decompress in (("br", brotli.decompress), ("gzip", gzip.decompress)):
        answer = client.get(url, headers={"Accept-Encoding": encoding})
        assert answer.headers["Content-Encoding"] == encoding
        assert len(answer.get_data()) < len(plain.get_data()) / 2
        assert decompress(answer.get_data()) == plain.get_data()
        assert "Accept-Encoding" in answer.headers["Vary"]
    assert plain.headers["Cache-Control"] == FOREVER
    assert plain.headers["Content-Type"].startswith("text/css")
    assert plain.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in plain.headers["Content-Security-Policy"]
    assert plain.headers["Referrer-Policy"] == "same-origin"


def test_pages_are_never_cached_as_static_files_are_and_are_compressed(app, client):
    with app.app_context():
        make_user("jo@example.org", "Jo Bloggs", mentee=True)
    jo = signed_in(app, "jo@example.org")
    pages = [client.get(path, headers={"Accept-Encoding": "br, gzip"}) for path in ("/", "/login", "/signup")]
    pages += [jo.get(path, headers={"Accept-Encoding": "gzip"}) for path in ("/", "/mentors/", "/account/")]
    for page in pages:
        assert page.status_code == 200
        assert page.headers["Cache-Control"] == "no-store"
        assert page.headers["Content-Encoding"] in ("br", "gzip")
        body = (brotli.decompress if page.headers["Content-Encoding"] == "br" else gzip.decompress)(page.get_data())
        assert b"<html" in body


def test_browsers_asking_for_the_icon_at_the_root_get_it(client):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.get_data() == (ROOT / "static" / "favicon.ico").read_bytes()
    assert icon.headers["Cache-Control"] == "public, max-age=86400"
