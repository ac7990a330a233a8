"""The answers a run report opens with: peak stresses (value, where and when), the SEI and
coating verdicts, swelling, capacity and Coulombic efficiency, from the history, cycles and
resolved case of a run (files only).

    for f in findings(hist, case, cycles): print(f.quantity, f.value, f.detail, f.verdict)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Finding", "exact_command", "findings"]


@dataclass(frozen=True)
class Finding:
    """One line of the results summary: `verdict` is "ok", "fails" or "" (a plain number)."""

    quantity: str
    value: str
    detail: str = ""
    verdict: str = ""


def _when(hist: dict, case: dict, i: int) -> str:
    from seifem.post.plots import step_label

    steps = case.get("protocol", {}).get("steps", [])
    k = int(hist["step"][i]) if "step" in hist else 0
    step = steps[(k - 1) % len(steps)] if steps and k > 0 else {}
    cycle = int(hist["cycle"][i]) if "cycle" in hist and int(np.max(hist["cycle"])) > 1 else 0
    what = step_label(step) if step else "start"
    prefix = f"cycle {cycle}, " if cycle else ""
    return f"at t = {hist['time_s'][i] / 60:.1f} min ({prefix}{what})"


def _peak(hist: dict, case: dict, key: str, quantity: str, where: str, sign: float = 1.0) -> Finding | None:
    if key not in hist or not np.any(np.isfinite(hist[key])):
        return None
    i = int(np.nanargmax(sign * hist[key]))
    if sign * hist[key][i] <= 0:
        return Finding(quantity, "none", f"{where}: never {'tensile' if sign > 0 else 'compressive'}")
    return Finding(quantity, f"{hist[key][i]:.4g} MPa", f"{where}, {_when(hist, case, i)}")


def locate(sections: list, t: float, field: str, sign: float = 1.0) -> str:
    """Where in the core a field is largest (sign -1: most negative) at the field output
    nearest to time t (s): "at the surface (r = 2.50 um)", "at the centre" or "at r = ... um";
    "" without field outputs. `sections` are (t, Section) pairs."""
    if not sections:
        return ""
    t_out, sec = min(sections, key=lambda s: abs(s[0] - t))
    pts = np.unique(sec.triangles[sec.region == 1])
    if field not in sec.fields or not len(pts):
        return ""
    p = pts[int(np.nanargmax(sign * sec.fields[field][pts]))]
    r, outer = float(np.linalg.norm(sec.xy[p])), float(np.linalg.norm(sec.xy[pts], axis=1).max())
    where = "at the centre" if r < 0.1 * outer else "at the core surface" if r > 0.97 * outer else "inside the core"
    return f"{where} (r = {r:.2f} µm at the field output t = {t_out / 60:.1f} min)"


def _verdict(hist: dict, case: dict, name: str, columns: dict[str, str], failed: str | None) -> Finding:
    """The largest of a layer's failure indicators (>= 1: failed) and where it is reached."""
    present = {k: label for k, label in columns.items() if k in hist and np.any(np.isfinite(hist[k]))}
    if not present:
        return Finding(f"{name} failure", "not assessed", "the material has no strength or fracture energy in the "
                       "library (set them in the case to assess it)")
    key = max(present, key=lambda k: np.nanmax(hist[k]))
    i = int(np.nanargmax(hist[key]))
    peak = float(hist[key][i])
    share = f"; failed on {100 * np.nanmax(hist[failed]):.0f} % of it" if failed and failed in hist else ""
    if peak >= 1.0:
        return Finding(f"{name} failure", "FAILS", f"{present[key]} reaches {peak:.3g} (limit 1) {_when(hist, case, i)}"
                       + share, "fails")
    return Finding(f"{name} failure", "intact", f"largest indicator {present[key]} = {peak:.3g} (limit 1), "
                   f"{_when(hist, case, i)}", "ok")


def findings(hist: dict, case: dict, cycles: dict | None = None, sections: list | None = None) -> list[Finding]:
    """The results summary of a run, most telling first; `sections` ((t, Section) of the field
    outputs) place the core's peaks."""

    def core(key: str, quantity: str, field: str, sign: float = 1.0) -> Finding | None:
        f = _peak(hist, case, key, quantity, "in the core", sign)
        if f is None or f.value == "none" or not sections:
            return f
        where = locate(sections, float(hist["time_s"][int(np.nanargmax(sign * hist[key]))]), field, sign)
        return Finding(f.quantity, f.value, f"{f.detail}; {where}" if where else f.detail)

    out = [f for f in (
        core("core_vm_max_MPa", "peak von Mises stress, core", "von_mises_MPa"),
        _peak(hist, case, "core_p1_max_MPa", "peak tension (largest principal stress), core", "in the core"),
        core("core_st_min_MPa", "peak hoop compression, core", "sigma_hoop_MPa", sign=-1.0),
    ) if f]
    for layer in case.get("coating", []):
        f = _peak(hist, case, layer["name"] + "_st_max_MPa", f"peak hoop stress, {layer['name']} "
                  f"({layer['material']}, {layer['thickness']})", f"in the {layer['name']}")
        if f:
            out.append(f)
    f = _peak(hist, case, "sei_stress_max_MPa", "peak SEI membrane stress", "on the outer surface")
    if f:
        out.append(f)
    f = _peak(hist, case, "interface_tn_max_MPa", "peak opening traction, core/coating interface", "on the interface")
    if f:
        out.append(f)
    if "sei" in case:
        out.append(_verdict(hist, case, f"SEI ({case['sei']['material']}, {case['sei']['thickness']})",
                            {"sei_strain_util_max": "strain / elastic limit", "sei_energy_util_max": "energy / limit",
                             "sei_crack_ratio_max": "channel cracking G / fracture energy"}, "sei_failed_area"))
    for layer in case.get("coating", []):
        n = layer["name"]
        out.append(_verdict(hist, case, f"{n} ({layer['material']}, {layer['thickness']})",
                            {f"{n}_stress_util_max": "stress / strength",
                             f"{n}_crack_ratio_max": "channel cracking G / fracture energy"}, f"{n}_failed_fraction"))
    if "thickness_change" in hist:  # an electrode patch: its swelling through the thickness, its phases' peaks
        out += [f for f in (
            _peak(hist, case, "particle_max_von_mises_MPa", "peak von Mises stress, particles", "in a particle"),
            _peak(hist, case, "binder_max_von_mises_MPa", "peak von Mises stress, binder", "in the binder"),
            _peak(hist, case, "stack_pressure_MPa", "peak stack pressure", "on the top")) if f]
        i = int(np.argmax(hist["thickness_change"]))
        out.append(Finding("peak electrode swelling ΔT/T0", f"{100 * hist['thickness_change'][i]:.3g} %",
                           f"{_when(hist, case, i)}; {100 * hist['thickness_change'][-1]:.3g} % at the end"))
    else:
        i = int(np.argmax(hist["volume_change"]))
        out.append(Finding("peak swelling ΔV/V0", f"{100 * hist['volume_change'][i]:.3g} %",
                           f"{_when(hist, case, i)}; {100 * hist['volume_change'][-1]:.3g} % at the end"))
    if "capacity_mAh_g" in hist:
        i = int(np.argmax(hist["capacity_mAh_g"]))
        out.append(Finding("largest stored capacity", f"{hist['capacity_mAh_g'][i]:.4g} mAh/g",
                           f"mean c/c_max = {hist['soc'][i]:.3f}, {_when(hist, case, i)}"))
    if cycles and cycles.get("cycle") is not None and len(cycles["cycle"]):
        ce, kept = cycles["coulombic_efficiency"][-1], cycles["capacity_retention"][-1]
        n = len(cycles["cycle"])
        out.append(Finding("Coulombic efficiency", f"{100 * ce:.2f} %",
                           f"charge out / charge in of cycle {int(cycles['cycle'][-1])}"
                           + (f"; capacity retention {100 * kept:.1f} % after {n} cycles" if n > 1 else "")))
    if "voltage_V" in hist:
        out.append(Finding("voltage range", f"{np.min(hist['voltage_V']):.3f} - {np.max(hist['voltage_V']):.3f} V",
                           f"vs {case.get('particle', {}).get('ion', 'Li')}/{case.get('particle', {}).get('ion', 'Li')}+"))
    return out


def exact_command(run: dict) -> str:
    """The command that made the run, as a user would type it: `mpirun -n N seifem ...` on
    N > 1 ranks, `seifem ...` for the seifem entry points, shell quoting kept."""
    import shlex

    command, ranks = run.get("command", ""), int(run.get("ranks", 1) or 1)
    try:
        words = shlex.split(command)
    except ValueError:
        words = command.split()
    if words and words[0].endswith(("seifem", "main.py", "__main__.py")):
        words = ["seifem", *words[1:]]
        return (f"mpirun -n {ranks} " if ranks > 1 else "") + shlex.join(words)
    return command + (f"  (on {ranks} MPI ranks)" if ranks > 1 else "")
