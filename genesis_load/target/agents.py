"""The seven GENESIS coaching agents: domain, topic keywords, speed and voice.

A plain registry (name -> Agent). Keywords are what an answer echoes back when the prompt
mentions them, so a load test can score answer quality by keyword coverage. ``speed`` scales
that agent's simulated generation time (2.0 = twice as fast as the baseline).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["AGENTS", "Agent", "find_agent"]


@dataclass(frozen=True)
class Agent:
    name: str
    domain: str
    keywords: tuple[str, ...]
    speed: float
    openings: tuple[str, ...]
    advice: tuple[str, ...]  # each contains "{kw}"

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "domain": self.domain,
            "keywords": list(self.keywords),
            "speed": self.speed,
        }


AGENTS: dict[str, Agent] = {
    a.name: a
    for a in (
        Agent(
            "BLAZE",
            "high-intensity training and cardio conditioning",
            ("hiit", "interval", "sprint", "cardio", "endurance", "running", "fat loss", "tempo"),
            1.2,
            ("Let's turn up the heat.", "Time to push the pace.", "Good question, let's go."),
            (
                "keep {kw} sessions short and hard, then recover fully between efforts",
                "build {kw} gradually: add no more than ten percent volume per week",
                "pair {kw} work with one easy day so quality stays high",
            ),
        ),
        Agent(
            "SAGE",
            "mindfulness, sleep and stress recovery",
            ("sleep", "stress", "meditation", "breathing", "mindfulness", "anxiety", "rest"),
            0.85,
            ("Let's slow down for a moment.", "Take a breath with me.", "A calm start helps."),
            (
                "treat {kw} as training: the same time every day matters more than the length",
                "notice how {kw} changes after hard days and plan lighter evenings then",
                "five quiet minutes of {kw} practice before bed is a realistic start",
            ),
        ),
        Agent(
            "NOVA",
            "nutrition and fuelling",
            ("protein", "calories", "carbs", "hydration", "meal", "diet", "macros", "vitamins"),
            1.0,
            ("Let's look at your plate.", "Fuel first, then performance.", "Good fuel, good work."),
            (
                "spread {kw} evenly across the day instead of one big serving",
                "track {kw} for one normal week before changing anything",
                "adjust {kw} to training days: more around hard sessions, less on rest days",
            ),
        ),
        Agent(
            "SPARK",
            "motivation and habit building",
            ("motivation", "habit", "goal", "consistency", "streak", "discipline", "routine"),
            1.3,
            ("You've got this.", "Small wins add up.", "Let's build momentum."),
            (
                "make {kw} tiny at first so it survives your busiest day",
                "write your {kw} down and review it every Sunday",
                "tie {kw} to something you already do, like your morning coffee",
            ),
        ),
        Agent(
            "STELLA",
            "strength training and lifting technique",
            ("strength", "squat", "deadlift", "bench", "muscle", "form", "hypertrophy", "reps"),
            1.0,
            ("Let's get strong.", "Form first, load second.", "Chalk up, here's the plan."),
            (
                "progress {kw} by adding a little load only when every rep looks the same",
                "film your {kw} sets from the side once a week to check technique",
                "keep two reps in reserve on {kw} work for the first month",
            ),
        ),
        Agent(
            "WAVE",
            "mobility, flexibility and injury prevention",
            ("mobility", "stretch", "yoga", "flexibility", "posture", "injury", "pain"),
            0.95,
            ("Let's move well.", "Easy does it.", "Smooth movement first."),
            (
                "do ten minutes of {kw} work after training while you are still warm",
                "if {kw} feels sharp rather than dull, stop and get it checked",
                "a daily {kw} routine beats one long session per week",
            ),
        ),
        Agent(
            "NEXUS",
            "progress analytics and whole-program planning",
            ("progress", "data", "trend", "heart rate", "vo2max", "recovery", "metrics"),
            0.8,
            ("Let's look at the numbers.", "Here's what the data says.", "Zooming out a bit."),
            (
                "compare {kw} week over week rather than day to day to see the real trend",
                "a steady change in {kw} over four weeks is a signal; one bad day is noise",
                "review {kw} together with how you slept before adjusting the program",
            ),
        ),
    )
}


def find_agent(name: str) -> Agent | None:
    """Look an agent up case-insensitively ("blaze" finds BLAZE)."""
    return AGENTS.get(name.upper())
