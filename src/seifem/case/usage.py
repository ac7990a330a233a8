"""Keys a case gives that its model would not use are refused, not ignored.

The twins (geometry.model = "1d", "2d") solve with direct LU factorisations on meshes of their
own: a linear-solver tolerance or a 3D mesh control given for them would change nothing, so
the case that sets it is refused naming the key. The 1D twin uses mesh_size, surface_mesh_size
and layer_cells (`reduced.design.twin_cells`); the 2D twin mesh_size, surface_mesh_size and
order. The contact penalty applies to yolk-shell particles only.
"""

from __future__ import annotations

from seifem.errors import CaseError

__all__ = ["refuse_unused", "UNUSED"]

UNUSED = {
    "1d": {"geometry": ("refine_depth", "order"), "solver": ("rtol",)},
    "2d": {"geometry": ("refine_depth", "layer_cells"), "solver": ("rtol",)},
    "2d-plane": {"geometry": ("layer_cells",), "solver": ("rtol",)},
    "3d": {},
}
"""model -> section -> keys the model does not read."""


def refuse_unused(tree: dict, case) -> None:
    """Raise CaseError for the first key in `tree` that `case`'s model does not use."""
    model = case.geometry.model
    for section, keys in UNUSED[model].items():
        for key in keys:
            if key in tree.get(section, {}):
                raise CaseError(f"{section}.{key}", tree[section][key], f"is not used by the {model} twin (it solves "
                                                                        "with direct factorisations on its own mesh); "
                                                                        "remove it or use geometry.model = \"3d\"")
    if case.shell is None and "contact_penalty" in tree.get("solver", {}):
        raise CaseError("solver.contact_penalty", tree["solver"]["contact_penalty"], "applies to yolk-shell particles "
                                                                                     "(geometry.shape = \"yolk-shell\")"
                                                                                     " only; remove it")
