"""What a check, a hint, a solution or a result says: :class:`Feedback`, and :class:`Mistake`.

A :class:`Feedback` is shown as a coloured box in Jupyter, as Markdown where HTML is not rendered
and as plain text in a terminal; ``passed``, ``status`` and ``message`` are for code and tests.
A check raises :class:`Mistake` to stop at the first problem it finds.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

__all__ = ["STATUSES", "Feedback", "Mistake", "show"]

_STYLES = {  # status: (icon, label, accent colour, background)
    "correct": ("✅", "Correct", "#1a7f37", "#e9f6ec"),
    "partial": ("🟠", "Almost", "#9a6700", "#fff5db"),
    "incorrect": ("❌", "Not yet", "#cf222e", "#fdecec"),
    "not attempted": ("✏️", "Not attempted yet", "#57606a", "#f3f4f6"),
    "hint": ("💡", "Hint", "#0969da", "#eaf2fd"),
    "solution": ("📖", "Solution", "#8250df", "#f3effd"),
    # what `result()` says: the cells below go on with the learner's answer or the worked one
    "continue": ("➡️", "Continuing", "#0a3069", "#eef1f5"),
}


def _inline_html(text: str) -> str:
    """Escape text for HTML and turn `code` spans into <code> and **bold** into <b>."""
    escaped = html.escape(text)
    escaped = re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped)
    return re.sub(r"\*\*([^*]+)\*\*", r"<b>\1</b>", escaped)


@dataclass
class Feedback:
    """What a check, a hint or a solution says: a status, a headline, details and maybe code.

    Shown as a coloured box in Jupyter (``_repr_html_``), as Markdown where HTML is not rendered and
    as plain text in a terminal. ``passed`` is True only for a correct answer.
    """

    status: str
    title: str
    details: list[str] = field(default_factory=list)
    code: str | None = None
    label: str | None = None  # overrides the status label, e.g. "Hint 2 of 3"

    def __post_init__(self):
        if self.status not in _STYLES:
            raise ValueError(f"Unknown status {self.status!r}; use one of {', '.join(_STYLES)}.")

    @property
    def passed(self) -> bool:
        """True when the answer was checked and is right."""
        return self.status == "correct"

    @property
    def message(self) -> str:
        """The headline and the details as one string (what the tests read)."""
        return "\n".join([self.title, *self.details])

    def _head(self):
        icon, label, *_ = _STYLES[self.status]
        return icon, self.label or label

    def __str__(self):
        icon, label = self._head()
        lines = [f"{icon} {label}: {self.title}"]
        lines += [f"  - {detail}" for detail in self.details]
        if self.code:
            lines += ["", *("    " + line for line in self.code.splitlines())]
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_markdown_(self):
        icon, label = self._head()
        parts = [f"**{icon} {label}:** {self.title}"]
        if self.details:
            parts.append("\n".join(f"- {detail}" for detail in self.details))
        if self.code:
            parts.append(f"```python\n{self.code}\n```")
        return "\n\n".join(parts)

    def _repr_html_(self):
        icon, label = self._head()
        _, _, accent, background = _STYLES[self.status]
        body = [
            (
                f"<div><b style='color:{accent}'>{icon} {html.escape(label)}:</b> "
                f"{_inline_html(self.title)}</div>"
            )
        ]
        if self.details:
            items = "".join(f"<li>{_inline_html(d)}</li>" for d in self.details)
            body.append(f"<ul style='margin:0.3em 0 0 0'>{items}</ul>")
        if self.code:
            body.append(
                "<pre style='margin:0.5em 0 0 0;padding:0.5em;background:#ffffff99'>"
                f"<code>{html.escape(self.code)}</code></pre>"
            )
        return (
            f"<div style='border-left:5px solid {accent};background:{background};"
            f"padding:0.5em 0.9em;margin:0.4em 0;border-radius:4px'>{''.join(body)}</div>"
        )


class Mistake(Exception):
    """Raised inside a check to stop at the first problem found, carrying its feedback."""

    def __init__(self, title: str, *details: str, status: str = "incorrect"):
        super().__init__(title)
        self.feedback = Feedback(status, title, list(details))


STATUSES = tuple(_STYLES)


def show(feedback: Feedback) -> None:
    """Display ``feedback`` in a notebook (its coloured box), or print it elsewhere."""
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # pragma: no cover (IPython is a dependency of the lessons)
        get_ipython = None
    if get_ipython is not None and get_ipython() is not None:
        display(feedback)
    else:
        print(feedback)
