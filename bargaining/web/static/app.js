// bargain lab: a client of the server's JSON API. No framework, no network beyond this server.
"use strict";
const $ = (sel) => document.querySelector(sel);
const state = { source: null, info: null, params: {}, equilibrium: null, solveId: 0, regimes: null };

function setStatus(text, kind) {
  const el = $("#status");
  el.textContent = text;
  el.className = "status" + (kind ? " " + kind : "");
}

async function api(path, body) {
  const res = await fetch(path, body === undefined ? {} : {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const ctype = res.headers.get("Content-Type") || "";
  const data = ctype.includes("json") ? await res.json() : await res.blob();
  if (!res.ok) throw new Error((data && data.error) || res.statusText);
  return data;
}

function esc(s) {
  return String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]));
}

function fmt(x) {
  if (typeof x !== "number") return String(x);
  return Math.abs(x - Math.round(x)) < 1e-9 ? String(Math.round(x)) : x.toPrecision(4).replace(/\.?0+$/, "");
}

// ---------------------------------------------------------------------------- games and sliders
async function loadGames() {
  const games = await api("/api/games");
  const sel = $("#game-select");
  sel.innerHTML = games.map((g) => `<option value="${esc(g.name)}">${esc(g.name)} (${esc(g.kind)})</option>`).join("");
  const wanted = new URLSearchParams(location.search).get("game") || "resolve-signal";
  if (games.some((g) => g.name === wanted)) sel.value = wanted;
  sel.addEventListener("change", () => openSource({ name: sel.value }));
  await openSource({ name: sel.value });
}

async function openSource(source) {
  setStatus("loading game…", "busy");
  try {
    const info = await api("/api/info", { source });
    state.source = source;
    state.info = info;
    state.params = {};
    state.equilibrium = null;
    for (const p of info.parameters) state.params[p.name] = p.default;
    $("#game-title").textContent = info.title || source.name || "uploaded game";
    buildSliders(info.parameters);
    buildRegimeAxes(info.parameters);
    $("#regime-map").innerHTML = "";
    if (info.filetype === "yaml" || source.name) $("#yaml-editor").value = info.text || "";
    await solve();
  } catch (err) {
    setStatus(err.message, "error");
  }
}

function buildSliders(parameters) {
  const box = $("#params");
  box.innerHTML = parameters.length ? "" : "<p class='hint'>This game has no parameters.</p>";
  for (const p of parameters) {
    const div = document.createElement("div");
    div.className = "param";
    div.innerHTML = `<label><span>${esc(p.name)}</span><output>${fmt(p.default)}</output></label>
      <input type="range" class="param-slider" data-name="${esc(p.name)}" min="${p.min}" max="${p.max}"
        step="${p.step}" value="${p.default}">
      <div class="meaning">${esc(p.meaning || "")}</div>`;
    const input = div.querySelector("input");
    const out = div.querySelector("output");
    let timer = null;
    input.addEventListener("input", () => {
      state.params[p.name] = Number(input.value);
      out.textContent = fmt(Number(input.value));
      clearTimeout(timer);
      timer = setTimeout(solve, 150);  // while dragging: solve when the hand rests
    });
    box.appendChild(div);
  }
}

function setParam(name, value) {
  const input = document.querySelector(`.param-slider[data-name="${CSS.escape(name)}"]`);
  if (!input) return;
  input.value = value;
  state.params[name] = Number(input.value);
  input.parentElement.querySelector("output").textContent = fmt(Number(input.value));
}

// ---------------------------------------------------------------------------- solving
async function solve() {
  const id = ++state.solveId;
  setStatus("solving…", "busy");
  try {
    const sol = await api("/api/solve", { source: state.source, params: state.params, equilibrium: state.equilibrium });
    if (id !== state.solveId) return;  // a newer request is on its way
    showSolution(sol);
    const n = sol.equilibria.length;
    setStatus(`${n} equilibri${n === 1 ? "um" : "a"}${sol.complete ? "" : " (incomplete: " + (sol.message || "not proven complete") + ")"}`);
  } catch (err) {
    if (id === state.solveId) setStatus(err.message, "error");
  }
}

function refText(eq) {
  const r = eq.refinements || {};
  const parts = Object.entries(r).map(([k, v]) => `${k === "intuitive" ? "IC" : k.toUpperCase()} ${v ? "yes" : "no"}`);
  return parts.join(", ");
}

function showSolution(sol) {
  $("#solve-meta").textContent = `${sol.concept}, ${sol.method}`;
  const list = $("#equilibria");
  list.innerHTML = sol.equilibria.map((eq) => {
    const label = eq.label || "equilibrium";
    const pay = eq.payoffs ? " — payoffs " + eq.payoffs.map(fmt).join(", ") : "";
    const ref = refText(eq);
    return `<li data-index="${eq.index}" class="${sol.equilibrium === eq.index ? "selected" : ""}">
      <span class="label">${esc(label)}</span>${ref ? ` <span class="ref">(${esc(ref)})</span>` : ""}
      <span class="ref">${esc(pay)}</span></li>`;
  }).join("") || "<li>none found</li>";
  for (const li of list.querySelectorAll("li[data-index]")) {
    li.addEventListener("click", () => {
      const k = Number(li.dataset.index);
      state.equilibrium = state.equilibrium === k ? null : k;
      solve();
    });
  }
  $("#picture").innerHTML = sol.svg || "<p class='hint'>No picture for this kind of game.</p>";
  $("#explanation").textContent = sol.explanation || "(a step-by-step derivation exists for signaling games and trees)";
  $("#table").textContent = sol.table || "";
  markRegimePoint();
}

// ---------------------------------------------------------------------------- regime map
function buildRegimeAxes(parameters) {
  const names = parameters.map((p) => p.name);
  const opts = names.map((n) => `<option>${esc(n)}</option>`).join("");
  $("#regime-x").innerHTML = opts;
  $("#regime-y").innerHTML = "<option value=''>(none)</option>" + opts;
  if (names.length > 1) $("#regime-y").value = names.includes("c_B") && names[0] !== "c_B" ? "c_B" : names[1];
}

const PALETTE = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];

async function drawRegimes() {
  const x = $("#regime-x").value, y = $("#regime-y").value || null;
  if (!x) return;
  setStatus("drawing the regime map…", "busy");
  try {
    const r = await api("/api/regimes", { source: state.source, params: state.params, x, y, n: Number($("#regime-n").value) });
    state.regimes = r;
    renderRegimes();
    setStatus(`regime map: ${r.regimes.length} regimes`);
  } catch (err) {
    setStatus(err.message, "error");
  }
}

function renderRegimes() {
  const r = state.regimes;
  if (!r) return;
  const W = 360, H = r.y ? 300 : 60, nx = r.xs.length, ny = r.y ? r.ys.length : 1;
  const cw = W / nx, ch = H / ny;
  let svg = `<svg id="regime-svg" viewBox="-40 -5 ${W + 50} ${H + 35}" width="100%">`;
  for (const c of r.cells) {
    const px = c.i * cw, py = H - (c.j + 1) * ch;
    svg += `<rect class="cell" x="${px}" y="${py}" width="${cw + 0.5}" height="${ch + 0.5}" fill="${PALETTE[c.regime % PALETTE.length]}"
      data-x="${c.x}" data-y="${c.y === null ? "" : c.y}"><title>${esc(r.x)}=${fmt(c.x)}${r.y ? ", " + esc(r.y) + "=" + fmt(c.y) : ""}: ${esc(r.regimes[c.regime])}</title></rect>`;
  }
  svg += `<text x="${W / 2}" y="${H + 28}" text-anchor="middle" font-size="12">${esc(r.x)}: ${fmt(r.xs[0])} … ${fmt(r.xs[nx - 1])}</text>`;
  if (r.y) svg += `<text x="-8" y="${H / 2}" text-anchor="middle" font-size="12" transform="rotate(-90 -8 ${H / 2})">${esc(r.y)}: ${fmt(r.ys[0])} … ${fmt(r.ys[ny - 1])}</text>`;
  svg += `<circle id="regime-point" r="5" fill="none" stroke="#000" stroke-width="2" cx="-100" cy="-100"/></svg>`;
  svg += "<div class='legend'>" + r.regimes.map((t, k) => `<div><span style="color:${PALETTE[k % PALETTE.length]}">■</span> ${esc(t)}</div>`).join("") + "</div>";
  $("#regime-map").innerHTML = svg;
  for (const rect of document.querySelectorAll("#regime-map rect.cell")) {
    rect.addEventListener("click", () => {
      setParam(r.x, rect.dataset.x);
      if (r.y) setParam(r.y, rect.dataset.y);
      solve();
    });
  }
  markRegimePoint();
}

function markRegimePoint() {
  const r = state.regimes, dot = document.getElementById("regime-point");
  if (!r || !dot) return;
  const W = 360, H = r.y ? 300 : 60;
  const sx = (v, lo, hi) => (hi > lo ? (v - lo) / (hi - lo) : 0.5);
  const xv = Number(state.params[r.x]);
  dot.setAttribute("cx", sx(xv, r.xs[0], r.xs[r.xs.length - 1]) * W);
  dot.setAttribute("cy", r.y ? H - sx(Number(state.params[r.y]), r.ys[0], r.ys[r.ys.length - 1]) * H : H / 2);
}

// ---------------------------------------------------------------------------- learning
let animation = null;

async function playLearning() {
  if (animation) cancelAnimationFrame(animation);
  setStatus("running the dynamic…", "busy");
  try {
    const steps = $("#learn-steps").value ? Number($("#learn-steps").value) : null;
    const run = await api("/api/learn", { source: state.source, params: state.params, dynamics: $("#dynamics").value,
      steps, seed: Number($("#learn-seed").value || 0) });
    $("#learn-note").textContent = `${run.dynamics}: ${run.note}`;
    setStatus(`learning: ${run.status}`);
    animate(run);
  } catch (err) {
    setStatus(err.message, "error");
    $("#learn-note").textContent = err.message;
  }
}

function animate(run) {
  const cv = $("#learn-canvas"), ctx = cv.getContext("2d");
  const [m, n] = [run.game.strategies[0].length, run.game.strategies[1].length];
  const S = 360, pad = 30, L = S - 2 * pad;
  let project, frame = null;
  if (m === 2 && n === 2) {
    project = (s) => [pad + s[0][0] * L, S - pad - s[1][0] * L];
    frame = () => {
      ctx.strokeStyle = "#999"; ctx.strokeRect(pad, pad, L, L);
      ctx.fillStyle = "#333"; ctx.font = "11px sans-serif";
      ctx.fillText(`P(${run.game.players[0]}: ${run.game.strategies[0][0]}) →`, pad, S - 8);
      ctx.save(); ctx.translate(12, S - pad); ctx.rotate(-Math.PI / 2);
      ctx.fillText(`P(${run.game.players[1]}: ${run.game.strategies[1][0]}) →`, 0, 0); ctx.restore();
    };
  } else if (m === 3 || n === 3) {
    const who = m === 3 ? 0 : 1, h = L * Math.sqrt(3) / 2;
    project = (s) => { const p = s[who]; return [pad + (p[1] + p[2] / 2) * L, S - pad - p[2] * h]; };
    frame = () => {
      ctx.strokeStyle = "#999"; ctx.beginPath(); ctx.moveTo(pad, S - pad); ctx.lineTo(pad + L, S - pad);
      ctx.lineTo(pad + L / 2, S - pad - h); ctx.closePath(); ctx.stroke();
      ctx.fillStyle = "#333"; ctx.font = "11px sans-serif";
      const st = run.game.strategies[who];
      ctx.fillText(st[0], pad - 10, S - pad + 14); ctx.fillText(st[1], pad + L - 10, S - pad + 14); ctx.fillText(st[2], pad + L / 2 - 5, S - pad - h - 5);
    };
  } else {  // time series of player 1's probabilities
    const T = run.trajectory.length;
    project = null;
    frame = () => { ctx.strokeStyle = "#999"; ctx.strokeRect(pad, pad, L, L); };
    let k = 0;
    const tick = () => {
      ctx.clearRect(0, 0, S, S); frame();
      for (let j = 0; j < m; j++) {
        ctx.strokeStyle = PALETTE[j % PALETTE.length]; ctx.beginPath();
        for (let i = 0; i <= k; i++) { const x = pad + (i / (T - 1)) * L, y = S - pad - run.trajectory[i].strategies[0][j] * L; i ? ctx.lineTo(x, y) : ctx.moveTo(x, y); }
        ctx.stroke();
      }
      if (++k < T) animation = requestAnimationFrame(tick);
    };
    tick();
    return;
  }
  const pts = run.trajectory.map((f) => project(f.strategies));
  const eqs = run.equilibria.map((e) => project(e));
  let k = 1;
  const per = Math.max(1, Math.round(pts.length / 240));  // about four seconds at 60 frames a second
  const tick = () => {
    ctx.clearRect(0, 0, S, S); frame();
    ctx.fillStyle = "#d62728";
    for (const [x, y] of eqs) { ctx.beginPath(); ctx.arc(x, y, 6, 0, 2 * Math.PI); ctx.fill(); }
    ctx.strokeStyle = "#1f77b4"; ctx.lineWidth = 1.5; ctx.beginPath(); ctx.moveTo(pts[0][0], pts[0][1]);
    for (let i = 1; i < k; i++) ctx.lineTo(pts[i][0], pts[i][1]);
    ctx.stroke();
    const [x, y] = pts[k - 1]; ctx.fillStyle = "#1f77b4"; ctx.beginPath(); ctx.arc(x, y, 4, 0, 2 * Math.PI); ctx.fill();
    k = Math.min(pts.length, k + per);
    if (k < pts.length) animation = requestAnimationFrame(tick);
    else cv.dataset.done = "1";
  };
  cv.dataset.done = "";
  tick();
}

// ---------------------------------------------------------------------------- YAML editor and files
let checkTimer = null;
async function checkYaml() {
  const text = $("#yaml-editor").value;
  try {
    const r = await api("/api/validate", { text });
    const box = $("#yaml-errors");
    box.innerHTML = r.ok ? `<div class="ok">valid: ${esc(r.title || "")} (${esc(r.kind)})</div>`
      : r.errors.map((e) => `<div class="error">${esc(e.message.replace(/^uploaded\.yaml:(\d+):\s*/, "line $1: "))}</div>`).join("");
    return r.ok;
  } catch (err) {
    $("#yaml-errors").innerHTML = `<div class="error">${esc(err.message)}</div>`;
    return false;
  }
}

function showTab(name) {
  for (const b of document.querySelectorAll(".tabs button")) b.classList.toggle("active", b.dataset.tab === name);
  for (const t of document.querySelectorAll(".tab")) t.classList.toggle("hidden", t.id !== "tab-" + name);
}

async function openFile(file) {
  const text = await file.text();
  const ext = file.name.split(".").pop().toLowerCase();
  if (ext === "yaml" || ext === "yml") {
    $("#yaml-editor").value = text;
    showTab("editor");
    if (!(await checkYaml())) { setStatus(`${file.name}: see the errors in the editor`, "error"); return; }
  }
  await openSource({ text, filetype: ext });
  $("#game-title").textContent += `  [${file.name}]`;
}

async function exportAs(format) {
  setStatus("exporting…", "busy");
  try {
    const blob = await api("/api/export", { source: state.source, params: state.params, format, equilibrium: state.equilibrium });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = `${state.source.name || "game"}.${format === "tikz" ? "tex" : format}`;
    a.click();
    setStatus(`exported ${a.download}`);
  } catch (err) {
    setStatus(err.message, "error");
  }
}

window.addEventListener("DOMContentLoaded", () => {
  for (const b of document.querySelectorAll(".tabs button")) b.addEventListener("click", () => showTab(b.dataset.tab));
  for (const b of document.querySelectorAll("#export button")) b.addEventListener("click", () => exportAs(b.dataset.format));
  $("#regime-go").addEventListener("click", drawRegimes);
  $("#learn-go").addEventListener("click", playLearning);
  $("#file-input").addEventListener("change", (e) => { if (e.target.files[0]) openFile(e.target.files[0]); });
  $("#yaml-editor").addEventListener("input", () => { clearTimeout(checkTimer); checkTimer = setTimeout(checkYaml, 400); });
  $("#yaml-use").addEventListener("click", async () => {
    if (await checkYaml()) openSource({ text: $("#yaml-editor").value, filetype: "yaml" });
  });
  loadGames().catch((err) => setStatus(err.message, "error"));
});
