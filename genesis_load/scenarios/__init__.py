"""Ready-made locustfiles shipped inside the package (so installed copies can run them)."""

from pathlib import Path

__all__ = ["locustfile_path"]


def locustfile_path(name: str) -> Path:
    """Path of a packaged locustfile, e.g. ``locustfile_path("baseline")``."""
    path = Path(__file__).with_name(f"{name}.py")
    if not path.is_file() or name.startswith("_"):
        raise FileNotFoundError(f"no packaged locustfile named {name!r}")
    return path
