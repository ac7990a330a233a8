"""The critical radius of a flawed Si cross-section through the coupled transport, against the
fracture-mechanics analysis of intercalation particles of Zhao, Pharr, Vlassak & Suo (J. Appl.
Phys. 108, 073517 (2010)): a surface flaw of depth a in the quasi-steady galvanostatic hoop
stress s_s = E Omega c_max R^2 C / (24 D (1 - nu)) has G = Z s_s^2 a / E and runs where G = G_c,
i.e. above R_c = [24 D (1 - nu) / (E Omega c_max C) x sqrt(E G_c / (Z a))]^(1/2)
(`analytic.fracture.flaw_critical_radius`; Z at a / R_c, the half-plane edge-crack factor).

2d-plane, axial "free", P2, Si (E 80 GPa, nu 0.22, Omega c_max 2.808, D 1e-15 m^2/s, G_c 8.5
J/m^2), AT1 with l = 5 nm, one seeded flaw a = 40 nm (a / l = 8) refined to h_f = 2.5 nm
(`fracture.notch_mesh_size`), delithiated at C from theta = 0.9 for 6 min in 60 s steps by the
run's own diffusion (`tests/plane_flaw_runs.py`); the flaw ran when its cracked depth grew by
half of a (`results.metrics.FLAW_RUN`, the sweep's `cracked`). The closed form uses the
band's toughness G_eff = G_c (1 + 3 h_f / (8 l)). A flaw depth fixed in nm (a material /
processing property, not a fraction of the radius) keeps a / l, the phase field's O(l / a)
difference, the same at every radius; then R_c ~ C^(-1/2).
"""

from __future__ import annotations

import pytest

from plane_flaw_runs import Flaw, closed_form, run_design

LO, HI = 0.90, 0.97
"""The two radii of each bracket, in units of the closed form's R_c."""

BRACKETS = {"1C": (1.0, Flaw()), "2C": (2.0, Flaw()), "1C, surface 35 nm": (1.0, Flaw(hs=35.0))}


def test_closed_form_rate_and_toughness_scaling():
    """R_c ~ C^(-1/2) (G = Z s_s^2 a / E with s_s ~ R^2 C) up to Z's slow dependence on a / R:
    R_c(2C) / R_c(1C) = 0.7195 against 2^(-1/2) = 0.7071; and R_c ~ G_c^(1/4) ~ K_Ic^(1/2) at a
    fixed flaw (the critical flaw depth at a given stress is (K_Ic / s_s)^2 / (Z / (1 - nu^2)):
    Zhao et al.'s (K_Ic / (E Omega Delta c))^2 with s_s ~ E Omega Delta c)."""
    from seifem.analytic.fracture import flaw_critical_radius

    r1, r2 = closed_form(Flaw(), 1.0), closed_form(Flaw(), 2.0)
    assert r2 / r1 == pytest.approx(2**-0.5, rel=2.5e-2)  # +1.7 %: Z(a / R) grows as R falls
    assert r2 / r1 == pytest.approx(0.7195, abs=1e-4)
    args = (80e9, 0.22, 2.808, 1e-15, 1 / 3600, 1e-6 * 1e-3)  # a = 1 nm: a / R -> 0, Z -> pi (1 - nu^2) 1.1215^2
    # measured 1.99922: Z at a / R = 1e-3 still moves with R (the fixed point includes it)
    assert flaw_critical_radius(16.0, *args) / flaw_critical_radius(1.0, *args) == pytest.approx(2.0, rel=1e-3)


@pytest.mark.slow
@pytest.mark.parametrize("label", list(BRACKETS))
def test_critical_radius_through_the_transport(comm, label):
    """Two radii, 0.90 and 0.97 of the closed form's R_c: the smaller stays intact for 6 min
    (its flaw does not move: the cracked depth stays within 1 nm of the seeded 40.6 nm), the
    larger's flaw runs. So the critical radius lies within [-10 %, -3 %] of Zhao's closed
    form with G_eff, at 1C and at 2C (the C-rate dependence: the same relative bracket) and
    on two surface meshes (50 and 35 nm; the flaw's h_f = 2.5 nm in both).

    Measured (bench/bench_critical_radius.py, 3 bisections, serial): 1C [0.8125, 0.8250] um =
    [-6.7 %, -5.2 %] of R_c = 0.8704 um; 2C [0.5750, 0.5875] um = [-8.2 %, -6.2 %] of 0.6263
    um; surface 35 nm [0.8000, 0.8125] um = [-8.1 %, -6.7 %] (the adjacent bracket); h_f = l / 3
    (closed form 0.8592 um) [0.8000, 0.8125] = [-6.9 %, -5.4 %]. Expected below the closed form
    by two differences measured elsewhere: the phase-field flaw's O(l / a) (its critical stress
    -6.6 % at a / l = 8, `test_fracture_critical_size.py`; -3.3 % in R_c) and the half-plane
    G's omitted curvature (G +6 % to +13 % at a / R = 0.04 to 0.08, `test_fracture_flaw.py`;
    -1.7 % and -2.6 % in R_c at a / R = 0.046 (1C), 0.068 (2C)): -5.0 % and -5.9 % expected,
    -5.9 % and -7.2 % measured (bracket midpoints). The radii 0.90 and 0.97 leave >= 1.7 % between
    each and the measured transition on every mesh. Six runs, 49 s of CPU serially (4 min 47 s
    wall at load 7-10)."""
    c_rate, flaw = BRACKETS[label]
    Rc = closed_form(flaw, c_rate)
    lo = run_design(comm, round(LO * Rc, 4), c_rate, flaw)
    assert lo["ran"] is None, lo["depths"]
    assert max(lo["depths"]) - lo["depths"][0] < 1e-3, lo["depths"]  # measured 0 (tip sharpening only)
    assert lo["depths"][0] == pytest.approx(flaw.a / 1000, rel=0.05)  # the seeded flaw, measured 40.6 nm
    hi = run_design(comm, round(HI * Rc, 4), c_rate, flaw)
    assert hi["ran"] is not None, hi["depths"]
