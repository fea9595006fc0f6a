"""Ready-made locustfiles shipped inside the package (so installed copies can run them).

Each ``NAME.py`` here is two lines that build the suite scenario ``SUITE[NAME]``
(:mod:`genesis_load.suite.registry`) with :func:`genesis_load.scenarios.build.suite_classes`.
This module does not import Locust (the CLI finds the files without it).
"""

from pathlib import Path

__all__ = ["locustfile_path"]


def locustfile_path(name: str) -> Path:
    """Path of a packaged locustfile, e.g. ``locustfile_path("baseline")``."""
    path = Path(__file__).with_name(f"{name}.py")
    if not path.is_file() or name.startswith("_") or name == "build":
        raise FileNotFoundError(f"no packaged locustfile named {name!r}")
    return path
