"""What a protocol step's own keys say of its length: the signed C-rate and the longest
duration known in advance (used by the resource bounds before meshing and by the run)."""

from __future__ import annotations

__all__ = ["signed_rate", "step_duration"]


_SIGN = {"lithiate": 1.0, "delithiate": -1.0, "rest": 0.0, "hold": 0.0, "equilibrate": 0.0}


def signed_rate(step) -> float:
    """C-rate with sign: + lithiation, - delithiation, 0 rest (1/h)."""
    return _SIGN[step.mode] * step.c_rate


def step_duration(step, soc: float, capacity_mAh_g: float) -> float:
    """Longest length of a step (s) starting at mean filling fraction `soc`, from what is known in
    advance (inf when only events can end it); 0 if `until_soc` is already reached or lies the
    other way; 0 for an equilibrate step (no time passes). `capacity_mAh_g`: the active
    material's theoretical specific capacity."""
    if step.mode == "equilibrate":
        return 0.0
    durations = [] if step.duration is None else [step.duration]
    rate = signed_rate(step)
    if rate != 0.0:
        full = 1.0 if rate > 0 else 0.0  # the particle cannot be filled beyond full or emptied below empty
        targets = [full] if step.until_soc is None else [step.until_soc, full]
        durations += [max((target - soc) / (rate / 3600.0), 0.0) for target in targets]
        if step.until_capacity is not None:
            durations.append(step.until_capacity / (abs(rate) * capacity_mAh_g) * 3600.0)
    return min(durations, default=float("inf"))
