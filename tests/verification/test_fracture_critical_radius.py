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
