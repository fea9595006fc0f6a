"""Suite progress in a log that is not a terminal: plain lines, not a silent run."""

from __future__ import annotations

import io

from rich.console import Console

from genesis_load.suite.runner import PlainProgress


def test_progress_is_printed_as_lines_at_start_every_interval_and_at_the_end() -> None:
    out = io.StringIO()
    console = Console(file=out, width=200)
    assert not console.is_terminal
    progress = PlainProgress(console, every_s=0.0)
    task = progress.add_task("[1/2] baseline", total=60, live="starting")
    progress.update(task, completed=12, live="100.0 req/s")
    progress.update(task, completed=60, live="exit 0")
    assert out.getvalue().splitlines() == [
        "[1/2] baseline: started, 60 s planned",
        "[1/2] baseline: 12/60 s  100.0 req/s",
        "[1/2] baseline: 60/60 s  exit 0",
    ]
