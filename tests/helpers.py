"""Helpers shared by the tests."""

from __future__ import annotations

import copy

BASE_CASE = {
    "particle": {"material": "Si", "radius": "1 um", "diffusivity": "1e-14 m^2/s"},
    "geometry": {"domain": "octant"},
    "protocol": {"steps": [{"mode": "lithiate", "c_rate": "1 C", "duration": "10 s"}]},
    "solver": {"dt": "1 s"},
    "output": {"render": False, "fields": False},
}


def make_case(**sections):
    """A validated Case from BASE_CASE with sections replaced or updated (dicts merge)."""
    from seifem.case import parse_case

    tree = copy.deepcopy(BASE_CASE)
    for name, value in sections.items():
        if value is None:
            tree.pop(name, None)
        elif isinstance(value, dict) and isinstance(tree.get(name), dict):
            tree[name].update(value)
        else:
            tree[name] = value
    return parse_case(tree)
