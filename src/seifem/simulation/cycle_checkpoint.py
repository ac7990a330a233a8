"""Checkpoints of a cycle-life run (`simulation.cycle_life`): the twin's fields, its layered SEI
state, the film, the counter electrode's inventory and the rows so far, written at the end of
every resolved cycle, so that `seifem run --restart` continues a killed run to the same
cycles.csv and history.csv as an uninterrupted one.

One file, `checkpoint.npz` of the run directory (`observers.checkpoint`: dof values by
coordinates, written atomically): the twin's state functions (the 2D twin distributed over the
run's ranks; the 1D twin, the same on every rank, written by rank 0) and a JSON meta holding
- the twin's time state (t, the BDF history),
- per SEI layer its internal variables (`physics.sei_layer_state.LayerState`: SLS viscous stress
  q [Pa], plastic strain, strain, damage, peak [Pa], yield status) and the grown SEI's thickness
  and formation-strain integral [m],
- the film (`physics.sei_cracks.CrackedFilm`: thicknesses [m], cracked fraction, dead crack SEI,
  lithium lost [mol], healing strain),
- the cell's ledger (charge applied [mol], counter-electrode inventory [mol], last voltage [V],
  surface strain, steps, layer stresses [Pa]), the next cycle and the rows and history so far,
- the case's hash (`results.restart.case_hash`) and t, as every checkpoint.
Floats go through JSON as their shortest repr, so they come back bit for bit.
"""

from __future__ import annotations

from pathlib import Path

from mpi4py import MPI

from seifem.observers.checkpoint import load_checkpoint, save_checkpoint

__all__ = ["LAYER_VARS", "load_cell", "save_cell"]

LAYER_VARS = ("q", "e_p", "e", "damage", "peak", "status")
"""Each SEI layer's internal variables kept (`physics.sei_layer_state.LayerState`)."""
_FILM = ("L", "X", "Lc", "lost_sei_mol", "lost_crack_mol", "e_heal", "dead")
_CELL = ("applied", "reservoir", "voltage", "strain", "steps", "stresses", "direction", "crystalline")


def _comm(cell, comm: MPI.Comm) -> MPI.Comm:
    """The communicator of the twin's fields: the run's for the 2D twin, COMM_SELF for the 1D."""
    return comm if cell.spec.model == "2d" else MPI.COMM_SELF


def save_cell(path: Path, cell, comm: MPI.Comm, next_cycle: int, rows: list[dict], history: list[dict],
              extra: dict) -> None:
    """Write the cell's state after a resolved cycle (collective over `comm`); `extra` joins the
    meta (the case hash)."""
    m = cell.membrane
    meta = {
        **extra, "t": cell.p.t, "cycle_life": True, "next_cycle": next_cycle, "time_state": cell.p.time_state(),
        "layers": [{v: getattr(s, v) for v in LAYER_VARS} for s in m.layers],
        "grown": [m.grown_thickness, m.grown_formed],
        "film": {v: getattr(cell.film, v) for v in _FILM},
        "cell": {v: getattr(cell, v) for v in _CELL},
        "rows": rows, "history": history,
    }
    fields = cell.p.state_functions()
    cell.p.fresh_preconditioners()  # as after a load: the continued run and this one take the same steps
    own = _comm(cell, comm)
    if own is comm or comm.rank == 0:
        save_checkpoint(Path(path), own, fields, meta)
    comm.barrier()


def load_cell(path: Path, cell, comm: MPI.Comm) -> tuple[int, list[dict], list[dict]]:
    """Restore the cell from a checkpoint of `save_cell` (collective); returns the next cycle,
    the rows and the history so far."""
    meta = load_checkpoint(Path(path), _comm(cell, comm), cell.p.state_functions())
    cell.p.set_time_state(meta["time_state"])
    cell.p.fresh_preconditioners()
    m = cell.membrane
    for s, state in zip(m.layers, meta["layers"], strict=True):
        for v in LAYER_VARS:
            setattr(s, v, state[v])
    m.grown_thickness, m.grown_formed = meta["grown"]
    for v in _FILM:
        setattr(cell.film, v, meta["film"][v])
    for v in _CELL:
        setattr(cell, v, meta["cell"].get(v, getattr(cell, v)))  # "crystalline": absent before the phase history
    cell.history = meta["history"]
    return int(meta["next_cycle"]), meta["rows"], meta["history"]
