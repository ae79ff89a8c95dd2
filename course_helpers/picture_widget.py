"""How every explorer shows its picture, its progress, and what a saved copy of it shows.

:class:`PictureWidget` is the base of the course's widgets (lesson 2's window explorer, the
forecast explorer of lessons 3-7 and lesson 8's explorer; a new explorer subclasses it too):

* :meth:`~PictureWidget.show_picture` draws a Matplotlib figure as a PNG into an output area;
* :meth:`~PictureWidget.report_progress` moves the ``progress`` bar during training and stops it
  when :meth:`~PictureWidget.stop` was called (:class:`Stopped`);
* displayed, the widget is live in Jupyter, and a saved notebook keeps its last picture and a
  line of text (:meth:`~PictureWidget.summary`) for viewers that cannot run widgets, such as
  GitHub. Under ipywidgets 7 (Colab's), which has no ``_repr_mimebundle_``, the live view is
  written out by :func:`widget_view`.
"""

from __future__ import annotations

import base64
import html
import re
import threading

import ipywidgets as widgets

from .plots import figure_to_png

__all__ = ["PictureWidget", "Stopped", "plain_text", "show_png", "widget_view"]


class Stopped(Exception):
    """Raised from a progress callback when the widget's Stop button was pressed."""

    def __init__(self, done: int, total: int):
        super().__init__(f"Stopped after {done:,} of {total:,} epochs")
        self.done, self.total = done, total


def widget_view(widget: widgets.Widget) -> dict:
    """The mimebundle entry that shows ``widget`` live in Jupyter, written out by its model id."""
    view = {"version_major": 2, "version_minor": 0, "model_id": widget.model_id}
    return {"application/vnd.jupyter.widget-view+json": view}


def show_png(output: widgets.Output, png: bytes, text: str) -> None:
    """Put one PNG (and ``text`` for viewers without images) in an output area.

    The outputs are set directly rather than with ``with output: display(...)``: that only
    captures inside a kernel (not in tests or scripts) and is unreliable in callbacks and threads.
    """
    data = {"image/png": base64.b64encode(png).decode("ascii"), "text/plain": text}
    output.outputs = ({"output_type": "display_data", "data": data, "metadata": {}},)


def plain_text(markup: str) -> str:
    """The text of a widget's HTML value, tags removed: ``"RMSE <b>7.1</b>"`` -> ``"RMSE 7.1"``."""
    return html.unescape(re.sub("<[^>]+>", "", markup))


class PictureWidget(widgets.VBox):
    """A box of controls that shows a picture; the base class of the course's explorers.

    A subclass builds its controls (``self.progress``, an ``IntProgress``, if it trains), passes
    its children to ``super().__init__`` and says in :meth:`summary` what a saved copy should
    read beside the picture.
    """

    def __init__(self, children=(), **kwargs):
        self._png: bytes | None = None  # the last picture kept for a saved copy
        self._stop = threading.Event()
        super().__init__(children, **kwargs)

    def show_picture(self, output: widgets.Output, fig, text: str, *, keep: bool = True) -> bytes:
        """Draw ``fig`` into ``output``; with ``keep``, it is the picture a saved copy shows."""
        png = figure_to_png(fig)
        show_png(output, png, text)
        if keep:
            self._png = png
        return png

    def report_progress(self, done: int, total: int) -> None:
        """Move the progress bar; raise :class:`Stopped` once :meth:`stop` was called.

        Pass it as the ``progress`` callback of :func:`course_helpers.fit` or
        :func:`course_helpers.validate`, which call it between chunks of epochs.
        """
        self.progress.max = total
        self.progress.value = done
        if self._stop.is_set():
            raise Stopped(done, total)

    def stop(self) -> None:
        """Ask a running training to stop after its current chunk of epochs."""
        self._stop.set()

    def summary(self) -> str:
        """The line a saved copy shows beside the last picture (subclasses say more)."""
        return type(self).__name__

    def _repr_mimebundle_(self, **kwargs):
        """The live widget in Jupyter; the last picture and :meth:`summary` where widgets cannot
        run (a saved notebook on GitHub)."""
        parent = getattr(super(), "_repr_mimebundle_", None)  # ipywidgets 7 (Colab's) has none
        bundle = parent(**kwargs) if parent else widget_view(self)
        if self._png is not None and isinstance(bundle, dict):
            bundle["image/png"] = base64.b64encode(self._png).decode("ascii")
            bundle["text/plain"] = self.summary()
        return bundle
