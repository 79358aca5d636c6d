"""Signed-in sessions made directly in the session store, as a login would leave them."""

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY


def signed_in_session(store_class, user) -> str:
    """A new session of `store_class` (the app's SESSION_ENGINE store) for `user`; its key."""
    session = store_class()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key
