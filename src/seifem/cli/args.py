"""Rules for the command line that argparse does not know.

PETSc options: everything after the separator `--petsc` goes to PETSc, nothing before it.

    seifem run case.toml --out runs/a --petsc -seifem_elasticity_ksp_monitor -pc_gamg_threshold -1

After `--petsc`, a token that starts with a dash and a letter or underscore (`-ksp_monitor`)
names an option; any other token (`-1`, `-1e-3`, `.5`, `gmres`) is the value of the option
before it. seifem's own options go before `--petsc`; an argument seifem does not know is an
error (exit code 2), never handed on to PETSc.

`--out` paths must be printable (no line breaks or other control characters).
"""

from __future__ import annotations

import argparse
import re

from seifem.errors import CaseError

__all__ = ["PETSC", "Parser", "split_petsc", "petsc_pairs", "check_out"]

PETSC = "--petsc"
"""The separator after which arguments are PETSc options."""

_OPTION = re.compile(r"^-[A-Za-z_]")


class Parser(argparse.ArgumentParser):
    """argparse with a hint where a PETSc option was given before `--petsc`."""

    def error(self, message: str):
        if "unrecognized arguments" in message and re.search(r"(^|\s)-[A-Za-z]\w*_\w", message):
            message += f" (PETSc options go after {PETSC}, e.g. seifem run case.toml {PETSC} -ksp_monitor)"
        super().error(message)


def split_petsc(argv: list[str]) -> tuple[list[str], list[str]]:
    """(seifem's arguments, PETSc's arguments): split at the first `--petsc`."""
    if PETSC in argv:
        i = argv.index(PETSC)
        return argv[:i], argv[i + 1:]
    return list(argv), []


def petsc_pairs(args: list[str]) -> list[tuple[str, str]]:
    """(name, value) pairs of PETSc arguments (value "" for a flag); raises CaseError naming
    `--petsc` when a value comes first or a token is not printable text."""
    pairs: list[tuple[str, str]] = []
    for token in args:
        if not token or not token.isprintable():
            raise CaseError(PETSC, token, "PETSc arguments must be printable text")
        if _OPTION.match(token):
            pairs.append((token.lstrip("-"), ""))
        elif not pairs or pairs[-1][1]:
            raise CaseError(PETSC, token, "is not a PETSc option (-name) nor the value of the option before it")
        else:
            pairs[-1] = (pairs[-1][0], token)
    return pairs


def check_out(path) -> None:
    """Refuse an `--out` path with control characters (a line break makes such a directory)."""
    if path is not None and not str(path).isprintable():
        raise CaseError("--out", str(path), "must be a printable path (no line breaks or control characters)")
