"""A case file as a TOML tree, before validation, and the `--set key=value` overrides on it.

    tree = load_tree("cases/si_coated.toml", overrides=['coating.thickness="20 nm"'])
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from seifem.case.bounds import MAX_CASE_BYTES, regular_file
from seifem.errors import CaseError

__all__ = ["load_tree", "split_override", "toml_value", "apply_override", "set_key"]


def load_tree(path: str | Path, overrides: list[str] | None = None) -> dict:
    """The TOML tree of a case file with `key=value` overrides applied, not yet validated."""
    path = Path(path)
    regular_file(path, "case file", MAX_CASE_BYTES)  # a FIFO or a device is refused without reading it
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CaseError("case file", str(path), "no such file") from None
    except UnicodeDecodeError as exc:
        raise CaseError("case file", str(path), f"is not UTF-8 text (byte {exc.object[exc.start]:#04x} at offset {exc.start}); "
                                                "save it as UTF-8") from None
    except (OSError, ValueError) as exc:
        raise CaseError("case file", str(path), f"cannot be read ({exc.__class__.__name__})") from None
    try:
        tree = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CaseError("case file", str(path), f"is not valid TOML: {exc}") from None
    except RecursionError:
        raise CaseError("case file", str(path), "is not valid TOML: nested too deeply") from None
    except ValueError:  # what tomllib does not catch itself, e.g. an integer of more than 4300 digits
        raise CaseError("case file", str(path), "is not valid TOML: a number too long to read") from None
    for item in overrides or []:
        apply_override(tree, item)
    return tree


def split_override(item: str, option: str = "--set") -> tuple[str, str]:
    """`section.key=value` -> (key, value text); raises CaseError naming `option` if malformed,
    or if it holds a line break or another control character (one key, one value, one line)."""
    if any(not c.isprintable() and c != "\t" for c in item):
        raise CaseError(option, item, "must be one key=value on one line (no line breaks or control characters), "
                                      'e.g. coating.thickness="20 nm"; give one --set per key')
    key, sep, text = item.partition("=")
    key = key.strip()
    if not sep or not key or not all(p.strip() for p in key.split(".")):
        raise CaseError(option, item, 'must look like section.key=value, e.g. coating.thickness="20 nm"')
    return key, text


def toml_value(text: str, option: str = "--set", item: str | None = None) -> Any:
    """An override's value: read as one TOML value if it can be ("20 nm" with quotes, 0.5, true),
    else the text. Anything beyond one value (more TOML) is refused naming `option`."""
    if any(not c.isprintable() and c != "\t" for c in text):
        raise CaseError(option, item if item is not None else text, "must be one TOML value on one line")
    try:
        tree = tomllib.loads(f"v = {text}")
    except (ValueError, RecursionError):  # TOMLDecodeError, or a value TOML cannot hold: keep the text
        if text.strip()[:1] in ("\"", "'", "[", "{"):  # meant as TOML, but not one value
            raise CaseError(option, item if item is not None else text, "must be one key=value whose value is one "
                                                                        "TOML value, e.g. coating.thickness=\"20 nm\"") from None
        return text.strip()
    if list(tree) != ["v"]:
        raise CaseError(option, item if item is not None else text, "must be one key=value whose value is one TOML "
                                                                    "value; give one --set per key")
    return tree["v"]


def apply_override(tree: dict, item: str) -> None:
    """Apply one `section.key=value` override in place; the value is read as TOML if it can be."""
    key, text = split_override(item)
    set_key(tree, key, toml_value(text, "--set", item))


def set_key(tree: dict, key: str, value: Any) -> None:
    """Set the dotted case key (`coating.thickness`, `protocol.steps.0.c_rate`) in place."""
    parts = [p.strip() for p in key.split(".")]
    node: Any = tree
    for i, part in enumerate(parts[:-1]):
        nxt = parts[i + 1]
        if isinstance(node, list):
            node = node[_index(key, value, part, node)]
        elif isinstance(node, dict):
            node = node.setdefault(part, [] if nxt.isdigit() else {})
        else:
            raise CaseError(key, value, f"{'.'.join(parts[:i])} is not a section")
    last = parts[-1]
    if isinstance(node, list):
        node[_index(key, value, last, node)] = value
    elif isinstance(node, dict):
        node[last] = value
    else:
        raise CaseError(key, value, f"{'.'.join(parts[:-1])} is not a section")


def _index(key: str, value: Any, part: str, node: list) -> int:
    """`part` of an override key as an index into the list `node`."""
    if not (part.isascii() and part.isdigit() and len(part) < 10 and int(part) < len(node)):
        where = f"0..{len(node) - 1}" if node else "the list is empty"
        raise CaseError(key, value, f"list index {part!r} out of range ({where})")
    return int(part)
