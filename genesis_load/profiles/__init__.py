"""Profiles: how a whole run is scaled and judged per environment, as TOML files.

A layer below the plugin and the suite: both read profiles through :func:`load_profile`. The
shipped profiles (``ci``, ``local``, ``staging``, ``production``) are package data next to
this module; ``--profile`` also takes ``./profiles/NAME.toml`` or a path to your own file.
No Locust, no gevent.
"""

from .profile import (
    PACKAGED,
    USER_DIR,
    Profile,
    find_profile,
    load_profile,
    packaged_profiles,
    parse_profile,
)

__all__ = [
    "PACKAGED",
    "USER_DIR",
    "Profile",
    "find_profile",
    "load_profile",
    "packaged_profiles",
    "parse_profile",
]
