"""The exchange's sample files (docs/grid-exchange/) say what the interface does."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from yufang.grid.exchange import (
    FINDING_COLUMNS,
    GRID_COLUMNS,
    IMPORT_COLUMNS,
    TASK_COLUMNS,
    WORKER_COLUMNS,
    ExternalBatchIn,
)

SAMPLES = Path(__file__).resolve().parents[4] / "docs" / "grid-exchange"


def header(name: str) -> list[str]:
    with (SAMPLES / name).open(encoding="utf-8") as fh:
        return next(csv.reader(fh))


def test_the_sample_files_have_the_interfaces_columns() -> None:
    assert header("grids.csv") == GRID_COLUMNS
    assert header("workers.csv") == WORKER_COLUMNS
    assert header("tasks.csv") == TASK_COLUMNS
    assert header("screenings-in.csv") == IMPORT_COLUMNS
    tasks = json.loads((SAMPLES / "tasks.json").read_text(encoding="utf-8"))
    assert list(tasks["rows"][0]) == TASK_COLUMNS
    findings = json.loads((SAMPLES / "findings.json").read_text(encoding="utf-8"))
    assert list(findings["rows"][0]) == FINDING_COLUMNS


def test_the_sample_import_is_valid_input() -> None:
    batch = ExternalBatchIn.model_validate(
        json.loads((SAMPLES / "screenings-in.json").read_text(encoding="utf-8"))
    )
    assert batch.screenings[0].external_id == "DY-2026-0001"
