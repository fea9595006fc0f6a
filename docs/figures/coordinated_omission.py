"""Draws docs/figures/coordinated-omission.png: what a 1-s stall looks like to each model.

The model (the same one the open-model test checks against the demo target): requests are due
every 5 ms (200/s) for 6 s, the server answers in 1 ms except during a stall from 2 s to 3 s,
when it answers nothing until 3 s. A closed-model user sends its next request only after the
previous answer, so it sends one request into the stall and records one slow sample; the
requests that were due meanwhile are never sent, and their waiting is never seen. The open
model sends every request when it is due: each one due during the stall waits until 3 s, and
its latency, measured from when it was due (corrected), is 3 s minus its due time.

    python docs/figures/coordinated_omission.py
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

RATE, DURATION_S, SERVICE_S = 200.0, 6.0, 0.001
STALL = (2.0, 3.0)


def answered(sent_s: float) -> float:
    """When the server answers a request sent at ``sent_s``."""
    if STALL[0] <= sent_s < STALL[1]:
        return STALL[1] + SERVICE_S
    return sent_s + SERVICE_S


def open_model() -> tuple[np.ndarray, np.ndarray]:
    due = np.arange(0.0, DURATION_S, 1.0 / RATE)
    latency_ms = np.array([(answered(t) - t) * 1000.0 for t in due])
    return due, latency_ms


def closed_model() -> tuple[np.ndarray, np.ndarray]:
    sent, latency, t = [], [], 0.0
    while t < DURATION_S:
        done = answered(t)
        sent.append(t)
        latency.append((done - t) * 1000.0)
        t = max(done, t + 1.0 / RATE)  # paced at 200/s, but never before the last answer
    return np.array(sent), np.array(latency)


def main() -> None:
    o_t, o_ms = open_model()
    c_t, c_ms = closed_model()
    fig, ax = plt.subplots(figsize=(10, 3.6))
    ax.plot(o_t, o_ms, ".", ms=2.5, color="#cf222e", label="open model, corrected (every request)")
    ax.plot(c_t, c_ms, "o", ms=4, color="#0969da", mfc="none", label="closed model (what it sent)")
    ax.axvspan(*STALL, color="#57606a", alpha=0.12, label="server stalled")
    ax.set_xlabel("when the request was due (s)")
    ax.set_ylabel("latency (ms)")
    p99_open = np.percentile(o_ms, 99)
    p99_closed = np.percentile(c_ms, 99)
    ax.set_title(
        f"A 1-s stall at 200/s: p99 {p99_open:.0f} ms (open model) vs {p99_closed:.0f} ms "
        "(closed model)"
    )
    ax.legend(loc="upper right")
    fig.tight_layout()
    out = Path(__file__).with_name("coordinated-omission.png")
    fig.savefig(out, dpi=110, metadata={"Software": None})
    print(f"wrote {out}: p99 open {p99_open:.1f} ms, closed {p99_closed:.1f} ms")


if __name__ == "__main__":
    main()
