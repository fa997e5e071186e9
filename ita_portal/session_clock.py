"""The idle clock of a session starts at login, whichever view logs in (the portal's, the admin's,
a test's force_login), so that the first request after it writes nothing (ita_portal/sessions.py).
Imported from ita_portal/__init__.py: it needs nothing but the signal, before the apps are ready."""

import time

from django.contrib.auth.signals import user_logged_in

LAST_SEEN = "last_seen"


def start_clock(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN] = int(time.time())


user_logged_in.connect(start_clock, dispatch_uid="ita_portal.session_clock")
