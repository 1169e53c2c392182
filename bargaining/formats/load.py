"""Find and load a game: a file path (``.nfg``, ``.efg``, ``.yaml``), a scenario name from
``games/`` (``resolve-signal``) or a canonical id (``resolve-signal(p=0.4,c_B=1.2)``).

Loading never runs code from the file: Gambit files go through their own parsers, YAML through
``yaml.safe_load`` and the restricted expression parser of :mod:`bargaining.model.template`.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any

from bargaining.errors import BargainingError, FileFormatError

__all__ = [
    "load",
    "load_template",
    "open_game",
    "resolve",
    "games_dirs",
    "find_game_file",
    "parse_game_id",
    "parse_assignment",
]

_ID = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*\((.*)\)\s*$")


def games_dirs() -> list[Path]:
    """Where scenario files are looked up, in order: ``$BARGAINING_GAMES`` (``os.pathsep``
    separated), the scenario library shipped inside the package (``bargaining/games/``; a
    checkout also shows it as the top-level ``games/`` link), and ``<prefix>/share/bargaining/games``."""
    dirs: list[Path] = []
    env = os.environ.get("BARGAINING_GAMES")
    if env:
        dirs.extend(Path(p) for p in env.split(os.pathsep) if p)
    dirs.append(Path(__file__).resolve().parents[1] / "games")
    dirs.append(Path(sys.prefix) / "share" / "bargaining" / "games")
    return [d for d in dirs if d.is_dir()]


def parse_assignment(text: str, where: str = "--set") -> tuple[str, str]:
    """``"p=0.4"`` → ``("p", "0.4")``; a one-line error otherwise."""
    if "=" not in text:
        raise BargainingError(f"{where} {text!r}: expected NAME=VALUE, e.g. p=0.4")
    key, value = text.split("=", 1)
    key, value = key.strip(), value.strip()
    if not key or not value:
        raise BargainingError(f"{where} {text!r}: expected NAME=VALUE, e.g. p=0.4")
    return key, value


def parse_game_id(spec: str) -> tuple[str, dict[str, str]]:
    """``"resolve-signal(p=0.4,c_B=1.2)"`` → ``("resolve-signal", {"p": "0.4", "c_B": "1.2"})``."""
    m = _ID.match(spec)
    if not m:
        return spec, {}
    params: dict[str, str] = {}
    body = m.group(2).strip()
    if body:
        for part in body.split(","):
            k, v = parse_assignment(part, where=f"in {spec!r}:")
            params[k] = v
    return m.group(1), params


def find_game_file(name: str) -> Path | None:
    for d in games_dirs():
        for ext in (".yaml", ".yml", ".efg", ".nfg"):
            p = d / f"{name}{ext}"
            if p.is_file():
                return p
    return None


def known_game_names() -> list[str]:
    names = set()
    for d in games_dirs():
        for p in d.iterdir():
            if p.suffix in (".yaml", ".yml", ".efg", ".nfg"):
                names.add(p.stem)
    return sorted(names)


def unknown_game(name: str) -> BargainingError:
    """The error for a game name that is neither a file nor a scenario, with the close match."""
    import difflib

    names = known_game_names()
    close = difflib.get_close_matches(name, names, n=1)
    if close:
        return BargainingError(
            f"unknown game {name!r}: did you mean {close[0]!r}? (bargain games lists them all)"
        )
    known = ", ".join(names) or "none installed"
    return BargainingError(f"unknown game {name!r}: give a file path or one of: {known}")


def resolve(spec: str | os.PathLike) -> tuple[Path, dict[str, str]]:
    """The file behind a path, scenario name or canonical id, and the id's parameters."""
    path = Path(spec)
    if path.is_file():
        return path, {}
    if path.is_dir():
        raise FileFormatError(path, None, "is a directory, not a game file")
    name, id_params = parse_game_id(str(spec))
    found = find_game_file(name)
    if found is None:
        if Path(name).suffix in (".nfg", ".efg", ".yaml", ".yml"):
            raise BargainingError(f"{name}: no such file")
        raise unknown_game(name)
    return found, id_params


def load_template(spec: str | os.PathLike) -> Any:
    """The :class:`~bargaining.model.template.Template` of a YAML game file, by path or name.

    A canonical id's parameters are ignored here (a template covers every point)."""
    path, _ = resolve(spec)
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise BargainingError(f"{path}: not a parametric game file (.yaml); it has no parameters")
    from bargaining.formats.yamlgame import load_template as _load_template

    return _load_template(path)


def open_game(spec: str | os.PathLike, params: dict[str, Any] | None = None) -> Any:
    """What :func:`bargaining.load` returns: the :class:`Template` of a YAML file when no
    parameter is set (neither in ``params`` nor in a canonical id), otherwise the game."""
    path, id_params = resolve(spec)
    if path.suffix.lower() in (".yaml", ".yml") and not params and not id_params:
        from bargaining.formats.yamlgame import load_template as _load_template

        return _load_template(path)
    return load(spec, params)


def load(spec: str | os.PathLike, params: dict[str, Any] | None = None, **kw_params: Any) -> Any:
    """Load a game by path, name or canonical id, with parameters set (for parametric games).

    Returns a game for a fixed parameter set: a ``NormalFormGame``, ``ExtensiveGame``,
    ``SignalingGame`` or bargaining model. A YAML template with no parameters given is
    evaluated at its defaults.
    """
    params = {**(params or {}), **kw_params}
    path = Path(spec)
    if path.is_dir():
        raise FileFormatError(path, None, "is a directory, not a game file")
    if not path.is_file():
        name, id_params = parse_game_id(str(spec))
        params = {**id_params, **params}
        found = find_game_file(name)
        if found is None:
            if Path(name).suffix in (".nfg", ".efg", ".yaml", ".yml"):
                raise BargainingError(f"{name}: no such file")
            raise unknown_game(name)
        path = found
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        from bargaining.formats.yamlgame import load_template

        return load_template(path).with_params(**params)
    if params:
        raise BargainingError(
            f"{path}: a Gambit file has no parameters; --set {next(iter(params))}=... does not apply"
        )
    if suffix == ".nfg":
        from bargaining.formats.nfg import read_nfg

        return read_nfg(path)
    if suffix == ".efg":
        from bargaining.formats.efg import read_efg

        return read_efg(path)
    raise FileFormatError(path, None, "unknown file type: expected .nfg, .efg or .yaml")
