"""Build the small particle shapes shipped for `geometry.shape = "file"` (lengths in um):

- particle.step: an irregular "potato" (OpenCASCADE): a sphere of radius 1 fused with a
  sphere of radius 0.6 centred at (0.8, 0.25, 0.1), the crease between them rounded with a
  0.25 fillet, so the surface is smooth and a coating can be offset on it. (Spheres, not a
  dilated sphere: OpenCASCADE's STEP export of the rational B-spline of a dilated sphere
  does not read back as the same solid.)
- particle.stl: a lumpy sphere as a closed binary STL, r = 1 + 0.08 Y(theta, phi) with
  Y = sin(3 theta) cos(2 phi) + 0.5 cos(theta)^2 (a subdivided icosahedron, 1280 triangles).

    .venv/bin/python meshes/make_test_geometry.py      # rewrites both files
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


def step(path: Path) -> None:
    import gmsh

    gmsh.initialize(interruptible=False)
    gmsh.option.setNumber("General.Terminal", 0)
    occ = gmsh.model.occ
    body = occ.addSphere(0, 0, 0, 1.0)
    bump = occ.addSphere(0.8, 0.25, 0.1, 0.6)
    fused, _ = occ.fuse([(3, body)], [(3, bump)])
    occ.synchronize()
    crease = [e for _, e in gmsh.model.getEntities(1)  # edges between the two bodies' faces (not seams)
              if len(set(gmsh.model.getAdjacencies(1, e)[0])) == 2]
    occ.fillet([fused[0][1]], crease, [0.25], removeVolume=True)
    occ.synchronize()
    gmsh.write(str(path))
    gmsh.finalize()


def _icosphere(levels: int) -> tuple[np.ndarray, np.ndarray]:
    t = (1 + 5**0.5) / 2
    v = [(-1, t, 0), (1, t, 0), (-1, -t, 0), (1, -t, 0), (0, -1, t), (0, 1, t), (0, -1, -t), (0, 1, -t),
         (t, 0, -1), (t, 0, 1), (-t, 0, -1), (-t, 0, 1)]
    f = [(0, 11, 5), (0, 5, 1), (0, 1, 7), (0, 7, 10), (0, 10, 11), (1, 5, 9), (5, 11, 4), (11, 10, 2), (10, 7, 6),
         (7, 1, 8), (3, 9, 4), (3, 4, 2), (3, 2, 6), (3, 6, 8), (3, 8, 9), (4, 9, 5), (2, 4, 11), (6, 2, 10),
         (8, 6, 7), (9, 8, 1)]
    verts = [np.array(p, dtype=float) / np.linalg.norm(p) for p in v]
    faces = list(f)
    for _ in range(levels):
        cache: dict = {}

        def mid(i: int, j: int) -> int:
            key = (min(i, j), max(i, j))
            if key not in cache:
                m = verts[i] + verts[j]
                verts.append(m / np.linalg.norm(m))
                cache[key] = len(verts) - 1
            return cache[key]

        new = []
        for a, b, c in faces:
            ab, bc, ca = mid(a, b), mid(b, c), mid(c, a)
            new += [(a, ab, ca), (b, bc, ab), (c, ca, bc), (ab, bc, ca)]
        faces = new
    return np.array(verts), np.array(faces)


def stl(path: Path) -> None:
    x, tri = _icosphere(3)
    theta, phi = np.arccos(np.clip(x[:, 2], -1, 1)), np.arctan2(x[:, 1], x[:, 0])
    r = 1 + 0.08 * (np.sin(3 * theta) * np.cos(2 * phi) + 0.5 * np.cos(theta) ** 2)
    p = x * r[:, None]
    a, b, c = p[tri[:, 0]], p[tri[:, 1]], p[tri[:, 2]]
    n = np.cross(b - a, c - a)
    n /= np.linalg.norm(n, axis=1)[:, None]
    rec = np.zeros(len(tri), dtype=[("n", "<f4", 3), ("v", "<f4", (3, 3)), ("attr", "<u2")])
    rec["n"], rec["v"] = n, np.stack([a, b, c], axis=1)
    with open(path, "wb") as f:
        f.write(b"seifem test particle: lumpy sphere, 1 unit = 1 um".ljust(80, b" "))
        f.write(np.uint32(len(tri)).tobytes())
        f.write(rec.tobytes())


if __name__ == "__main__":
    step(HERE / "particle.step")
    stl(HERE / "particle.stl")
