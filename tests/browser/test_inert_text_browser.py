"""Hostile custom-region names in a real browser: shown as typed, with no link, image, math, icon or replacement.

tests/test_inert_text.py checks the Markdown strings the pages send; this
checks what Streamlit's renderer makes of them, tooltips included.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from dashboard.data.names import clean_name

from .conftest import wait_for_app

HOSTILE = {
    "autolinks": "Sign in at https://example.com or www.example.org, bob@example.com",
    "markup": "![x](http://127.0.0.1:9/x.png) [t](http://u.example) $x^2$ <img src=http://127.0.0.1:9/y.png>",
    "shortcodes": ":material/home: :streamlit: :smile: a -> b -- c `code` **bold**",
}

#: What the renderer would have made of the names, looked for in the page's main area and in open tooltips.
RENDERED = """(root) => {
    const words = ['example', '127.0.0.1:9/', 'mailto:'];
    return {
        // the app's own links (heading anchors carry the view's query, name included) are left out
        links: [...root.querySelectorAll('a[href]')].map(a => a.href)
            .filter(h => !h.startsWith(location.origin) && words.some(w => h.includes(w))),
        images: [...root.querySelectorAll('img')].map(i => i.src),
        math: root.querySelectorAll('.katex').length,
        icons: [...root.querySelectorAll('span[role="img"]')].map(s => s.textContent).filter(t => t === 'home'),
        marks: [...root.querySelectorAll('strong, em, code, del')].map(e => e.textContent)
            .filter(t => ['bold', 'code', 'x'].includes(t)),
        replaced: ['\u2192', '\u2014', '\u2194'].filter(c => root.innerText.includes(c)),
    };
}"""
NOTHING = {"links": [], "images": [], "math": 0, "icons": [], "marks": [], "replaced": []}
WORD_JOINER = "\u2060"


@pytest.mark.parametrize("path", ["partnership-table", "region-profile"])
@pytest.mark.parametrize("raw", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_name_renders_as_text(app_server, page, path, raw):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    query = urlencode(
        {
            "page": path,
            "state": "IN",
            "scheme": "custom",
            "counties": "18039,18141",
            "name": raw,
            "industry": "advanced-manufacturing",
        }
    )
    page.goto(f"{app_server}/?{query}")
    wait_for_app(page)
    main = page.locator('[data-testid="stMain"]')
    name = clean_name(raw)
    assert name in main.inner_text().replace(WORD_JOINER, "")
    assert main.evaluate(RENDERED) == NOTHING
    if path == "partnership-table":
        # the issue's case: the seats' help tooltips quote the region name (the first, core, seats do)
        tips = main.locator('[data-testid="stCheckbox"] [data-testid="stTooltipHoverTarget"]')
        seen = 0
        for i in range(min(3, tips.count())):
            tips.nth(i).hover()
            tip = page.locator('[data-testid="stTooltipContent"]')
            tip.wait_for(timeout=5_000)
            if name in tip.inner_text().replace(WORD_JOINER, ""):
                seen += 1
                assert tip.evaluate(RENDERED) == NOTHING
            page.mouse.move(0, 0)
            tip.wait_for(state="detached", timeout=5_000)
        assert seen >= 1, "no help tooltip names the region"
    # nothing was fetched for the names (the app's own address carries them in its query)
    assert not [u for u in requests if not u.startswith(app_server) and ("127.0.0.1:9/" in u or "example" in u)]
