"""Lesson 1 exercise: one capability of CNNs and one of RNNs that helps forecasting (free text).

``exercises.lesson1.capabilities`` checks two short answers by the ideas they name; the ideas and
the words that show them are data (``CNN_IDEAS``, ``RNN_IDEAS``), as are the hints and the
example answers.
"""

from __future__ import annotations

import re

from .core import Exercise, Feedback, Lesson, Mistake, ____, is_placeholder

__all__ = ["CNN_IDEAS", "RNN_IDEAS", "CapabilitiesExercise", "capabilities"]

# Each idea and the words (regular expressions) that show it in an answer.
CNN_IDEAS: dict[str, tuple[str, ...]] = {
    "learn local patterns (features) from short stretches of the series": (
        "local",
        "pattern",
        "motif",
        "shape",
        "spike",
        "peak",
        "bump",
        "edge",
        "feature",
        "filter",
        "kernel",
        "convol",
    ),
    "learn features straight from the raw values, with no hand-made features": (
        r"\braw\b",
        "automatic",
        "by (it|them)sel",
        "hand[- ]?(made|craft)",
        "manual",
        "feature (extraction|learning)",
    ),
    "recognise a pattern wherever it occurs (shift invariance)": (
        "invarian",
        "shift",
        "anywhere",
        "wherever",
        "translation",
        "position",
        "location",
        "regardless",
    ),
    "read long inputs efficiently: shared weights, few parameters, parallel, pooling": (
        "parallel",
        "efficien",
        "fast",
        "fewer parameters",
        "weight[- ]shar",
        "shared weights",
        "pooling",
        "downsampl",
        "less memory",
    ),
    "read several input series at once as channels": (
        "channel",
        "multivariate",
        "multiple (input )?(series|variables)",
    ),
}
RNN_IDEAS: dict[str, tuple[str, ...]] = {
    "take the order of the values into account, step by step": (
        r"\border",
        "sequen",
        "step[- ]by[- ]step",
        "one step at a time",
        "temporal",
        "time steps",
        "over time",
    ),
    "keep a memory (state) of what came before: long-range dependence": (
        "memory",
        "remember",
        r"\bstate",
        "long[- ](term|range)",
        "dependenc",
        "context",
        "history",
        r"\bpast\b",
    ),
    "accept inputs of different lengths": (
        "variable[- ]length",
        "any length",
        "different lengths",
        "arbitrary length",
        "varying length",
    ),
    "produce sequences as output (multi-step forecasts)": (
        "seq(uence)?[ -]?(2|to)[ -]?seq",
        "multi[- ]step",
        "output sequence",
        "sequence output",
    ),
    "gates (LSTM) learn what to keep and what to forget": (r"\bgate", "forget", "vanishing"),
}


def _ideas(text: str, ideas: dict[str, tuple[str, ...]]) -> list[str]:
    """The ideas whose words occur in ``text``."""
    lowered = text.lower()
    return [idea for idea, words in ideas.items() if re.search("|".join(words), lowered)]


class CapabilitiesExercise(Exercise):
    """Lesson 1: one capability of CNNs and one of RNNs that helps forecasting (free text).

    The check looks for recognisable ideas by keyword; it cannot grade prose, so it says which
    ideas it found and points to the example answers.
    """

    title = "One capability of CNNs and one of RNNs for forecasting"
    hints = (
        (
            "Think about what each layer looks at. A convolution slides a small filter along the "
            "series; a recurrent layer reads the series one step at a time and carries a state."
        ),
        (
            "For the CNN: what can a small filter that slides along the whole window notice, and "
            "does it matter where in the window that happens? For the RNN: what does the state "
            "carried from step to step let it do?"
        ),
        (
            "Name one idea per network in a sentence, e.g. for CNNs something about *local "
            "patterns*, for RNNs something about *order* or *memory*."
        ),
    )
    solution_details = (
        (
            "**CNNs:** they learn local patterns straight from the raw values (a filter is a small "
            "pattern detector), and because the same filter slides along the whole window they "
            "recognise a pattern wherever it occurs. Shared weights keep them small and fast on "
            "long inputs, and several input series can be read as channels."
        ),
        (
            "**RNNs (LSTMs):** they read a sequence in order, one step at a time, and carry a "
            "state that acts as memory, so they can learn dependence on values far back. The same "
            "cell handles inputs of any length, and a decoder can emit a whole sequence as output."
        ),
        "Any one idea per network is a good answer; these are examples, not the only ones.",
    )
    solution_code = """\
cnn = "CNNs learn local patterns in the raw values and recognise them wherever they occur."
rnn = "RNNs read the series in order and carry a state, a memory of what came before."\
"""

    # A keyword check cannot grade prose: say so when an answer is not recognised.
    _caveat = (
        "A keyword check can miss a good answer in unusual words; the example answers in "
        "`solution()` help you judge."
    )
    _networks = (
        ("cnn", "CNNs", "recurrent networks", CNN_IDEAS, RNN_IDEAS),
        ("rnn", "RNNs", "convolutional networks", RNN_IDEAS, CNN_IDEAS),
    )

    def _check(self, cnn=____, rnn=____):
        if is_placeholder((cnn, rnn)):
            return self._not_attempted()
        answers = {"cnn": cnn, "rnn": rnn}
        for name, answer in answers.items():
            if not isinstance(answer, str):
                raise Mistake(
                    f'Write the `{name}` answer as text in quotes, e.g. `{name} = "..."`.'
                )
        notes, missing = [], []
        for name, label, other, ideas, other_ideas in self._networks:
            note, problem = self._assess(answers[name], label, other, ideas, other_ideas)
            notes += [note] if note else []
            missing += [problem] if problem else []
        return self._verdict(notes, missing)

    @staticmethod
    def _assess(answer: str, label, other, ideas, other_ideas) -> tuple[str | None, str | None]:
        """(note on the idea recognised, or None; what is missing, or None) for one answer."""
        text = answer.strip()
        found = _ideas(answer, ideas)
        if found:
            return f"{label}: recognised *{found[0]}*.", None
        if not text:
            return None, f"{label}: the answer is empty."
        if len(text.split()) < 3:
            return None, (
                f'{label}: "{text}" is too short to tell; write a sentence '
                "about what the network does with a sequence."
            )
        crossed = _ideas(answer, other_ideas)
        if crossed:
            return None, (
                f"{label}: that sounds like {other} (*{crossed[0]}*). "
                "What is special about this kind of network?"
            )
        return None, (
            f"{label}: no capability recognised. Say what the network does "
            "with the values of the window that helps it forecast."
        )

    def _verdict(self, notes: list[str], missing: list[str]) -> Feedback:
        """Correct when both answers name a capability, partial for one, incorrect for none."""
        if not missing:
            return Feedback(
                "correct",
                "Both answers name a real capability.",
                [*notes, "Compare with the example answers: `solution()`."],
            )
        if notes:
            return Feedback(
                "partial",
                "One answer names a capability, the other not yet.",
                [*notes, *missing, self._caveat],
            )
        return Feedback(
            "incorrect",
            "Neither answer names a capability the check recognises.",
            [*missing, self._caveat],
        )


capabilities = CapabilitiesExercise()

Lesson.adopt(__name__, 1)
