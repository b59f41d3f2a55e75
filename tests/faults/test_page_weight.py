"""Page weight, as a phone on a slow line receives it from the real server (gunicorn, compression on):
each page's HTML, its stylesheets and our own JavaScript together stay under 50 KB compressed. htmx
and fonts (the NHS font) are weighed apart, as they are cached once for every page."""
from tests.support.demo_pages import demo_pages, load_demo, weigh, weights_table
from tests.support.portal import portal_here, production_environ

BUDGET = 50 * 1024


def test_each_page_with_its_css_and_our_javascript_stays_under_50_kb_compressed(database_url, redis_server, processes):
    environ = production_environ(database_url, redis_server.url, "smtp://127.0.0.1:9")
    processes.environ.update(environ)
    app = portal_here(environ)
    load_demo(app)
    port = processes.web()

    weights = {name: weigh(port, path, headers) for name, (path, headers) in demo_pages(app, port).items()}
    table = weights_table(weights)
    assert all(found["html"] > 500 and found["css"] > 1000 for found in weights.values()), table
    over = [name for name, found in weights.items() if found["html"] + found["css"] + found["ours js"] >= BUDGET]
    assert not over, f"over {BUDGET // 1024} KB:\n{table}"
