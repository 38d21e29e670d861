"""The simulation in CI: a fixed seed, a few thousand steps, every invariant after every step.

    KASPR_SIM_SEED=7 KASPR_SIM_STEPS=400 pytest tests/simulation     # replay one seed (as a failure prints)
    KASPR_SIM_STEPS=100000 KASPR_SIM_SEEDS=1-20 pytest tests/simulation   # the long run, seed by seed
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from .scenario import Simulation

CI_SEED = 20261127
CI_STEPS = 2_000


def seeds() -> list[int]:
    if "KASPR_SIM_SEED" in os.environ:
        return [int(os.environ["KASPR_SIM_SEED"])]
    if "KASPR_SIM_SEEDS" in os.environ:
        first, _, last = os.environ["KASPR_SIM_SEEDS"].partition("-")
        return list(range(int(first), int(last or first) + 1))
    return [CI_SEED]


@pytest.mark.long
@pytest.mark.parametrize("seed", seeds())
def test_every_invariant_holds_after_every_step(seed: int, tmp_path: Path) -> None:
    simulation = Simulation(seed, tmp_path / "billing.db")

    async def run() -> None:
        await simulation.setup()
        await simulation.run(int(os.environ.get("KASPR_SIM_STEPS", CI_STEPS)))

    asyncio.run(run())
    print(simulation.summary())
