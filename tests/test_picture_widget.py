"""The base of every explorer: its picture, its progress bar, Stop, and what a saved copy shows."""

import base64

import ipywidgets as widgets
import pytest
from matplotlib.figure import Figure

from course_helpers.picture_widget import PictureWidget, Stopped, plain_text, widget_view

VIEW = "application/vnd.jupyter.widget-view+json"


class Sketch(PictureWidget):
    """The smallest explorer: a progress bar and a picture."""

    def __init__(self):
        self.progress = widgets.IntProgress()
        self.output = widgets.Output()
        super().__init__([self.progress, self.output])

    def summary(self):
        return "a sketch, last drawn"


def figure(label: str) -> Figure:
    fig = Figure(figsize=(2, 1.5), dpi=50)
    fig.subplots().set_title(label)
    return fig


def test_a_saved_copy_keeps_the_last_kept_picture_and_the_summary():
    sketch = Sketch()
    bundle = sketch._repr_mimebundle_()
    assert VIEW in bundle and "image/png" not in bundle  # nothing drawn yet: the live view only
    png = sketch.show_picture(sketch.output, figure("first"), "<first>")
    (shown,) = sketch.output.outputs
    assert base64.b64decode(shown["data"]["image/png"]) == png and png.startswith(b"\x89PNG")
    assert shown["data"]["text/plain"] == "<first>"
    sketch.show_picture(widgets.Output(), figure("elsewhere"), "<other>", keep=False)
    bundle = sketch._repr_mimebundle_()
    assert bundle[VIEW]["model_id"] == sketch.model_id
    assert base64.b64decode(bundle["image/png"]) == png  # the kept one, not the other
    assert bundle["text/plain"] == "a sketch, last drawn"


def test_without_a_parent_mimebundle_the_live_view_is_written_out(monkeypatch):
    """ipywidgets 7 (Colab's) has no _repr_mimebundle_: the view is built from the model id."""
    monkeypatch.delattr(widgets.Widget, "_repr_mimebundle_")
    sketch = Sketch()
    assert sketch._repr_mimebundle_() == widget_view(sketch)
    sketch.show_picture(sketch.output, figure("drawn"), "<drawn>")
    bundle = sketch._repr_mimebundle_()
    assert bundle[VIEW] == {"version_major": 2, "version_minor": 0, "model_id": sketch.model_id}
    assert "image/png" in bundle and bundle["text/plain"] == "a sketch, last drawn"


def test_progress_moves_the_bar_until_stop_is_pressed():
    sketch = Sketch()
    sketch.report_progress(3, 10)
    assert (sketch.progress.value, sketch.progress.max) == (3, 10)
    sketch.stop()
    with pytest.raises(Stopped, match="Stopped after 4 of 10 epochs") as stopped:
        sketch.report_progress(4, 10)
    assert (stopped.value.done, stopped.value.total) == (4, 10)
    assert sketch.progress.value == 4  # the bar shows where it stopped


def test_plain_text_drops_the_markup():
    assert plain_text("RMSE <b>7.10</b> births &amp; more") == "RMSE 7.10 births & more"
