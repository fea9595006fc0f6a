"""The built-in prompt set for the seven GENESIS agents: :data:`GENESIS_PROMPTS`.

Two simple and two complex questions per agent, classified as the demo target classifies them
(docs/target.md). Each answer of the demo target names every agent keyword its prompt
mentions, so ``expect`` lists them (a test checks both against the target's own code).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .prompts import Prompt, PromptSet

__all__ = ["GENESIS_PROMPTS"]


def _genesis(agent: str, simple: Sequence[str], complex_: Sequence[str], kw: str) -> list[Prompt]:
    def found(text: str) -> tuple[str, ...]:
        return tuple(w for w in kw.split(",") if re.search(rf"\b{w}\b", text.lower()))

    out = [Prompt(agent, t, "simple", found(t)) for t in simple]
    return out + [Prompt(agent, t, "complex", found(t)) for t in complex_]


#: The built-in set (see the module docstring).
GENESIS_PROMPTS = PromptSet([
    *_genesis("BLAZE", ("How short should a hiit session be?", "Is sprint work good for cardio?"),
              ("Plan a four week interval program to improve my running endurance.",
               "Compare tempo runs versus hiit for fat loss and explain why."),
              "hiit,interval,sprint,cardio,endurance,running,fat loss,tempo"),
    *_genesis("SAGE", ("How can I sleep better after late training?",
                       "Any breathing tip for stress?"),
              ("Give me a step by step evening routine for sleep and meditation.",
               "Compare meditation versus breathing drills for anxiety and explain why."),
              "sleep,stress,meditation,breathing,mindfulness,anxiety,rest"),
    *_genesis("NOVA", ("How much protein do I need?", "Should I track calories on rest days?"),
              ("Plan a week of meals with enough protein and carbs for hard training.",
               "Compare a high carbs diet versus high protein for my macros and explain why."),
              "protein,calories,carbs,hydration,meal,diet,macros,vitamins"),
    *_genesis("SPARK", ("How do I keep my motivation up?", "What makes a habit stick?"),
              ("Plan a routine that builds consistency toward my goal over a month.",
               "Compare streak tracking versus discipline for a new habit and explain why."),
              "motivation,habit,goal,consistency,streak,discipline,routine"),
    *_genesis("STELLA", ("How deep should my squat be?", "How many reps build muscle?"),
              ("Plan a strength program with squat, deadlift and bench for twelve weeks.",
               "Compare low reps versus high reps for hypertrophy and explain why."),
              "strength,squat,deadlift,bench,muscle,form,hypertrophy,reps"),
    *_genesis("WAVE", ("Is a daily stretch worth it?", "Can yoga help my posture?"),
              ("Plan a mobility schedule that lowers my injury risk while I train.",
               "Compare yoga versus stretch routines for flexibility and explain why."),
              "mobility,stretch,yoga,flexibility,posture,injury,pain"),
    *_genesis("NEXUS", ("Is my heart rate trend normal?", "How often should I check my progress?"),
              ("Analyze my progress data and plan the next block around recovery.",
               "Compare vo2max versus heart rate metrics for tracking and explain why."),
              "progress,data,trend,heart rate,vo2max,recovery,metrics"),
])  # fmt: skip
