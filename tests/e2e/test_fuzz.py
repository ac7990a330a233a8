"""Hostile input: hundreds of malformed case files and `--set` overrides, made by mutating
the shipped cases/si_coated.toml, are each refused by `seifem check` and `seifem run` with
one line `seifem: error: <key> = <value>: <what is allowed>` and exit code 2: no traceback,
no hang, no file written (not even the `--out` directory).

The bulk runs in-process (`seifem.cli.main.main`, one rank); a sample runs under `mpirun -n 2`.
Mutations that happen to give a valid case are skipped and not counted.
"""

from __future__ import annotations

import contextlib
import copy
import math
import re
import signal
import tomllib
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import run_seifem

ROOT = Path(__file__).resolve().parents[2]
CASE_FILE = ROOT / "cases" / "si_coated.toml"
CASE_TEXT = CASE_FILE.read_text()
BASE = tomllib.loads(CASE_TEXT)

ERROR = re.compile(r"^seifem: error: (?P<key>.+?) = (?P<value>.+?): (?P<allowed>.+)$")
SECONDS_PER_CALL = 10.0

FUZZ = settings(derandomize=True, database=None, deadline=None, print_blob=True,
                suppress_health_check=list(HealthCheck))

# ----------------------------------------------------------------------------- values

HOSTILE = [
    # wrong types
    5, -5, 0, 0.0, -0.0, 0.5, 1e308, -1e308, math.nan, math.inf, -math.inf, 10**30, -(10**30), 2**63,
    10**400, True, False, [], [1, 2, 3], ["a", "b", "c"], [[1], [2], [3]], {}, {"a": 1},
    {"mode": "rest"}, [{"mode": "rest"}], [{}], ["0 um", "0 um"], ["0 um", "0 um", "0 um", "0 um"],
    # wrong units and dimensions, bare numbers in strings
    "5", "0.5", "5 GPa", "5 s", "5 mol", "5 kg", "5 furlong", "5 degC", "5 C", "5 m^2/s", "5 %", "5 um^2",
    "5 J", "5 mol/m^3", "5 1/s",
    # out of range: huge, tiny, negative, zero, nan/inf
    "-5 um", "0 um", "0 s", "0 GPa", "1e30 um", "1e30 GPa", "1e-30 um", "1e999 um", "1e-999 um", "-1e-14 m^2/s",
    "nan", "inf", "-inf", "NaN um", "inf um", "-inf s", "nan GPa", "1e400", "-1", "2",
    # C-rates and choices
    "C/0", "-1 C", "0 C", "1e9 C", "C", "1 CC", "fast", "lithiate", "rest", "full", "octant", "bdf3", "Si", "carbon",
    "sei-ether", "Sii", "SI",
    # strings pint or the parser could choke on
    "", " ", "um", "((((", "9**9**9 um", "2**1000000 um", "1" * 5000 + " um", "5 um" * 30, "\x00", "\x7f",
    "\u00e9", "\U0001f600 um", "5\u202fum", "5 \u00b5m", "1 um; rm -rf /", "${HOME}", "%s%s%n", "../../etc/passwd",
    "__import__('os')", "1_0 um", "0x10 um", "1 um + 1 s", "10 um / 0",
]


def _quantity_text():
    number = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**20, 10**20),
                       st.sampled_from(["nan", "inf", "1e999", "-0", "1e-999", "0x1", "1_000", ".", "e5"]))
    unit = st.sampled_from(["um", "nm", "m", "GPa", "Pa", "s", "min", "h", "mol", "kg/m^3", "m^2/s", "m^3/mol",
                            "C", "%", "", "furlong", "degC", "um**2", "1/s", "um/s", "?", "um um"])
    return st.builds(lambda n, u: f"{n} {u}".strip(), number, unit)


VALUES = st.one_of(
    st.sampled_from(HOSTILE),
    _quantity_text(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.lists(st.one_of(st.integers(), st.text(max_size=8), _quantity_text()), max_size=5),
)

# ----------------------------------------------------------------------------- tree mutations


def _paths(node, prefix=()):
    """Every path in a TOML tree: sections, list items and leaves."""
    out = []
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for k, v in items:
        out.append(prefix + (k,))
        out.extend(_paths(v, prefix + (k,)))
    return out


def _schema_paths():
    from seifem.case.schema import SECTIONS, STEP

    out = [(s, k) if s else (k,) for s, fields in SECTIONS.items() for k in fields]
    out += [("protocol", "steps", i, k) for i in (0, 1) for k in STEP]
    out += [("output", "probes", "edge"), ("output", "probes", "centre", 0), ("protocol", "steps", 2)]
    return out


PATHS = sorted(set(_paths(BASE)) | set(_schema_paths()), key=repr)
SECTION_PATHS = [("particle",), ("coating",), ("sei",), ("geometry",), ("solver",), ("output",), ("protocol",),
                 ("protocol", "steps"), ("output", "probes"), ("protocol", "steps", 0)]
STRUCTURE = [5, "particle", [], [1, 2], [{"a": 1}], {"steps": 5}, {"steps": {}}, {"steps": [[]]}, True,
             {"material": "Si", "radius": "2.5 um"}, [{"material": "Si"}]]


def _set(tree, path, value):
    node = tree
    for p in path[:-1]:
        if isinstance(node, dict):
            node = node.setdefault(p, {})
        elif isinstance(node, list) and isinstance(p, int) and p < len(node):
            node = node[p]
        else:
            return
    last = path[-1]
    if isinstance(node, dict):
        node[last] = value
    elif isinstance(node, list) and isinstance(last, int):
        if last < len(node):
            node[last] = value
        else:
            node.append(value)


def _get(tree, path):
    node = tree
    for p in path:
        try:
            node = node[p]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _delete(tree, path):
    parent = _get(tree, path[:-1])
    if isinstance(parent, dict):
        parent.pop(path[-1], None)
    elif isinstance(parent, list) and isinstance(path[-1], int) and path[-1] < len(parent):
        parent.pop(path[-1])


def _typo(word: str, i: int, c: str) -> str:
    i %= len(word) + 1
    return word[:i] + c + word[i + 1:] if i < len(word) and i % 2 else word[:i] + c + word[i:]


MUTATION = st.one_of(
    st.tuples(st.just("set"), st.sampled_from(PATHS), VALUES),
    st.tuples(st.just("delete"), st.sampled_from(PATHS), st.none()),
    st.tuples(st.just("typo"), st.sampled_from([p for p in PATHS if isinstance(p[-1], str)]),
              st.tuples(st.integers(0, 30), st.sampled_from("xz_0-.é "))),
    st.tuples(st.just("unknown"), st.sampled_from(SECTION_PATHS + [()]),
              st.tuples(st.sampled_from(["foo", "radius_", "thicknes", "material ", "mode", "steps", "dT",
                                          "Particle", "protocol", "probes", "", "x.y"]), VALUES)),
    st.tuples(st.just("structure"), st.sampled_from(SECTION_PATHS), st.sampled_from(STRUCTURE)),
)


def mutate(tree: dict, mutations) -> dict:
    tree = copy.deepcopy(tree)
    for op, path, arg in mutations:
        if op == "set" or op == "structure":
            _set(tree, path, copy.deepcopy(arg))
        elif op == "delete":
            _delete(tree, path)
        elif op == "typo":
            parent = _get(tree, path[:-1])
            if isinstance(parent, dict) and path[-1] in parent:
                parent[_typo(path[-1], *arg)] = parent.pop(path[-1])
            else:
                _set(tree, path[:-1] + (_typo(path[-1], *arg),), "1 um")
        elif op == "unknown":
            target = _get(tree, path) if path else tree
            if isinstance(target, dict):
                target[arg[0]] = copy.deepcopy(arg[1])
            else:
                _set(tree, path, {arg[0]: copy.deepcopy(arg[1])})
    return tree


# ----------------------------------------------------------------------------- text mutations

ENCODINGS = ["utf-16", "utf-32", "latin-1", "cp1252", "utf-16-be"]

TEXT_MUTATION = st.one_of(
    st.tuples(st.just("truncate"), st.integers(0, len(CASE_TEXT.encode()) - 1)),
    st.tuples(st.just("insert"), st.tuples(st.integers(0, len(CASE_TEXT.encode())), st.binary(min_size=1, max_size=6))),
    st.tuples(st.just("replace"), st.tuples(st.integers(0, len(CASE_TEXT.encode()) - 1), st.integers(0, 255))),
    st.tuples(st.just("encoding"), st.sampled_from(ENCODINGS)),
    st.tuples(st.just("line"), st.tuples(st.sampled_from(["delete", "duplicate", "colon", "unquote", "unbracket",
                                                          "indent-header", "array-header"]),
                                         st.integers(0, CASE_TEXT.count("\n")))),
    st.tuples(st.just("append"), st.sampled_from([
        "\n[particle]\nradius = \"1 um\"\n", "\n[[protocol.steps]]\n", "\nparticle = 5\n", "\n[output.probes.x]\n",
        "\ntitle = \"a\"\n", "\n[geometry\n", "\n= 1\n", "\n[\"\"]\nx = 1\n", "\n[solver]\n", "\"\n",
        "\n[extra]\nkey = 1\n", "\nx = " + "[" * 3000 + "]" * 3000 + "\n", "\ny = " + "{a=" * 600 + "1" + "}" * 600,
        "\nz = 1" + "0" * 5000 + "\n", "\n[coating]\nthickness = 1" + "0" * 5000 + "\n", "\x00", "\ufeff",
    ])),
)


def text_mutate(mutations) -> bytes:
    data = CASE_TEXT.encode()
    for op, arg in mutations:
        if op == "truncate":
            data = data[:arg % max(len(data), 1)]
        elif op == "insert":
            pos, junk = arg
            data = data[:pos] + junk + data[pos:]
        elif op == "replace" and data:
            pos, byte = arg
            pos %= len(data)
            data = data[:pos] + bytes([byte]) + data[pos + 1:]
        elif op == "encoding":
            text = data.decode("utf-8", "replace").replace("um", "\u00b5m")
            data = text.encode(arg, "replace")
        elif op == "line":
            kind, i = arg
            lines = data.split(b"\n")
            i %= len(lines)
            line = lines[i]
            if kind == "delete":
                del lines[i]
            elif kind == "duplicate":
                lines.insert(i, line)
            elif kind == "colon":
                lines[i] = line.replace(b"=", b":")
            elif kind == "unquote":
                lines[i] = line.replace(b'"', b"", 1)
            elif kind == "unbracket":
                lines[i] = line.replace(b"]", b"", 1)
            elif kind == "indent-header":
                lines[i] = b"[" + line + b"]"
            elif kind == "array-header":
                lines[i] = line.replace(b"[", b"[[", 1)
            data = b"\n".join(lines)
        elif op == "append":
            data = data + arg.encode("utf-8", "replace")
    return data


# ----------------------------------------------------------------------------- overrides

KEYS = st.one_of(
    st.sampled_from([".".join(map(str, p)) for p in PATHS]),
    st.sampled_from(["", ".", "..", "a..b", "particle.", ".particle", "particle..radius", "protocol.steps.-1.mode",
                     "protocol.steps.99.mode", "protocol.steps.x.mode", "protocol.steps.0.mode.x", "title.x.y",
                     "particle.radius.0", "particle.radius.x.y", "output.probes.centre.0.x",
                     "output.probes.centre.0.x.y", "output.probes.centre.5", "protocol.steps.\u00b2.mode",
                     "protocol.steps.\u0663.mode", "protocol.steps." + "9" * 5000 + ".mode", "particle.rad\nius",
                     "newsection.key", "newsection.0.key", "protocol.steps.0.0", "protocol", "particle", "output.probes",
                     " particle . radius ", "particle.radius ", "PARTICLE.RADIUS", "particle.radius\x00"]),
    st.text(alphabet=st.sampled_from("abcz._0123 -\u00e9"), max_size=20),
)

RAW_VALUES = st.one_of(
    st.sampled_from(['"5 um"', '"unterminated', "[[[[", "[" * 3000, "{" * 3000, "1" + "0" * 5000,
                     '"' + "1" * 5000 + ' um"', "", " ", "=", "==", "nan", "inf", "-inf", "1e999", "0x", "0b2",
                     "true", "True", "{a=1}", "[1, 2", '"\\q"', '"\\ud800"', "1979-05-27", "05:00:00",
                     '"""a\nb"""', "'raw'", '"5 um"\nparticle.radius = 1', '"\x00"', "\x00", "5\n[x]",
                     '"9**9**9 um"', '"2 ** 200 um"', '["0 um", "0 um"]', '["nan um", "0 um", "0 um"]']),
    VALUES.map(lambda v: tomli_w.dumps({"v": v})[4:].strip() if not isinstance(v, list) or v else "[]"),
    st.text(max_size=20),
)

OVERRIDE = st.one_of(
    st.builds(lambda k, v: f"{k}={v}", KEYS, RAW_VALUES),
    KEYS,  # no "=" at all
    st.builds(lambda v: f"={v}", RAW_VALUES),
)

# ----------------------------------------------------------------------------- harness


class Hang(BaseException):
    """Raised by the alarm: an in-process call took too long (not an Exception, so main cannot catch it)."""


@contextlib.contextmanager
def deadline(seconds: float):
    def alarm(signum, frame):
        raise Hang(f"no answer within {seconds} s")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _listing(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


class Refusal:
    """Runs `seifem check` and `seifem run` in-process on one malformed input and checks the answer."""

    def __init__(self, capsys, workdir: Path):
        self.capsys, self.workdir = capsys, workdir
        self.counts: Counter = Counter()
        self.messages: list[str] = []
        self.n = 0

    def call(self, argv: list[str]) -> tuple[int, str, str]:
        from seifem.cli.main import main

        self.capsys.readouterr()
        with deadline(SECONDS_PER_CALL):
            try:
                rc = main(argv)
            except SystemExit as exc:  # argparse; not expected for these inputs
                rc = f"SystemExit({exc.code})"
        cap = self.capsys.readouterr()
        return rc, cap.out, cap.err

    def __call__(self, case: Path, overrides: list[str] = ()) -> None:
        self.n += 1
        sets = [f"--set={s}" for s in overrides]
        before = _listing(self.workdir)
        rc, out, err = self.call(["check", str(case), *sets])
        assert "Traceback" not in err, err
        if rc == 0:
            self.counts["valid (skipped)"] += 1
            return
        assert rc == 2, (rc, err)
        self._assert_one_line(err, out)
        run_out = self.workdir / f"out{self.n}"
        extra = ["--out", str(run_out)] if self.n % 2 else []  # also the default runs/<name> in the cwd
        rc_run, out_run, err_run = self.call(["run", str(case), *sets, *extra, "--no-render"])
        assert rc_run == 2, (rc_run, err_run)
        assert err_run == err, (err, err_run)  # the same refusal, before anything is built
        assert not run_out.exists()
        assert _listing(self.workdir) == before, "a refused input wrote files"
        self.counts["refused"] += 1
        self.messages.append(err.strip())

    @staticmethod
    def _assert_one_line(err: str, out: str) -> None:
        lines = err.strip().splitlines()
        assert len(lines) == 1, err
        m = ERROR.match(lines[0])
        assert m, lines[0]
        assert len(lines[0]) < 600, lines[0]
        assert out == "", out


@pytest.fixture
def refuse(capsys, tmp_path, monkeypatch):
    workdir = tmp_path / "work"
    workdir.mkdir()
    monkeypatch.chdir(workdir)
    return Refusal(capsys, workdir)


def _write(refuse: Refusal, data: bytes | str) -> Path:
    cases = refuse.workdir / "cases"
    cases.mkdir(exist_ok=True)
    path = cases / f"case{refuse.n}.toml"
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass"))
    return path


# ----------------------------------------------------------------------------- tests


@pytest.mark.slow
def test_fuzz_case_tree(refuse):
    """Values of wrong type, unit, dimension or range; missing, unknown and misspelt keys;
    sections given as scalars or lists; malformed protocol steps and probes."""

    @settings(FUZZ, max_examples=170)
    @given(st.lists(MUTATION, min_size=1, max_size=3))
    def fuzz(mutations):
        tree = mutate(BASE, mutations)
        refuse(_write(refuse, tomli_w.dumps(tree)))

    fuzz()
    print(dict(refuse.counts))
    assert refuse.counts["refused"] >= 130, refuse.counts


@pytest.mark.slow
def test_fuzz_broken_toml(refuse):
    """Truncated files, stray binary bytes, other encodings, broken lines, deep nesting."""

    @settings(FUZZ, max_examples=80)
    @given(st.lists(TEXT_MUTATION, min_size=1, max_size=2))
    def fuzz(mutations):
        refuse(_write(refuse, text_mutate(mutations)))

    fuzz()
    print(dict(refuse.counts))
    assert refuse.counts["refused"] >= 50, refuse.counts


def test_fuzz_overrides(refuse):
    """Malformed `--set key=value`: bad keys and paths, list indices, values TOML cannot read."""
    case = _write(refuse, CASE_TEXT)

    @settings(FUZZ, max_examples=90)
    @given(st.lists(OVERRIDE, min_size=1, max_size=2))
    def fuzz(overrides):
        refuse(case, overrides)

    fuzz()
    print(dict(refuse.counts))
    assert refuse.counts["refused"] >= 70, refuse.counts


# ----------------------------------------------------------------------------- mpirun -n 2

MPI_SAMPLE = [
    # (command, case file content or None for the shipped case, overrides)
    ("run", b"\x00\xff\xfe[particle]\nradius = \x81\n", []),
    ("check", CASE_TEXT[:250].encode(), []),
    ("run", CASE_TEXT.encode("utf-16"), []),
    ("check", ("x = " + "[" * 5000 + "]" * 5000).encode(), []),
    ("run", re.sub(r"\[particle\]\n.*?\n\n", "particle = 5\n\n", CASE_TEXT, count=1, flags=re.S).encode(), []),
    ("check", CASE_TEXT.replace("[[protocol.steps]]", "[protocol.stepz]", 1).encode(), []),
    ("run", None, ['output.probes.centre=["0 um", "0 um"]']),
    ("run", None, ["title.x.y=1"]),
    ("check", None, ['particle.radius="9**9**9 um"']),
    ("run", None, ["geometry.layer_cells=1" + "0" * 400]),
    ("check", None, ['protocol.steps.7.mode="rest"']),
    ("run", None, ['particle.radius="nan um"', "output.fields=false"]),
    ("run", None, ["protocol.steps=5"]),
    ("check", None, ["particle.radius=" + '"' + "1" * 100000 + ' um"']),
]


@pytest.mark.slow
def test_fuzz_sample_under_mpirun(tmp_path):
    """A sample of each class under mpirun -n 2: one message from rank 0, exit 2, no hang."""

    def one(i, job):
        cmd, data, overrides = job
        work = tmp_path / f"w{i}"
        work.mkdir()
        case = CASE_FILE
        if data is not None:
            case = work / "case.toml"
            case.write_bytes(data)
        before = _listing(work)
        out = work / "out"
        args = [cmd, str(case), *[f"--set={s}" for s in overrides]]
        if cmd == "run":
            args += ["--out", str(out), "--no-render"]
        res = run_seifem(2, *args, cwd=work, timeout=60)
        return job, res, before, _listing(work), out.exists()

    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(lambda a: one(*a), enumerate(MPI_SAMPLE)))
    for job, res, before, after, out_exists in results:
        assert res.returncode == 2, (job[0], job[2], res.stderr)
        assert "Traceback" not in res.stderr, res.stderr
        errors = [ln for ln in res.stderr.splitlines() if ln.startswith("seifem: error:")]
        assert len(errors) == 1 and ERROR.match(errors[0]), res.stderr  # once, from rank 0
        assert res.stdout == ""
        assert not out_exists and after == before
