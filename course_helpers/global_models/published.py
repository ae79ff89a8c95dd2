"""The published M4 Hourly results the lesson sits beside, each with its source (one registry).

Rows from the organisers' table are in ``Evaluation and Ranks.xlsx``, sheet "Point
Forecasts-Frequency", of the public repository Mcompetitions/M4-methods (Hourly columns). The
first three are recomputed by the lesson (:func:`.metrics.benchmarks`) and tested to match.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PUBLISHED", "Published", "published_table"]

M4_TABLE = (
    "M4 organisers' table: Mcompetitions/M4-methods, 'Evaluation and Ranks.xlsx', "
    "sheet 'Point Forecasts-Frequency', Hourly"
)
NBEATS = "Oreshkin et al., N-BEATS, ICLR 2020, Table 13 (sMAPE only)"


@dataclass(frozen=True)
class Published:
    """One published row: sMAPE, MASE and OWA on the M4 Hourly test hours (None: not given)."""

    name: str
    smape: float
    mase: float | None
    owa: float | None
    source: str
    note: str = ""


PUBLISHED: dict[str, Published] = {
    p.name: p
    for p in [
        Published("Naive", 43.003, 11.608, None, M4_TABLE, "recomputed by the lesson"),
        Published("seasonal naive", 13.912, 1.193, 0.627, M4_TABLE, "recomputed by the lesson"),
        Published("Naive2", 18.383, 2.395, 1.000, M4_TABLE, "recomputed by the lesson"),
        Published("Theta", 18.138, 2.455, 1.006, M4_TABLE),
        Published("MLP benchmark (one network per series)", 13.842, 2.607, 0.921, M4_TABLE),
        Published("RNN benchmark (one network per series)", 14.698, 3.048, 1.036, M4_TABLE),
        Published("ES-RNN (Smyl), M4 winner", 9.328, 0.893, 0.440, M4_TABLE),
        Published("best Hourly entry (Doornik et al.)", 8.913, 0.801, 0.410, M4_TABLE),
        Published("N-BEATS", 8.197, None, None, NBEATS),
    ]
}


def published_table() -> list[dict]:
    """The registry as rows for a table: name, sMAPE, MASE, OWA (None where unpublished)."""
    return [
        {"": p.name, "sMAPE": p.smape, "MASE": p.mase, "OWA": p.owa} for p in PUBLISHED.values()
    ]
