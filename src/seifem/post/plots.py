"""History plots (filling fraction, stresses, layers, swelling), the voltage plots (voltage
against capacity, voltage, open-circuit potential and current against time) and the 1D
twin's radial profiles. Every axis names its quantity and unit; protocol steps are named by
what they do (lithiation at 1 C, CV hold at 0.05 V, rest); curves that lie on an earlier one
of the same panel (within a pixel) are drawn once, with both names in the legend."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from seifem.post.maps import new_figure

__all__ = ["distinct_curves", "plot_history", "plot_profiles", "plot_retention", "plot_voltage", "step_label", "with_jumps"]

MODE_COLOURS = {"lithiate": "tab:blue", "delithiate": "tab:orange", "hold": "tab:green", "rest": "tab:gray"}


def step_label(step: dict) -> str:
    """What a resolved protocol step does, in words: "lithiation at 1 C", "CV hold at 0.05 V", "rest"."""
    mode = step.get("mode", "")
    if mode in ("lithiate", "delithiate"):
        return f"{mode[:-1]}ion at {step.get('c_rate', '')}".strip().removesuffix(" at")
    if mode == "hold":
        return f"CV hold at {step.get('voltage', '')}".strip().removesuffix(" at")
    return mode or "step"


def _steps(case: dict) -> list[dict]:
    return case.get("protocol", {}).get("steps", [])


def _step_of(case: dict, k: int) -> dict:
    steps = _steps(case)
    return steps[(int(k) - 1) % len(steps)] if steps and k > 0 else {}


def distinct_curves(curves: list[tuple[str, np.ndarray]], rtol: float = 2e-3) -> list[tuple[str, np.ndarray]]:
    """The curves with those that lie on an earlier one (everywhere within rtol of the
    panel's largest magnitude: 2e-3 is about one pixel of a panel 450 px high) merged into
    it: ("surface max ≈ surface min", values)."""
    scale = max((float(np.nanmax(np.abs(v))) for _, v in curves if np.size(v) and np.any(np.isfinite(v))), default=1.0)
    out: list[list] = []
    for label, values in curves:
        for entry in out:
            if np.allclose(entry[1], values, rtol=0, atol=rtol * max(scale, 1e-300), equal_nan=True):
                entry[0] += f" ≈ {label}"
                break
        else:
            out.append([label, values])
    return [(label, values) for label, values in out]


def _panel(ax, t: np.ndarray, curves: list[tuple[str, np.ndarray]], ylabel: str) -> None:
    styles = ["-", "--", "-.", ":"]
    for i, (label, values) in enumerate(distinct_curves(curves)):
        ax.plot(t, values, styles[i % 4], label=label)
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    if ax.lines:
        ax.legend(fontsize="small")


def plot_history(hist: dict, case: dict, figs: Path) -> list:
    """history.png (four panels against time) and, with a voltage, voltage.png; returns the
    figures (closed) for layout checks."""
    import matplotlib.pyplot as plt

    t = hist["time_s"] / 60.0
    indicators = _indicators(hist, case)
    growth = [(label, hist[k]) for k, label in (("sei_thickness_mean_nm", "mean"), ("sei_thickness_max_nm", "max"))
              if k in hist]
    rows = 3 if indicators or growth else 2
    fig, ax = new_figure(rows, 2, figsize=(11, 3.9 * rows), sharex=True)
    _panel(ax[0, 0], t, [("mean", hist["soc"]), ("surface max", hist["surface_soc_max"]),
                         ("surface min", hist["surface_soc_min"])], "filling fraction c/c_max [-]")
    _panel(ax[0, 1], t, [(label, hist[key]) for key, label in
                         (("core_sr_max_MPa", "radial max"), ("core_st_min_MPa", "hoop min"),
                          ("core_st_max_MPa", "hoop max"), ("core_vm_max_MPa", "von Mises max")) if key in hist],
           "core stress [MPa]")
    layers = []
    for layer in case.get("coating", []):
        layers += [(f"{layer['name']} hoop max", hist[layer["name"] + "_st_max_MPa"]),
                   (f"{layer['name']} hoop min", hist[layer["name"] + "_st_min_MPa"])]
    if "shell" in case:
        layers += [("shell hoop max", hist["shell_st_max_MPa"]), ("contact pressure (mean)", hist["contact_pressure_mean_MPa"])]
    if "sei_stress_max_MPa" in hist:
        layers += [("SEI membrane max", hist["sei_stress_max_MPa"]), ("SEI membrane min", hist["sei_stress_min_MPa"])]
    _panel(ax[1, 0], t, layers, "coating and SEI stress [MPa]")
    swell = [("particle volume change ΔV/V0", 100 * hist["volume_change"])]
    if "sei_strain_max" in hist:
        swell.append(("SEI membrane strain max", 100 * hist["sei_strain_max"]))
    _panel(ax[1, 1], t, swell, "volume change, strain [%]")
    if rows == 3:
        _panel(ax[2, 0], t, indicators, "failure indicators [-] (1: limit)")
        ax[2, 0].axhline(1.0, color="firebrick", lw=1.0, ls="--", label="failure threshold 1")
        if indicators and max(float(np.nanmax(v)) for _, v in indicators) > 20:
            ax[2, 0].set_yscale("symlog", linthresh=1.0)  # linear up to the threshold, logarithmic above
        ax[2, 0].legend(fontsize="small")
        _panel(ax[2, 1], t, growth, "SEI thickness [nm]")
        if not growth:
            ax[2, 1].set_visible(False)
    for a in ax[-1]:
        a.set_xlabel("time [min]")
    if rows == 3 and not growth:
        ax[1, 1].set_xlabel("time [min]")
        ax[1, 1].xaxis.set_tick_params(labelbottom=True)
    fig.suptitle(case.get("title", ""))
    fig.savefig(figs / "history.png", dpi=110)
    plt.close(fig)
    out = [fig]
    if "voltage_V" in hist:
        out.append(plot_voltage(hist, case, figs))
    return out


def _indicators(hist: dict, case: dict) -> list[tuple[str, np.ndarray]]:
    """The failure indicators of the run with their names (>= 1: the layer has failed)."""
    names = [("sei_strain_util_max", "SEI strain / elastic limit"), ("sei_energy_util_max", "SEI energy / limit"),
             ("sei_crack_ratio_max", "SEI channel cracking G / Γ"), ("sei_failed_area", "failed SEI area fraction")]
    for layer in case.get("coating", []):
        n = layer["name"]
        names += [(f"{n}_stress_util_max", f"{n} stress / strength"), (f"{n}_crack_ratio_max", f"{n} cracking G / Γ"),
                  (f"{n}_failed_fraction", f"failed {n} fraction")]
    return [(label, hist[k]) for k, label in names if k in hist and np.any(np.isfinite(hist[k]))]


def with_jumps(hist: dict, x: np.ndarray, y: np.ndarray) -> list[tuple[int, np.ndarray, np.ndarray]]:
    """Per protocol step k: (k, x, y) of its rows joined to where the last step ended by a
    vertical jump, the instantaneous change of voltage when the current changes. The value
    just after the change is extrapolated back from the step's first two rows."""
    step, time = hist["step"], hist["time_s"]
    out = []
    for k in np.unique(step[step > 0]):
        sel = np.flatnonzero(step == k)
        xs, ys = x[sel], y[sel]
        if sel[0] > 0:
            j = sel[0] - 1
            y_after = ys[0]
            if len(sel) > 1 and time[sel[1]] > time[sel[0]]:
                y_after = ys[0] - (ys[1] - ys[0]) * (time[sel[0]] - time[j]) / (time[sel[1]] - time[sel[0]])
            xs, ys = np.r_[x[j], x[j], xs], np.r_[y[j], y_after, ys]
        out.append((int(k), xs, ys))
    return out


def plot_voltage(hist: dict, case: dict, figs: Path):
    """voltage.png: voltage against stored capacity (lithiation and delithiation branches,
    later cycles darker) and voltage, open-circuit potential and current against time;
    returns the figure (closed)."""
    import matplotlib.pyplot as plt

    fig, (a, b) = new_figure(1, 2, figsize=(12, 4.6))
    ion = case.get("particle", {}).get("ion", "Li") or "Li"
    vlabel = f"voltage [V vs {ion}/{ion}+]"
    capacity = "capacity_mAh_g" in hist
    x = hist["capacity_mAh_g"] if capacity else hist["soc"]
    n_cycles = max(int(np.max(hist.get("cycle", np.ones(1)))), 1)
    labelled = set()
    for k, xs, ys in with_jumps(hist, x, hist["voltage_V"]):
        step = _step_of(case, k)
        cycle = int(hist["cycle"][np.flatnonzero(hist["step"] == k)[0]]) if "cycle" in hist else 1
        label = step_label(step)
        shade = 0.45 + 0.55 * cycle / n_cycles
        a.plot(xs, ys, color=MODE_COLOURS.get(step.get("mode"), "black"), alpha=shade,
               label=None if label in labelled else label + (" (later cycles darker)" if n_cycles > 1 else ""))
        labelled.add(label)
    a.set_xlabel("stored capacity [mAh/g]" if capacity else "filling fraction c/c_max [-]")
    a.set_ylabel(vlabel)
    a.set_title("voltage against capacity", fontsize=10)
    a.grid(alpha=0.3)
    a.legend(fontsize="small")
    t = hist["time_s"] / 60.0
    for i, (k, ts, vs) in enumerate(with_jumps(hist, t, hist["voltage_V"])):
        b.plot(ts, vs, color="tab:blue", label="voltage" if i == 0 else None)
    b.plot(t, hist["ocp_V"], "--", color="tab:orange", label="open-circuit potential at the surface")
    b.set_xlabel("time [min]")
    b.set_ylabel(vlabel)
    b.grid(alpha=0.3)
    c = b.twinx()
    c.step(t, hist["c_rate"], where="pre", color="0.4", ls=":", label="current (> 0: lithiation)")
    c.set_ylabel("current [C-rate]")
    handles = b.get_legend_handles_labels()[0] + c.get_legend_handles_labels()[0]
    fig.legend(handles, [h.get_label() for h in handles], fontsize="small", loc="outside lower right", ncol=3)
    b.set_title("voltage and current against time", fontsize=10)
    fig.suptitle(case.get("title", ""))
    fig.savefig(figs / "voltage.png", dpi=110)
    plt.close(fig)
    return fig


def plot_profiles(path: Path, case: dict, out: Path):
    """Radial profiles of the 1D twin: filling fraction, radial and hoop stress against r at
    every written time; returns the figure (closed)."""
    import matplotlib.pyplot as plt

    data = np.genfromtxt(path, delimiter=",", names=True)
    times = [t for t in np.unique(data["time_s"]) if t > 0]
    fig, ax = new_figure(1, 3, figsize=(14, 4.4), sharex=True)
    for t in times:
        d = data[data["time_s"] == t]
        label = f"t = {t / 60:.1f} min"
        ax[0].plot(d["r_um"], np.where(d["theta"] != 0, d["theta"], np.nan), label=label)
        ax[1].plot(d["r_um"], d["sigma_r_MPa"], label=label)
        ax[2].plot(d["r_um"], d["sigma_hoop_MPa"], label=label)
    for a, ylabel in zip(ax, ("filling fraction c/c_max [-]", "radial stress [MPa]", "hoop stress [MPa]")):
        a.set_xlabel("radius r [µm]")
        a.set_ylabel(ylabel)
        a.axhline(0.0, color="0.7", lw=0.8)
        a.grid(alpha=0.3)
    ax[0].legend(fontsize="small")
    fig.suptitle(case.get("title", "") + " (1D twin)")
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return fig


def plot_retention(cyc: dict, case: dict, out: Path) -> object:
    """Capacity retention and Coulombic efficiency per cycle (cycles.csv); cycle-life runs also
    show the lithium lost to the SEI and to crack SEI; jumped cycles (resolved = 0) as a line
    only, resolved cycles as markers."""
    import matplotlib.pyplot as plt

    n = cyc["cycle"]
    fig, ax = new_figure(1, 2, figsize=(11, 4.2))
    res = cyc["resolved"] > 0 if "resolved" in cyc else np.ones(n.size, bool)
    ax[0].plot(n, 100 * cyc["capacity_retention"], "-", color="C0")
    ax[0].plot(n[res], 100 * cyc["capacity_retention"][res], ".", color="C0", label="resolved cycles")
    ax[0].set_ylabel("capacity retention [%]")
    ax[0].set_xlabel("cycle")
    ax[0].legend()
    a = ax[0].twinx()
    a.plot(n, 100 * cyc["coulombic_efficiency"], color="C1", lw=0.8)
    a.set_ylabel("Coulombic efficiency [%]", color="C1")
    if "lost_sei_mol" in cyc:
        ax[1].plot(n, cyc["lost_sei_mol"], label="SEI")
        ax[1].plot(n, cyc["lost_crack_sei_mol"], label="crack SEI")
        ax[1].set_ylabel("lithium lost [mol]")
        ax[1].legend()
    ax[1].set_xlabel("cycle")
    fig.suptitle(case.get("title", ""))
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return fig
