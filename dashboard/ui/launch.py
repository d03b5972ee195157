"""``python -m dashboard.ui.launch run app.py ...``: ``streamlit run`` for an app that names its pages itself.

Streamlit decides once per server process whether an app is an old-style one whose ``pages/`` folder lists
its pages, by whether that folder exists, and keeps that belief until a script first calls
``st.navigation``. So the very first run of a fresh server treats ``pages/`` as the page list: a link to a
page's own path (``/region-profile?state=IN...``, the form shared before pages moved into the query) finds
no such page there and the browser shows "Page not found" over the right page. This app always names its
pages with ``st.navigation`` (app.py), so the launcher says so before the server starts. ``sector-atlas
serve`` and the test servers start the app through it.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli

    PagesManager.uses_pages_directory = False  # the app's pages come from st.navigation, never from pages/
    return cli.main(args=argv if argv is not None else sys.argv[1:], prog_name="streamlit", standalone_mode=True)


if __name__ == "__main__":
    sys.exit(main())
