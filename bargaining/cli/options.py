"""Options shared by several ``bargain`` commands."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from bargaining.errors import BargainingError
from bargaining.formats.load import load, parse_assignment

__all__ = [
    "set_option",
    "load_game",
    "timeout_option",
    "parse_assignments",
    "force_option",
    "input_file",
    "check_out",
    "check_method_concept",
    "check_id_conflicts",
    "note_shadowing",
    "shadowed",
]


def set_option(f):
    return click.option(
        "--set",
        "assignments",
        multiple=True,
        metavar="NAME=VALUE",
        help="Set a parameter of a parametric game (repeatable), e.g. --set p=0.4.",
    )(f)


def timeout_option(f):
    return click.option(
        "--timeout",
        type=click.FloatRange(min=0),
        default=None,
        metavar="S",
        help="Time budget in seconds (0: none). On timeout the result is marked incomplete.",
    )(f)


def parse_assignments(assignments: tuple[str, ...], where: str = "--set") -> dict[str, str]:
    """``("p=0.4", "c_B=1")`` → ``{"p": "0.4", "c_B": "1"}``; a name given twice is an error
    (the user would not know which value is used)."""
    out: dict[str, str] = {}
    for text in assignments:
        key, value = parse_assignment(text, where=where)
        if key in out:
            raise BargainingError(
                f"{where} {key} is given twice ({key}={out[key]} and {key}={value}): give it once"
            )
        out[key] = value
    return out


def check_game_arg(spec: str) -> None:
    """A game argument that names a folder or a special file gets its own one-line error (not
    "unknown game")."""
    path = Path(spec)
    try:
        if path.is_dir():
            raise BargainingError(f"{spec}: is a directory, not a game file; give a .yaml, .nfg or .efg file")
        if path.exists() and not path.is_file():
            raise BargainingError(f"{spec}: not a regular file; give a .yaml, .nfg or .efg file")
        if path.is_file() and not os.access(path, os.R_OK):
            raise BargainingError(f"{spec}: cannot read: permission denied")
    except OSError as err:
        raise BargainingError(f"{spec}: cannot read ({err.strerror})") from None


def load_game(spec: str, assignments: tuple[str, ...] = ()) -> Any:
    check_game_arg(spec)
    try:
        return load(spec, parse_assignments(assignments))
    except IsADirectoryError:
        raise BargainingError(f"{spec}: is a directory, not a game file") from None
    except PermissionError:
        raise BargainingError(f"{spec}: cannot read: permission denied") from None


def force_option(what: str = "the output file"):
    """``--force``: replace an existing output file (an input file is never overwritten)."""

    def deco(f):
        return click.option(
            "--force",
            is_flag=True,
            help=f"Replace {what} if it exists (without it an existing file is kept and "
            "the command stops; an input file is never overwritten).",
        )(f)

    return deco


def input_file(spec: str) -> str | None:
    """The file a game argument (path, scenario name or canonical id) reads, or ``None``."""
    from bargaining.formats.load import resolve

    try:
        return str(resolve(spec)[0])
    except BargainingError:
        return None


def check_out(out: str | None, *inputs: str | None, force: bool = True) -> None:
    """Refuse ``out`` before any work: a folder, a missing folder, an input file, or an
    existing file without ``--force`` (see :func:`bargaining.output.check_output`)."""
    if out is None:
        return
    from bargaining.output import check_output

    check_output(out, inputs=inputs, overwrite=force)


def check_method_concept(game: Any, concept: str | None, method: str | None) -> None:
    """Refuse ``--concept C --method M`` when method M solves another concept (one line)."""
    if concept is None or method is None:
        return
    from bargaining.solvers.api import CONCEPTS, methods_for

    wanted = CONCEPTS.get(concept, concept)
    for m in methods_for(game):
        if m.name == method and m.concept != wanted:
            spelled = {v: k for k, v in CONCEPTS.items()}
            same = [x.name for x in methods_for(game, wanted)]
            hint = f"; methods for {concept}: {', '.join(same)}" if same else ""
            raise BargainingError(
                f"--method {method} finds {spelled.get(m.concept, m.concept)} equilibria, not "
                f"--concept {concept}: drop one of the two{hint}"
            )


def check_id_conflicts(spec: str, fixed: dict[str, str]) -> None:
    """Refuse ``name(w=2) --set w=3``: a parameter given both in a canonical id and by --set."""
    from bargaining.formats.load import parse_game_id

    if Path(spec).is_file():
        return
    name, id_params = parse_game_id(spec)
    if id_params and "(" in spec:
        keys = [
            part.split("=", 1)[0].strip() for part in spec[spec.index("(") + 1 : spec.rindex(")")].split(",")
        ]
        twice = sorted({k for k in keys if keys.count(k) > 1})
        if twice:
            raise BargainingError(f"{spec}: {twice[0]} is given twice; give it once")
    for key, value in fixed.items():
        if key in id_params:
            raise BargainingError(
                f"{key} is set twice: {key}={id_params[key]} in {spec} and --set {key}={value}; give it once"
            )


def note_shadowing(spec: str) -> None:
    """Say which file a game name stands for when several candidates exist: a file of that name in
    the working directory, or a user folder ($BARGAINING_GAMES) shadowing a built-in scenario."""
    from bargaining.formats.load import parse_game_id

    if Path(spec).is_file() or any(ch in spec for ch in "/\\"):
        return
    name, _ = parse_game_id(spec)
    candidates = shadowed(name)
    if len(candidates) < 2:
        return
    used, others = candidates[0], candidates[1:]
    listed = ", ".join(str(p) for p in others)
    click.echo(f"note: {name} is {used}; also found {listed} (give a path to use another)", err=True)


def shadowed(name: str) -> list[Path]:
    """Every file a bare game ``name`` could mean, the one used first: the games folders in
    search order, then ``./NAME.yaml|.yml|.efg|.nfg`` in the working directory (not searched by
    name: a path like ``./NAME.yaml`` selects it)."""
    from bargaining.formats.load import find_game_file, games_dirs

    found: list[Path] = []
    used = find_game_file(name)
    if used is None:
        return []
    found.append(used)
    for d in games_dirs():
        if _same(d, used.parent):
            continue  # in the folder of the one used, YAML wins over Gambit by design
        for ext in (".yaml", ".yml", ".efg", ".nfg"):
            p = d / f"{name}{ext}"
            if p.is_file() and not any(_same(p, q) for q in found):
                found.append(p)
                break
    for ext in (".yaml", ".yml", ".efg", ".nfg"):
        p = Path(f"{name}{ext}")
        if p.is_file() and not any(_same(p, q) for q in found):
            found.append(p)
            break
    return found


def _same(a: Path, b: Path) -> bool:
    from bargaining.output import same_file

    return same_file(a, b)
