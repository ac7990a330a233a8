"""The [protocol] section: its steps (tables or sentences), what each mode may carry and what
ends it, and the electrochemistry the steps need."""

from __future__ import annotations

from dataclasses import replace

from seifem.case.experiment import experiment_step
from seifem.case.fields import Field, check_value, suggest
from seifem.case.model import Electrochemistry, Particle, Physics, Solver, Step
from seifem.case.schema import STEP, check_section
from seifem.case.shape import Geometry
from seifem.errors import REQUIRED, CaseError

__all__ = ["parse_steps", "check_electrochemistry", "check_dt_min", "equilibrate_soc", "check_swelling"]


def parse_steps(tree: dict, solver_dt: float) -> tuple[Step, ...]:
    proto = tree.get("protocol", {})
    if not isinstance(proto, dict):
        raise CaseError("protocol", proto, "must be a table with [[protocol.steps]]")
    for key in proto:
        if key not in ("steps", "cycles"):
            raise CaseError(f"protocol.{key}", proto[key],
                            f"unknown key{suggest(key, ['steps', 'cycles'])}; allowed here: steps, cycles")
    cycles = check_value("protocol.cycles", proto.get("cycles", 1),
                         Field("int", "repeat the steps this many times", 1, lo=1, hi=10000))
    raw_steps = proto.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise CaseError("protocol.steps", raw_steps if raw_steps is not None else REQUIRED,
                        'needs at least one [[protocol.steps]] table, e.g. mode = "lithiate", c_rate = "1 C", duration = "30 min"')
    raw_steps = [experiment_step(raw, f"protocol.steps.{i}") if isinstance(raw, str) else raw
                 for i, raw in enumerate(raw_steps)]  # "Lithiate at C/2 until 0.05 V" -> its table
    for i, raw in enumerate(raw_steps):
        if not isinstance(raw, dict):
            raise CaseError(f"protocol.steps.{i}", raw, 'must be a [[protocol.steps]] table, e.g. mode = "lithiate", '
                                                        'c_rate = "1 C", duration = "30 min", or a sentence such as '
                                                        '"Lithiate at 1C for 30 minutes"')
    steps = []
    for i, raw in enumerate(raw_steps):
        key = f"protocol.steps.{i}"
        v = check_section({"s": raw}, "s", STEP, label=key)
        _check_step(key, raw, v)
        steps.append(Step(v["mode"], v["c_rate"] or 0.0, v["duration"], v["until_soc"], v["dt"] or solver_dt,
                          voltage=v["voltage"], until_voltage=v["until_voltage"], until_current=v["until_current"],
                          until_capacity=v["until_capacity"], soc=v["soc"], swelling=v["swelling"]))
    return tuple(replace(s, cycle=c) for c in range(1, cycles + 1) for s in steps)


_STEP_KEYS = {  # mode -> keys it may carry (besides mode and dt), and the keys that can end it
    "lithiate": ({"c_rate", "duration", "until_soc", "until_voltage", "until_capacity"},
                 ("duration", "until_soc", "until_voltage", "until_capacity")),
    "delithiate": ({"c_rate", "duration", "until_soc", "until_voltage", "until_capacity"},
                   ("duration", "until_soc", "until_voltage", "until_capacity")),
    "hold": ({"voltage", "duration", "until_current", "until_capacity"}, ("duration", "until_current", "until_capacity")),
    "rest": ({"duration"}, ("duration",)),
    "equilibrate": ({"soc", "swelling"}, ("soc", "swelling")),
}


def _check_step(key: str, raw: dict, v: dict) -> None:
    """One protocol step's keys fit its mode: what it needs, what it may not carry."""
    mode = v["mode"]
    allowed, enders = _STEP_KEYS[mode]
    for k in STEP:
        if k not in ("mode", "dt") and v[k] is not None and k not in allowed:
            raise CaseError(f"{key}.{k}", raw.get(k), f"a {mode} step cannot have {k}; it takes "
                                                       f"{', '.join(sorted(allowed))}")
    if mode in ("lithiate", "delithiate") and v["c_rate"] is None:
        raise CaseError(f"{key}.c_rate", REQUIRED, f"a {mode} step needs a C-rate, e.g. \"1 C\"")
    if mode == "equilibrate" and v["soc"] is None and v["swelling"] is None:
        raise CaseError(f"{key}.soc", REQUIRED, "an equilibrate step needs the filling fraction to set, e.g. soc = 0.5 "
                                                "(or the core's free volume change, e.g. swelling = 1.0)")
    if mode == "equilibrate" and v["soc"] is not None and v["swelling"] is not None:
        raise CaseError(f"{key}.swelling", raw.get("swelling"), "give soc or swelling, not both")
    if mode == "hold" and v["voltage"] is None:
        raise CaseError(f"{key}.voltage", REQUIRED, 'a hold step needs a voltage, e.g. "0.05 V"')
    if all(v[k] is None for k in enders):
        raise CaseError(f"{key}.duration", REQUIRED, f"a {mode} step needs one of {', '.join(enders)} to end it")


def check_electrochemistry(protocol: tuple[Step, ...], echem: Electrochemistry, particle: Particle,
                            geometry: Geometry, physics: Physics, raw_steps: list) -> None:
    """Voltage cut-offs need a voltage, holds need Butler-Volmer kinetics, which is 3d and one-way."""
    n = len(raw_steps)
    for i, st in enumerate(protocol[:n]):
        key = f"protocol.steps.{i}"
        if echem.kinetics == "none" and (st.until_voltage is not None or st.mode == "hold"):
            what = "until_voltage" if st.until_voltage is not None else "mode"
            raise CaseError(f"{key}.{what}", raw_steps[i].get(what), "needs a voltage: set electrochemistry.kinetics "
                                                                     "= \"uniform\" or \"butler-volmer\"")
        if st.mode == "hold" and echem.kinetics != "butler-volmer":
            raise CaseError(f"{key}.mode", "hold", "a voltage hold needs electrochemistry.kinetics = "
                                                   "\"butler-volmer\" (the current is then an unknown)")
    if echem.kinetics == "none":
        return
    mat = particle.material
    if mat.ocp is None:
        raise CaseError("electrochemistry.kinetics", echem.kinetics, f"material {mat.name!r} has no open-circuit "
                                                                     "potential; use kinetics = \"none\"")
    if "exchange_current_density" not in mat.values:
        raise CaseError("particle.exchange_current_density", REQUIRED, f"material {mat.name!r} has none; set it")
    _check_cutoffs(protocol[:n], mat)
    if echem.kinetics == "butler-volmer":
        if geometry.model != "3d":
            raise CaseError("electrochemistry.kinetics", "butler-volmer", "local Butler-Volmer kinetics are solved "
                                                                          "in 3d; the twins take \"uniform\"")
        if physics.coupling == "two-way":
            raise CaseError("electrochemistry.kinetics", "butler-volmer", "is not available with physics.coupling "
                                                                          "= \"two-way\"; use \"uniform\"")


def _check_cutoffs(steps, mat) -> None:
    """A voltage cut-off must be reachable and not reached at once: a lithiation's below the
    highest OCP of the lithiation branch (at or above it the falling voltage starts past it) and
    above 0 V (the guest metal would plate first); a delithiation's above the lowest OCP of the
    delithiation branch. Below the lowest lithiation OCP (e.g. 0.01 V on Si) is allowed: the
    overpotential reaches it."""
    import numpy as np

    theta = np.linspace(0.0, 1.0, 2001)
    lit, de = mat.ocp.numpy(theta, 1), mat.ocp.numpy(theta, -1)
    for i, st in enumerate(steps):
        v, key = st.until_voltage, f"protocol.steps.{i}.until_voltage"
        if v is None:
            continue
        if st.mode == "lithiate" and not 0.0 < v < lit.max():
            raise CaseError(key, f"{v:g} V", f"a lithiation cut-off must lie in (0, {lit.max():.4g}) V: the OCP of "
                                             f"{mat.name} on lithiation spans {lit.min():.4g} to {lit.max():.4g} V "
                                             "(above it the step ends at once; at or below 0 V the metal plates)")
        if st.mode == "delithiate" and not v > de.min():
            raise CaseError(key, f"{v:g} V", f"a delithiation cut-off must lie above {de.min():.4g} V, the lowest "
                                             f"OCP of {mat.name} on delithiation (below it the step ends at once)")


def check_dt_min(tree: dict, solver: Solver, protocol: tuple[Step, ...]) -> None:
    """Adaptive stepping needs dt_min below every largest step (solver.dt and the steps' dt)."""
    if not solver.adaptive:
        return
    smallest = min([solver.dt] + [st.dt for st in protocol])
    if solver.dt_min > smallest:
        raise CaseError("solver.dt_min", tree["solver"].get("dt_min"), f"must not exceed the largest time step "
                                                                       f"(solver.dt and the steps' dt: {smallest:g} s)")


def equilibrate_soc(step: Step, particle: Particle) -> float:
    """The filling fraction an equilibrate step sets: its `soc`, or the one whose free volume
    change (partial_molar_volume x max_concentration x (soc - initial_soc)) is its `swelling`."""
    if step.soc is not None:
        return step.soc
    mat = particle.material
    return particle.initial_soc + step.swelling / (mat.si("partial_molar_volume") * mat.si("max_concentration"))


def check_swelling(protocol: tuple[Step, ...], particle: Particle, raw_steps: list) -> None:
    """A prescribed swelling must give a filling fraction in [0, 1]."""
    for i, st in enumerate(protocol[:len(raw_steps)]):
        if st.mode == "equilibrate" and st.swelling is not None:
            soc = equilibrate_soc(st, particle)
            if not 0.0 <= soc <= 1.0:
                raise CaseError(f"protocol.steps.{i}.swelling", raw_steps[i].get("swelling"),
                                f"gives soc = {soc:.4g}; the {particle.material.name} core swells from "
                                f"{equilibrate_soc_swelling(particle, 0.0):.4g} to "
                                f"{equilibrate_soc_swelling(particle, 1.0):.4g} (soc 0 to 1)")


def equilibrate_soc_swelling(particle: Particle, soc: float) -> float:
    """The free volume change of the core at `soc` (from its initial filling fraction)."""
    mat = particle.material
    return mat.si("partial_molar_volume") * mat.si("max_concentration") * (soc - particle.initial_soc)
