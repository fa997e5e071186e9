from . import session_clock  # noqa: F401  (the idle clock starts at every login)
