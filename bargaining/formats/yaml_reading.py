"""Safe reading of a YAML game file with line numbers, for :mod:`bargaining.formats.yamlgame`.

PyYAML's **safe** loader only (no Python tags); the event stream is checked first for nesting
depth and alias count (:data:`MAX_YAML_DEPTH`, alias bombs), then the file is composed so that
every value keeps its line, and :class:`YamlContext` turns a path in the document into
``file:line: field: message`` errors.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bargaining.errors import FileFormatError
from bargaining.numeric import shorten

__all__ = ["MAX_YAML_DEPTH", "MAX_NODES", "read_yaml", "YamlContext"]


MAX_NODES = 200_000  # guards against alias bombs (YAML anchors that expand exponentially)
#: Deepest nesting of YAML mappings and lists in a game file (a tree node takes two levels:
#: the node and its ``actions``); checked on the event stream before anything is built.
MAX_YAML_DEPTH = 200
_MAX_ALIASES = 10_000


# ----------------------------------------------------------------------------------------------
# reading with line numbers
# ----------------------------------------------------------------------------------------------


def _check_shape(path: Path, text: str) -> None:
    """Refuse YAML nested deeper than :data:`MAX_YAML_DEPTH` or with more than
    :data:`_MAX_ALIASES` aliases, from the event stream (PyYAML's parser is iterative, its
    composer is recursive), before a node is composed."""
    depth = aliases = 0
    loader = yaml.SafeLoader(text)  # a ReaderError here is reported by the caller
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    line = event.start_mark.line + 1 if event.start_mark else None
                    raise FileFormatError(
                        path,
                        line,
                        f"nested deeper than {MAX_YAML_DEPTH} levels (a tree node takes two levels: "
                        "the node and its actions)",
                    )
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
            elif isinstance(event, yaml.AliasEvent):
                aliases += 1
                if aliases > _MAX_ALIASES:
                    line = event.start_mark.line + 1 if event.start_mark else None
                    raise FileFormatError(path, line, f"more than {_MAX_ALIASES} aliases (*name)")
    finally:
        loader.dispose()


def read_yaml(path: Path, text: str) -> tuple[Any, dict[tuple, int]]:
    loader = None
    try:
        _check_shape(path, text)
        loader = yaml.SafeLoader(text)
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = (err.problem or err.context or "invalid YAML").strip()
        if "constructor" in problem or "tag" in problem:
            problem = f"{problem}: tags that build objects are not allowed in game files"
        raise FileFormatError(path, line, problem) from None
    except yaml.reader.ReaderError as err:
        line = text.count("\n", 0, err.position) + 1
        raise FileFormatError(path, line, f"character 0x{err.character:02x} is not allowed in YAML") from None
    except yaml.YAMLError as err:
        raise FileFormatError(path, None, f"invalid YAML: {str(err).splitlines()[0]}") from None
    except FileFormatError:
        raise
    except (ValueError, TypeError, OverflowError) as err:  # a scalar PyYAML cannot build (int digits, date)
        first = (str(err).splitlines() or [type(err).__name__])[0]
        if "integer string conversion" in first:
            first = "an integer with thousands of digits (numbers may have at most 400)"
        raise FileFormatError(path, None, f"invalid value: {shorten(first, 100)}") from None
    finally:
        if loader is not None:
            loader.dispose()
    lines: dict[tuple, int] = {}
    count = [0]

    def walk(n: Any, at: tuple) -> None:
        count[0] += 1
        if count[0] > MAX_NODES:
            raise FileFormatError(path, None, f"more than {MAX_NODES} values (anchors expanding?)")
        lines.setdefault(at, n.start_mark.line + 1)
        if isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                if isinstance(k, yaml.ScalarNode):
                    walk(v, at + (k.value,))
        elif isinstance(n, yaml.SequenceNode):
            for i, v in enumerate(n.value):
                walk(v, at + (i,))

    if node is not None:
        walk(node, ())
    return data, lines


def _field(at: tuple) -> str:
    out = ""
    for k in at:
        out += f"[{k}]" if isinstance(k, int) else (f".{k}" if out else str(k))
    return out or "<top>"


class YamlContext:
    """Where a value of the document is (``at``: its path of keys and indices) and the errors
    that name its file, line and field."""

    def __init__(self, path: Path, lines: dict[tuple, int]):
        self.path = path
        self.lines = lines
        self.count = 0

    def line(self, at: tuple) -> int | None:
        while at:
            if at in self.lines:
                return self.lines[at]
            at = at[:-1]
        return self.lines.get(())

    def error(self, at: tuple, message: str) -> FileFormatError:
        return FileFormatError(self.path, self.line(at), f"{_field(at)}: {message}")

    def where(self, at: tuple) -> str:
        line = self.line(at)
        return f"{self.path}{':' + str(line) if line else ''}: {_field(at)}"
