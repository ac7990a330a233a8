"""History plots (stresses, SEI, coating, voltage) and the 1D twin's radial profiles."""

from __future__ import annotations

from pathlib import Path

import numpy as np

__all__ = ["plot_history", "plot_voltage", "plot_profiles", "plot_retention"]


def plot_history(hist: dict, case: dict, figs: Path) -> None:
    """Four panels against time: filling fraction, core stresses, coating/SEI, swelling."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    t = hist["time_s"] / 60.0
    fig, ax = plt.subplots(2, 2, figsize=(11, 7.5), sharex=True)
    a = ax[0, 0]
    a.plot(t, hist["soc"], label="mean")
    a.plot(t, hist["surface_soc_max"], "--", label="surface max")
    a.plot(t, hist["surface_soc_min"], ":", label="surface min")
    a.set_ylabel("filling fraction c/c_max [-]")
    a.legend()
    a = ax[0, 1]
    for key, label in (("core_sr_max_MPa", "radial max"), ("core_st_min_MPa", "hoop min"),
                       ("core_st_max_MPa", "hoop max"), ("core_vm_max_MPa", "von Mises max")):
        a.plot(t, hist[key], label=label)
    a.set_ylabel("core stress [MPa]")
    a.legend()
    a = ax[1, 0]
    for layer in case.get("coating", []):
        a.plot(t, hist[layer["name"] + "_st_max_MPa"], label=f"{layer['name']} hoop max")
        a.plot(t, hist[layer["name"] + "_st_min_MPa"], label=f"{layer['name']} hoop min")
    if "shell" in case:
        a.plot(t, hist["shell_st_max_MPa"], label="shell hoop max")
        a.plot(t, hist["contact_pressure_mean_MPa"], "--", label="contact pressure (mean)")
    if "sei_stress_max_MPa" in hist:
        a.plot(t, hist["sei_stress_max_MPa"], label="SEI membrane max")
        a.plot(t, hist["sei_stress_min_MPa"], label="SEI membrane min")
    a.set_ylabel("layer stress [MPa]")
    a.set_xlabel("time [min]")
    if a.lines:
        a.legend()
    a = ax[1, 1]
    a.plot(t, 100 * hist["volume_change"], label="particle volume change")
    if "sei_strain_max" in hist:
        a.plot(t, 100 * hist["sei_strain_max"], label="SEI strain max")
    a.set_ylabel("[%]")
    a.set_xlabel("time [min]")
    a.legend()
    fig.suptitle(case.get("title", ""))
    fig.tight_layout()
    fig.savefig(figs / "history.png", dpi=110)
    plt.close(fig)
    if "voltage_V" in hist:
        plot_voltage(hist, case, figs)


def plot_voltage(hist: dict, case: dict, figs: Path) -> None:
    """Voltage against capacity (one line per protocol step, lithiation and delithiation
    branches as measured) and voltage and current against time."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (a, b) = plt.subplots(1, 2, figsize=(11, 4.2))
    step = hist["step"]
    x = hist.get("capacity_mAh_g", hist["soc"])
    for k in np.unique(step[step > 0]):
        sel = np.flatnonzero(step == k)
        sel = np.r_[sel[0] - 1, sel] if sel[0] > 0 else sel  # join each step to where the last ended
        a.plot(x[sel], hist["voltage_V"][sel], label=f"step {int(k)}")
    a.set_xlabel("capacity [mAh/g]" if "capacity_mAh_g" in hist else "filling fraction [-]")
    ion = case.get("particle", {}).get("ion", "")
    a.set_ylabel(f"voltage [V vs {ion}/{ion}+]" if ion else "voltage [V]")
    a.legend(fontsize="small")
    t = hist["time_s"] / 60.0
    b.plot(t, hist["voltage_V"], label="voltage")
    b.plot(t, hist["ocp_V"], "--", label="OCP at the surface")
    b.set_xlabel("time [min]")
    b.set_ylabel("[V]")
    b2 = b.twinx()
    b2.plot(t, hist["c_rate"], ":", color="grey", label="current")
    b2.set_ylabel("current [C-rate]")
    b.legend(loc="upper right", fontsize="small")
    fig.suptitle(case.get("title", ""))
    fig.tight_layout()
    fig.savefig(figs / "voltage.png", dpi=110)
    plt.close(fig)


def plot_profiles(path: Path, case: dict, out: Path) -> None:
    """Radial profiles of the 1D twin: filling fraction, radial and hoop stress against r at
    every written time."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    data = np.genfromtxt(path, delimiter=",", names=True)
    times = [t for t in np.unique(data["time_s"]) if t > 0]
    fig, ax = plt.subplots(1, 3, figsize=(14, 4.2), sharex=True)
    for t in times:
        d = data[data["time_s"] == t]
        label = f"t = {t / 60:.1f} min"
        ax[0].plot(d["r_um"], np.where(d["theta"] != 0, d["theta"], np.nan), label=label)
        ax[1].plot(d["r_um"], d["sigma_r_MPa"], label=label)
        ax[2].plot(d["r_um"], d["sigma_hoop_MPa"], label=label)
    for a, ylabel in zip(ax, ("filling fraction c/c_max [-]", "radial stress [MPa]", "hoop stress [MPa]")):
        a.set_xlabel("r [um]")
        a.set_ylabel(ylabel)
        a.axhline(0.0, color="0.7", lw=0.8)
    ax[0].legend()
    fig.suptitle(case.get("title", "") + " (1D twin)")
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)


def plot_retention(cyc: dict, case: dict, out: Path) -> None:
    """Capacity retention and Coulombic efficiency per cycle (cycles.csv); cycle-life runs also
    show the lithium lost to the SEI and to crack SEI; jumped cycles (resolved = 0) as a line
    only, resolved cycles as markers."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n = cyc["cycle"]
    fig, ax = plt.subplots(1, 2, figsize=(11, 4.2))
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
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)
