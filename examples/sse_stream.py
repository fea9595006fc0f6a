"""An SSE stream: each iteration reads a 10-event feed to its end; per-stream metrics.

Records `sse_time_to_first_event`, `sse_event_gap`, `sse_stream_duration` and
`sse_stream_completed` (docs/streaming.md); a stream that stalls or breaks fails the rate.

    genesis-load run examples/sse_stream.py --host demo
"""

from genesis_load import ScenarioShape, arrival_rate_user, set_thresholds
from genesis_load.executors import scenarios_from_config
from genesis_load.streaming import SSEOptions, SSEUser

[feed] = scenarios_from_config(
    {
        "feed": {
            "executor": "constant-arrival-rate",
            "rate": 4,
            "timeUnit": "1s",
            "duration": "4s",
            "preAllocatedVUs": 4,
            "maxVUs": 10,
        }
    }
)

set_thresholds({"sse_stream_completed": ["rate>0.95"], "sse_time_to_first_event": ["p(95)<500"]})


class Feed(SSEUser):
    abstract = True  # scheduled below: each iteration opens one stream (its @task)
    stream_path = "/api/v1/stream/events?count=10&interval_ms=20"
    stream_name = "tick feed"
    sse_options = SSEOptions(stall_s=2.0)


FeedVU = arrival_rate_user(Feed, feed, "FeedVU")


class Shape(ScenarioShape):
    user_classes = (FeedVU,)
