"""The studio's Content-Security-Policy: requests go nowhere but the studio's origin (and the one
sync API origin a build names), and the studio itself needs nothing the policy forbids.

On a static host (as on GitHub Pages) the policy is the <meta> in index.html; ``story-gen
serve`` also sends it as a header on every file, which is what binds the workers.
"""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Browser, expect

from tests.e2e.servers import Site
from tests.e2e.studio import GuardedContext
from tests.e2e.ui import commit_text, entity, open_story_id, open_studio, record_saves

# Every CSP violation a page reports, from its first script on.
VIOLATIONS = """
(() => {
  const seen = [];
  Object.defineProperty(window, "__cspViolations", { value: seen, configurable: true });
  document.addEventListener("securitypolicyviolation", (e) => {
    seen.push(`${e.effectiveDirective} ${e.blockedURI}`);
  });
})();
"""
FOREIGN = "https://api.example.invalid/api/v1/me"


def policy_of(page_html: str) -> str:
    marker = 'http-equiv="Content-Security-Policy" content="'
    start = page_html.index(marker) + len(marker)
    return page_html[start : page_html.index('"', start)]


def test_the_studio_runs_under_its_policy_and_cannot_reach_another_origin(
    new_context: Callable[..., GuardedContext], studio_url: Callable[..., str]
) -> None:
    guarded = new_context()
    guarded.context.add_init_script(VIOLATIONS)
    record_saves(guarded.context)
    page = guarded.context.new_page()
    url = studio_url()
    open_studio(page, url)
    policy = policy_of(page.content())
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["connect-src"] == "'self' blob:"  # no API named at build time
    assert "'unsafe-eval'" not in directives["script-src"]
    assert "'unsafe-inline'" not in directives["script-src"]

    # The studio at work: a story open, an edit stored, the plan drawn, the help read.
    open_story_id(page)
    objective = entity(page, "chapter", "caucus-race").get_by_role("textbox", name="Objective")
    commit_text(page, objective, "Everyone runs, and everyone wins.")
    page.locator("#nav").get_by_role("link", name="Plan").click()
    expect(page.get_by_test_id("plan-graph")).to_be_visible(timeout=30_000)
    page.goto(f"{url}#/help")
    expect(page.get_by_test_id("help")).to_be_visible()
    assert page.evaluate("window.__cspViolations") == []

    # Another origin is refused by the browser itself, before any request is made.
    outcome = page.evaluate("(url) => fetch(url).then(() => 'reached', (e) => e.name)", FOREIGN)
    assert outcome == "TypeError"
    assert page.evaluate("window.__cspViolations") == [f"connect-src {FOREIGN}"]
    assert FOREIGN not in guarded.guard.foreign


def test_served_files_carry_the_policy_so_the_workers_are_bound_too(
    browser: Browser, local_server: Site
) -> None:
    context = browser.new_context(service_workers="block")
    try:
        page = context.new_page()
        workers = []
        page.on("response", lambda r: workers.append(r) if ".worker" in r.url else None)
        page.goto(local_server.studio_url("e2e-csp"))
        expect(page.locator("#root")).not_to_be_empty(timeout=30_000)
        page.wait_for_function(
            "() => performance.getEntriesByType('resource').some(e => e.name.includes('worker'))"
        )
        meta = policy_of(page.content())
        document = page.request.get(local_server.studio_url("e2e-csp"))
        assert document.headers["content-security-policy"] == meta
        assert workers, "the studio started no worker"
        for response in workers:
            assert response.headers["content-security-policy"] == meta, response.url
    finally:
        context.close()
