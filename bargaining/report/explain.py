"""Step-by-step derivations of the PBE of a signaling game, for an instructor to project.

:func:`explain` solves the game with :func:`bargaining.solvers.signaling.pbe` and writes, in plain
text or Markdown:

1. the game (types and prior, messages, responses) and the payoffs left after the later stages,
   with the sender's sequentially rational choice in each later stage (backward induction);
2. the receiver's threshold beliefs: after each message, the belief at which two responses give
   the receiver the same expected payoff;
3. for every PBE family: Bayes' rule on the path with the numbers, the receiver's best response,
   each type's incentive constraint (its payoff from every message), the indifference condition
   that pins each mixing probability, the off-path beliefs that sustain it, and the verdicts of
   the intuitive criterion and D1 with the reason;
4. a summary of what each refinement keeps and kills.

Sources: Gibbons (1992) *Game Theory for Applied Economists* §4.2 (the four-step recipe for
PBE), Cho and Kreps (1987), Banks and Sobel (1987).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from bargaining.errors import BargainingError
from bargaining.model.signaling import SignalingGame, Terminal
from bargaining.numeric import to_fraction

__all__ = ["explain", "Document", "number_text", "formula_text"]


def number_text(x: Any) -> str:
    """A number for people: an integer, or a fraction with its decimal (``3/7 ≈ 0.4286``)."""
    x = to_fraction(x)
    if x.denominator == 1:
        return str(x.numerator)
    d = f"{float(x):.4f}".rstrip("0").rstrip(".")
    if Fraction(d) == x:
        return d
    return f"{x} ≈ {d}"


def formula_text(x: Any) -> str:
    """A number inside a formula: a short fraction or decimal, negatives in parentheses."""
    x = to_fraction(x)
    d = f"{float(x):.4f}".rstrip("0").rstrip(".")
    text = d if Fraction(d) == x else str(x)
    return f"({text})" if x < 0 else text


_n, _c = number_text, formula_text


class Document:
    """An explanation being written: plain text (underlined headings, ``*`` lists, aligned
    tables) or Markdown."""

    def __init__(self, markdown: bool):
        self.md = markdown
        self.lines: list[str] = []

    def h1(self, text: str) -> None:
        self.lines += [f"# {text}", ""] if self.md else [text, "=" * len(text), ""]

    def h2(self, text: str) -> None:
        self.lines += [f"## {text}", ""] if self.md else [text, "-" * len(text), ""]

    def h3(self, text: str) -> None:
        self.lines += [f"### {text}", ""] if self.md else [text, ""]

    def p(self, text: str) -> None:
        self.lines += [text, ""]

    def item(self, text: str, level: int = 0) -> None:
        self.lines.append(("  " * level) + ("- " if self.md else "* ") + text)

    def end_list(self) -> None:
        self.lines.append("")

    def math(self, text: str) -> str:
        return f"`{text}`" if self.md else text

    def table(self, header: list[str], rows: list[list[str]]) -> None:
        if self.md:
            self.lines.append("| " + " | ".join(header) + " |")
            self.lines.append("|" + "---|" * len(header))
            for r in rows:
                self.lines.append("| " + " | ".join(r) + " |")
        else:
            widths = [max(len(str(c)) for c in col) for col in zip(header, *rows)]
            self.lines.append("  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip())
            self.lines.append("  ".join("-" * w for w in widths))
            for r in rows:
                self.lines.append("  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip())
        self.lines.append("")

    def text(self) -> str:
        return "\n".join(self.lines).rstrip() + "\n"


def _later_stages(doc: Document, game: SignalingGame, conts) -> None:
    T, M, R = game.types, game.messages, game.responses
    later = [
        (i, j, k)
        for i in range(len(T))
        for j in range(len(M))
        for k in range(len(R))
        if not isinstance(game.outcomes[i][j][k], Terminal)
    ]
    if not later:
        return
    doc.h2("Step 1. Later stages: what the sender does after the response")
    doc.p(
        f"{game.sender} knows its type, so after each response it simply picks its best continuation "
        "(sequential rationality, solved backwards)."
    )
    for i, j, k in later:
        node = game.outcomes[i][j][k]
        opts = conts[i][j][k]
        desc = ""
        leaves = [] if isinstance(node, Terminal) else [c for c in node.children if isinstance(c, Terminal)]
        if not isinstance(node, Terminal) and len(leaves) == len(node.children):
            desc = "; ".join(f"{a} gives {_n(c.payoffs[0])}" for a, c in zip(node.actions, leaves)) + ". "
        chosen = " or ".join("-".join(c.plan) for c in opts)
        tie = " (indifferent: every tie-break is solved)" if len(opts) > 1 else ""
        doc.item(
            f"Type {T[i]} after {M[j]}, {R[k]}: {desc}It chooses {chosen}{tie}; payoffs "
            + ", ".join(f"({_n(c.sender)}, {_n(c.receiver)})" for c in opts)
            + "."
        )
    doc.end_list()


def _payoff_tables(doc: Document, game: SignalingGame, US, UR) -> None:
    T, M, R = game.types, game.messages, game.responses
    doc.p(
        f"Payoffs ({game.sender}, {game.receiver}) by type, message and response"
        + (" after the later stages:" if game.has_later_stages else ":")
    )
    header = ["type", "message"] + list(R)
    rows = []
    for i, t in enumerate(T):
        for j, m in enumerate(M):
            rows.append([t, m] + [f"({_n(US[i][j][k])}, {_n(UR[i][j][k])})" for k in range(len(R))])
    doc.table(header, rows)


def _thresholds(doc: Document, game: SignalingGame, UR, step: int) -> None:
    T, M, R = game.types, game.messages, game.responses
    doc.h2(f"Step {step}. The receiver's threshold beliefs")
    if len(T) != 2:
        doc.p(
            f"With {len(T)} types the receiver's best response regions are polytopes in the belief simplex; "
            "the equilibria below state the beliefs and responses explicitly."
        )
        return
    t0, t1 = T
    doc.p(f"Write μ for the receiver's belief that the sender is {t0} (and 1 − μ for {t1}).")
    for j, m in enumerate(M):
        for a in range(len(R)):
            for b in range(a + 1, len(R)):
                d0 = UR[0][j][a] - UR[0][j][b]
                d1 = UR[1][j][a] - UR[1][j][b]
                eua = f"{_c(UR[0][j][a])}·μ + {_c(UR[1][j][a])}·(1 − μ)"
                eub = f"{_c(UR[0][j][b])}·μ + {_c(UR[1][j][b])}·(1 − μ)"
                head = f"After {m}: EU({R[a]}) = {eua}, EU({R[b]}) = {eub}."
                if d0 == d1:
                    verdict = (
                        f"{R[a]} is better whatever the belief."
                        if d0 > 0
                        else f"{R[b]} is better whatever the belief."
                        if d0 < 0
                        else "They always tie."
                    )
                    doc.item(f"{head} {verdict}")
                    continue
                mu = d1 / (d1 - d0)
                side = "≥" if d0 > d1 else "≤"
                if 0 <= mu <= 1:
                    doc.item(
                        f"{head} The receiver prefers {R[a]} iff μ {side} {_n(mu)} "
                        f"(indifferent at μ* = {_n(mu)})."
                    )
                else:
                    better = R[a] if (d0 > 0) else R[b]
                    doc.item(f"{head} {better} is better for every belief in [0, 1].")
    doc.end_list()


def _value_text(US, i: int, j: int, rho_m, R) -> tuple[str, Fraction]:
    terms = [(to_fraction(p), US[i][j][k]) for k, p in enumerate(rho_m) if p]
    v = sum((p * u for p, u in terms), Fraction(0))
    if len(terms) == 1:
        return f"{_n(v)} ({R[[k for k, p in enumerate(rho_m) if p][0]]})", v
    return " + ".join(f"{_c(p)}·{_c(u)}" for p, u in terms) + f" = {_n(v)}", v


def _equilibrium(doc: Document, game: SignalingGame, k: int, eq, US, UR) -> None:
    T, M, R = game.types, game.messages, game.responses
    x = eq.extra
    prior = [to_fraction(p) for p in game.prior]
    sigma, rho = eq.behavior
    ref = x.get("refinements", {})
    doc.h3(f"Equilibrium {k}: {eq.label}")
    if x.get("dimension"):
        doc.p(f"This is a family of equilibria, {x['description']}. Its vertices:")
        for i, v in enumerate(x.get("vertices", [])):
            left = [o["message"] for o in v.get("off_path", []) if o.get("leaves_path")]
            st = "; ".join(
                f"{t} sends " + " and ".join(m if p == 1 else f"{m} w.p. {_n(p)}" for m, p in d.items() if p)
                for t, d in v["sender_strategy"].items()
            )
            rs = "; ".join(
                f"after {m}: " + ", ".join(r if p == 1 else f"{r} w.p. {_n(p)}" for r, p in d.items() if p)
                for m, d in v["receiver_strategy"].items()
                if d is not None
            )
            doc.item(
                f"vertex {i} ({v['label']}): {st}; {game.receiver} {rs}"
                + (f"; {', '.join(left)} leaves the path here" if left else "")
            )
        doc.end_list()
        doc.p(
            "Every point between the vertices is a PBE as well; the derivation below is for a point inside "
            "the family."
        )
    strat = "; ".join(
        f"{t} sends " + " and ".join(m if p == 1 else f"{m} w.p. {_n(p)}" for m, p in d.items() if p)
        for t, d in x["sender_strategy"].items()
    )
    doc.p(f"{game.sender}: {strat}.")
    # Bayes' rule
    doc.p("Bayes' rule on the path:")
    for j, m in enumerate(M):
        if eq.beliefs[j] is None:
            continue
        num = [prior[i] * to_fraction(sigma[i][j]) for i in range(len(T))]
        tot = sum(num, Fraction(0))
        for i, t in enumerate(T[:-1] if len(T) == 2 else T):
            expr = " + ".join(f"{_c(prior[s])}·{_c(sigma[s][j])}" for s in range(len(T)))
            doc.item(f"P({t} | {m}) = {_c(prior[i])}·{_c(sigma[i][j])} / ({expr}) = {_n(num[i] / tot)}")
    doc.end_list()
    # receiver
    doc.p(f"{game.receiver}'s best responses:")
    for j, m in enumerate(M):
        if eq.beliefs[j] is None:
            continue
        mu = eq.beliefs[j]
        eus = [
            sum((to_fraction(mu[i]) * UR[i][j][r] for i in range(len(T))), Fraction(0)) for r in range(len(R))
        ]
        resp = ", ".join(r if p == 1 else f"{r} w.p. {_n(p)}" for r, p in zip(R, rho[j]) if p)
        doc.item(f"after {m}: " + ", ".join(f"EU({r}) = {_n(e)}" for r, e in zip(R, eus)) + f" → {resp}")
    doc.end_list()
    # incentive constraints
    doc.p(f"Each type's incentive constraint (payoff from each message given {game.receiver}'s responses):")
    for i, t in enumerate(T):
        parts = []
        for j, m in enumerate(M):
            text, _ = _value_text(US, i, j, rho[j], R)
            parts.append(f"{m}: {text}" + ("" if eq.beliefs[j] is not None else " [off path]"))
        sent = [m for m, p in zip(M, sigma[i]) if p]
        doc.item(f"{t}: " + "; ".join(parts) + f" → sends {' and '.join(sent)}")
    doc.end_list()
    # mixing
    mixing = x.get("mixing", {})
    if mixing:
        doc.p("The indifference conditions that pin the mixing probabilities:")
        for t, d in mixing.get(game.sender, {}).items():
            ms = list(d)
            if len(T) == 2 and len(ms) == 2:
                i = T.index(t)
                o = 1 - i
                mixed_after = next((mm for mm in ms if _receiver_mixes(x, game, mm)), None)
                if mixed_after is not None:
                    m = mixed_after
                    j = M.index(m)
                    mu = to_fraction(eq.beliefs[j][i])
                    so = to_fraction(sigma[o][j])
                    pi, po = prior[i], prior[o]
                    sig = to_fraction(sigma[i][j])
                    doc.item(
                        f"{game.receiver} mixes after {m} only if it is indifferent there, "
                        f"so P({t} | {m}) must equal the threshold {_n(mu)}. "
                        f"Bayes' rule: {_c(pi)}·σ / ({_c(pi)}·σ + {_c(po)}·{_c(so)}) = {_c(mu)} "
                        f"gives σ = {_c(po)}·{_c(so)}·{_c(mu)} / ({_c(pi)}·(1 − {_c(mu)})) "
                        f"= {_n(sig)}: {t} sends {m} with probability {_n(sig)}."
                    )
                    continue
            doc.item(
                f"{t} mixes over {', '.join(ms)}, so it must be indifferent between them; its mixture is "
                f"pinned by the receiver's indifference: the belief after "
                + ", ".join(f"{m} must be {_mu_text(eq, game, m)}" for m in ms if _receiver_mixes(x, game, m))
                + (
                    f", which Bayes' rule turns into σ = {', '.join(f'{m} {_n(p)}' for m, p in d.items())}."
                    if any(_receiver_mixes(x, game, m) for m in ms)
                    else f"; σ = {', '.join(f'{m} {_n(p)}' for m, p in d.items())}."
                )
            )
        for m, d in mixing.get(game.receiver, {}).items():
            j = M.index(m)
            who = [t for t, dd in mixing.get(game.sender, {}).items() if m in dd]
            doc.item(
                f"{game.receiver} mixes after {m} ({', '.join(f'{r} {_n(p)}' for r, p in d.items())}): it is "
                f"indifferent at belief {_mu_text(eq, game, m)}; the probabilities make "
                + (" and ".join(who) if who else "the sender")
                + " indifferent between its messages."
            )
            for t in who:
                i = T.index(t)
                others = [mm for mm in x["sender_strategy"][t] if x["sender_strategy"][t][mm] and mm != m]
                if others:
                    o = M.index(others[0])
                    rhs, v = _value_text(US, i, o, rho[o], R)
                    mixed = [r for r, p in enumerate(rho[j]) if p]
                    if len(mixed) == 2:
                        a, b = mixed
                        ua, ub = US[i][j][a], US[i][j][b]
                        doc.item(
                            f"{t}: {others[0]} gives {rhs}; {m} gives q·{_c(ua)} + (1 − q)·{_c(ub)} with "
                            f"q = P({R[a]} | {m}). "
                            f"Indifference: q = ({_c(v)} − {_c(ub)}) / ({_c(ua)} − {_c(ub)}) "
                            f"= {_n(rho[j][a])}.",
                            1,
                        )
                    else:
                        lhs, _ = _value_text(US, i, j, rho[j], R)
                        doc.item(f"{t}: {m} gives {lhs}; {others[0]} gives {rhs}.", 1)
        doc.end_list()
    # off path
    for off in x.get("off_path", []):
        bel = ", ".join(
            f"P({t} | {off['message']}) in [{_n(lo)}, {_n(hi)}]" for t, (lo, hi) in zip(T, off["beliefs"])
        )
        resp = ", ".join(
            f"{r} w.p. in [{_n(lo)}, {_n(hi)}]" for r, (lo, hi) in off["responses"].items() if hi != 0
        )
        doc.p(
            f"Off the path, {off['message']} must deter every type: {game.receiver} answers with {resp}, "
            f"a best response to beliefs {bel}"
            + (" (a union of intervals)" if not off.get("connected", True) else "")
            + ". "
            "Any belief in this set sustains the equilibrium."
        )
        j = M.index(off["message"])
        if len(R) == 2:
            a, b = 0, 1
            for i, t in enumerate(T):
                ua, ub, u = US[i][j][a], US[i][j][b], to_fraction(x["type_payoffs"][t])
                if ua == ub:
                    continue
                q = (u - ub) / (ua - ub)
                side = "≤" if ua > ub else "≥"
                if 0 < q < 1:
                    doc.item(
                        f"{t} stays away iff q·{_c(ua)} + (1 − q)·{_c(ub)} ≤ {_c(u)}, i.e. "
                        f"q = P({R[a]} | {off['message']}) {side} {_n(q)}."
                    )
            doc.end_list()
        best = [max(US[i][j][r] for r in range(len(R))) for i in range(len(T))]
        dom = [t for i, t in enumerate(T) if to_fraction(x["type_payoffs"][t]) > best[i]]
        doc.p(
            "Equilibrium dominance (intuitive criterion; best payoffs over all responses): "
            + "; ".join(
                f"{t}'s best payoff from {off['message']} is {_n(best[i])} vs {_n(x['type_payoffs'][t])} "
                f"in equilibrium"
                for i, t in enumerate(T)
            )
            + (
                f", so {off['message']} is equilibrium-dominated for {', '.join(dom)}."
                if dom
                else f", so no type is equilibrium-dominated at {off['message']}."
            )
        )
    if ref:
        verdict = (
            f"Intuitive criterion: {'passes' if ref['intuitive'] else 'fails'}. "
            f"D1: {'passes' if ref['d1'] else 'fails'}."
            + "".join(
                f" {name}: {'passes' if ref[key] else 'fails'}."
                for key, name in (("d2", "D2"), ("nwbr", "NWBR"))
                if key in ref
            )
        )
        doc.p(verdict)
        for note in x.get("refinement_notes", []):
            if "fails" in note:
                doc.item(note)
        if any("fails" in n for n in x.get("refinement_notes", [])):
            doc.end_list()
    pays = ", ".join(f"{t} {_n(v)}" for t, v in x["type_payoffs"].items())
    doc.p(
        f"Payoffs: {game.sender} {pays}; {game.receiver} {_n(eq.payoffs[1])} (ex ante). "
        f"Certificate: max regret {_n(eq.regret)}."
    )


def _receiver_mixes(x: dict, game: SignalingGame, m: str) -> bool:
    return m in x.get("mixing", {}).get(game.receiver, {})


def _mu_text(eq, game: SignalingGame, m: str) -> str:
    j = game.messages.index(m)
    mu = eq.beliefs[j]
    if mu is None:
        return "(off path)"
    return f"P({game.types[0]} | {m}) = {_n(mu[0])}"


def explain(game: SignalingGame, fmt: str = "text") -> str:
    """The derivation of every PBE of ``game`` as plain text (``fmt="text"``) or Markdown."""
    from bargaining.solvers.api import solve

    if getattr(game, "kind", None) != "signaling":
        raise BargainingError(
            "bargain explain derives perfect Bayesian equilibria of signaling games; this is "
            f"{_KINDS.get(str(getattr(game, 'kind', '')), 'another kind of game')}"
        )
    if fmt not in ("text", "markdown"):
        raise BargainingError(f"--format {fmt}: expected text or markdown")
    doc = Document(fmt == "markdown")
    sol = solve(game, method="pbe", exact=True)
    T, M, R = game.types, game.messages, game.responses
    doc.h1(game.title or "Signaling game")
    doc.p(
        f"Nature draws {game.sender}'s type: "
        + ", ".join(f"{t} with probability {_n(p)}" for t, p in zip(T, game.prior))
        + f". {game.sender} sees its type and sends one of {', '.join(M)}; {game.receiver} sees the message, "
        f"not the type, and answers with one of {', '.join(R)}."
    )
    reduced = game.reduced()
    US, UR, _ = reduced[0]
    _later_stages(doc, game, game.continuations())
    step = 2 if game.has_later_stages else 1
    doc.h2(f"Step {step}. Payoffs")
    _payoff_tables(doc, game, US, UR)
    _thresholds(doc, game, UR, step + 1)
    doc.h2(f"Step {step + 2}. The perfect Bayesian equilibria")
    n = len(sol.equilibria)
    sets = sum(1 for eq in sol.equilibria if eq.extra.get("dimension"))
    doc.p(
        f"There {'is' if n == 1 else 'are'} {n} PBE famil{'y' if n == 1 else 'ies'}"
        + (
            f" ({n - sets} single point{'' if n - sets == 1 else 's'}, "
            f"{sets} continuum{'' if sets == 1 else 's'} of equilibria)"
            if sets
            else ""
        )
        + ("" if sol.complete else f" (the list may be incomplete: {sol.message})")
        + "."
    )
    for k, eq in enumerate(sol.equilibria):
        idx = int(eq.extra.get("tie_break", 0))  # which later-stage tie-break this PBE uses
        _equilibrium(doc, game, k, eq, *(reduced[idx][:2]))
    doc.h2(f"Step {step + 3}. What the refinements keep")
    rows = []
    for k, eq in enumerate(sol.equilibria):
        ref = eq.extra.get("refinements", {})
        rows.append(
            [str(k), str(eq.label)]
            + ["yes" if ref.get(key) else "no" for key in ("intuitive", "d1", "d2", "nwbr")]
        )
    doc.table(["#", "equilibrium", "intuitive criterion", "D1", "D2", "NWBR"], rows)
    keep_ic = [str(k) for k, eq in enumerate(sol.equilibria) if eq.extra["refinements"]["intuitive"]]
    keep_d1 = [str(k) for k, eq in enumerate(sol.equilibria) if eq.extra["refinements"]["d1"]]
    keep_d2 = [str(k) for k, eq in enumerate(sol.equilibria) if eq.extra["refinements"].get("d2")]
    keep_nw = [str(k) for k, eq in enumerate(sol.equilibria) if eq.extra["refinements"].get("nwbr")]
    doc.p(
        f"The intuitive criterion keeps {', '.join(keep_ic) or 'none'}; "
        f"D1 keeps {', '.join(keep_d1) or 'none'}. "
        f"D2 (universal divinity) keeps {', '.join(keep_d2) or 'none'}; "
        f"NWBR (never a weak best response) keeps {', '.join(keep_nw) or 'none'}."
    )
    return doc.text()


_KINDS = {
    "normal": "a normal-form game",
    "tree": "a game tree without types (use bargain solve)",
    "model": "a bargaining model (use bargain solve)",
    "persuasion": "a persuasion problem (bargaining.report.explain_persuasion explains it)",
}
