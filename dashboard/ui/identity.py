"""Who is using the app, and whether the server may let them change what users record.

Three situations, decided on the server for every run (never from anything the browser sends but the
signed identity cookie Streamlit checks):

* **Sign-in configured** (an ``[auth]`` section in Streamlit's secrets): a signed-in user is known by the
  e-mail address the identity provider vouches for; what they may change is decided by their roles in the
  registry. Everyone else reads.
* **No sign-in, a server only this machine can reach** (listening on the loopback interface, not started
  behind the proxy by ``serve --replicas``, and the request not forwarded by a proxy): the laptop's one
  user edits, recorded as ``local``.
* **No sign-in, a server others can reach**: the registry is read-only for everyone, and the app says why.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass

import streamlit as st

from dashboard.registry.access import LOCAL, SHARED_ENV
from dashboard.ui.text import md

#: Headers a reverse proxy adds: a request that carries one came through a proxy, from another machine.
PROXY_HEADERS = ("x-forwarded-for", "x-real-ip", "forwarded", "x-forwarded-host")


@dataclass(frozen=True)
class Identity:
    """The person behind this session: ``email`` is the account name edits are recorded under (``local``
    for a laptop's own user); ``signed_in`` is True only for a provider-verified account. ``read_only`` says
    why nobody here may edit, or is empty."""

    email: str | None
    name: str | None
    signed_in: bool
    read_only: str = ""

    @property
    def actor(self) -> str | None:
        """The name recorded in the change log for this session's edits (None: this session may not edit)."""
        return None if self.read_only else self.email


def sign_in_configured() -> bool:
    """True when Streamlit's secrets hold an ``[auth]`` section (an identity provider is set up)."""
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, KeyError, OSError):  # no secrets file at all
        return False
    except Exception:  # noqa: BLE001 - a damaged secrets file: sign-in is not usable, the app still reads
        return False


def _loopback(address: str | None) -> bool:
    if not address:
        return False  # Streamlit's default: every interface
    if address == "localhost":
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def server_is_private() -> bool:
    """True when only this machine can reach the server: it listens on the loopback interface, was not
    started behind the proxy, and this request was not forwarded by one."""
    if os.environ.get(SHARED_ENV):
        return False
    if not _loopback(st.get_option("server.address")):
        return False
    try:
        headers = {k.lower() for k in st.context.headers.keys()}
    except Exception:  # noqa: BLE001 - no request context (a bare script run): nothing was forwarded
        headers = set()
    return not headers & set(PROXY_HEADERS)


def current() -> Identity:
    """This session's identity (see the module's docstring)."""
    if sign_in_configured():
        user = st.user.to_dict()
        if user.get("is_logged_in"):
            email = str(user.get("email") or user.get("sub") or "").strip().lower()
            name = str(user.get("name") or email)
            if email:
                return Identity(email=email, name=name, signed_in=True)
        return Identity(None, None, False, read_only="Sign in to change the registry.")
    if server_is_private():
        return Identity(email=LOCAL, name="this computer's user", signed_in=False)
    return Identity(
        None,
        None,
        False,
        read_only="The registry is read-only here: this server can be reached by others and no sign-in is "
        "configured (see the README's deployment section).",
    )


def render_sign_in() -> Identity:
    """Sign-in and sign-out in the sidebar (only where sign-in is configured); returns the identity."""
    who = current()
    if not sign_in_configured():
        return who
    with st.sidebar:
        if who.signed_in:
            st.caption(f"Signed in as {md(who.email or '')}")
            st.button("Sign out", on_click=st.logout, key="sign-out")
        else:
            st.button("Sign in", on_click=st.login, key="sign-in")
    return who
