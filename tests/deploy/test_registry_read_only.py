"""Through nginx, replicas started by ``serve --replicas`` with no sign-in configured keep the registry read-only:
the Partnerships page says why and draws no form (the server-side refusal of a forced write is tested with
AppTest in tests/registry/test_sign_in_roles.py)."""

from __future__ import annotations

from playwright.async_api import async_playwright

from .browsing import Watch, in_thread, launch, open_view

KY = "/?page=partnerships&state=KY&scheme=county&region=21025&industry=healthcare"


async def _partnerships_page(base_url: str) -> dict:
    watch = Watch(base_url)
    async with async_playwright() as pw:
        browser = await launch(pw)
        try:
            context = await watch.context(browser)
            page = await context.new_page()
            await open_view(page, base_url + KY, with_map=False)
            note = page.get_by_text("The registry is read-only here", exact=False)
            await note.first.wait_for()
            seen = {
                "note": await note.first.inner_text(),
                "record_buttons": await page.get_by_role("button", name="Record the partnership").count(),
                "save_workspace": await page.get_by_role("button", name="Save this view").count(),
            }
            await context.close()
        finally:
            await browser.close()
    return {**seen, "refused": watch.refused, "page_errors": watch.page_errors}


def test_replicas_without_sign_in_keep_the_registry_read_only(deployment):
    seen = in_thread(_partnerships_page, deployment.base_url)
    assert "no sign-in is configured" in seen["note"]
    assert seen["record_buttons"] == 0 and seen["save_workspace"] == 0
    assert seen["refused"] == [] and seen["page_errors"] == []
