"""Right-hand sides of the 1D twin as matrix products: a linear form L that is affine in some
Functions f_i is assembled as

    b = b0 + sum_i A_i f_i,    A_i = dL/df_i (a matrix),   b0 = L at f_i = 0,

with A_i and b0 reassembled only when a Constant of L changes (time step, BDF weights, current,
membrane prestress). Exact up to round-off; on the twin's ~100-dof systems a matrix-vector
product costs a few us where a form assembly costs ~100 us, which made the assembly the bulk
of a 1D step.
"""

from __future__ import annotations

import ufl
from dolfinx import fem
from dolfinx.fem import petsc as fpetsc
from petsc4py import PETSc

__all__ = ["AffineVector", "FormVector"]


class AffineVector:
    """b = L(f_1..f_n) by matrix products; every Function of L must be among `functions`."""

    def __init__(self, L, functions: list[fem.Function]):
        extra = set(L.coefficients()) - set(functions)
        if extra:
            raise ValueError(f"AffineVector: the form depends on other Functions too: {extra}")
        mesh = functions[0].function_space.mesh
        zero = {f: fem.Constant(mesh, PETSc.ScalarType(0.0)) for f in functions}
        self.functions = functions
        self._vecs = [f.x.petsc_vec for f in functions]  # kept: the property costs ~10 us a call
        self.a = [fem.form(ufl.derivative(L, f, ufl.TrialFunction(f.function_space))) for f in functions]
        self.L0 = fem.form(ufl.replace(L, zero))
        self.constants = [c for c in L.constants() if isinstance(c, fem.Constant)]
        self.A = [fpetsc.create_matrix(a) for a in self.a]
        self.b0 = fpetsc.create_vector(L.arguments()[0].ufl_function_space())  # the test space
        self._key = None

    def _update(self) -> None:
        key = b"".join([c.value.tobytes() for c in self.constants])
        if key == self._key:
            return
        for A, a in zip(self.A, self.a):
            A.zeroEntries()
            fpetsc.assemble_matrix(A, a)
            A.assemble()
        with self.b0.localForm() as loc:
            loc.set(0.0)
        fpetsc.assemble_vector(self.b0, self.L0)
        self._key = key

    def assemble(self, b: PETSc.Vec, bcs) -> PETSc.Vec:
        """b = L at the current Functions, Dirichlet rows zeroed (homogeneous conditions)."""
        self._update()
        self.b0.copy(b)
        for A, x in zip(self.A, self._vecs):
            A.multAdd(x, b, b)
        fpetsc.set_bc(b, bcs)
        return b

    def destroy(self) -> None:
        for obj in (*self.A, self.b0):
            obj.destroy()


class FormVector:
    """b = L assembled as a form each time: for a right-hand side that is not affine in its
    Functions (a piecewise-linear swelling curve of theta), with `AffineVector`'s interface."""

    def __init__(self, L):
        self.L = fem.form(L)

    def assemble(self, b: PETSc.Vec, bcs) -> PETSc.Vec:
        with b.localForm() as loc:
            loc.set(0.0)
        fpetsc.assemble_vector(b, self.L)
        b.ghostUpdate(addv=PETSc.InsertMode.ADD, mode=PETSc.ScatterMode.REVERSE)
        fpetsc.set_bc(b, bcs)
        return b

    def destroy(self) -> None:
        pass

