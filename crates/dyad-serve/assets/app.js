// The dyad dashboard: plain JavaScript and SVG over the JSON API of `dyad serve`.
// Every view reloads from the same filters; nothing is fetched from outside this server.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
const QUADS = { 1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict" };
const PAGE = 25;
// `pages`: the cursor each visited page of the event table started after (null: the first).
const state = { filters: {}, pages: [null], world: null, iso: null };

// ---- helpers -------------------------------------------------------------------------

/** GET (or POST with `body`) an API path; throws the API's own error message. */
async function api(path, params, body) {
  // No "?" without parameters: the server caches answers by URL, and warms the plain ones.
  const query = params ? String(new URLSearchParams(params)) : "";
  const url = query ? `${path}?${query}` : path;
  const init = body === undefined ? {} : {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body),
  };
  const res = await fetch(url, init);
  const data = await res.json();
  if (!res.ok) throw new Error(data.error || `HTTP ${res.status}`);
  return data;
}

/** An element with attributes and children (strings become text nodes). */
function el(tag, attrs = {}, ...children) {
  const e = tag.startsWith("svg:") ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null) continue;
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c !== undefined && c !== null) e.append(typeof c === "object" ? c : String(c));
  }
  return e;
}

function svgRoot(width, height) {
  return el("svg:svg", { viewBox: `0 0 ${width} ${height}`, role: "img" });
}

function title(text) {
  return el("svg:title", {}, text);
}

function chart(id) {
  const box = document.querySelector(`#${id} .chart`);
  box.replaceChildren();
  return box;
}

function filterParams(extra = {}) {
  const p = {};
  for (const [k, v] of Object.entries(state.filters)) if (v) p[k] = v;
  return { ...p, ...extra };
}

// ---- filters -------------------------------------------------------------------------

function readFilters() {
  const form = document.getElementById("filters");
  const f = {};
  for (const [k, v] of new FormData(form).entries()) if (String(v).trim()) f[k] = String(v).trim();
  return f;
}

function setFilter(changes) {
  const form = document.getElementById("filters");
  for (const [k, v] of Object.entries(changes)) form.elements[k].value = v;
  state.filters = readFilters();
  state.pages = [null];
  refresh();
}

// ---- timeline: stacked bars by quad class --------------------------------------------

function spanDays(series) {
  if (!series.length) return 0;
  const first = Date.parse(series[0].period.length === 7 ? series[0].period + "-01" : series[0].period);
  const lastP = series[series.length - 1].period;
  const last = Date.parse(lastP.length === 7 ? lastP + "-01" : lastP);
  return (last - first) / 86400000;
}

async function loadTimeline() {
  // Months for long ranges, weeks for a year or less, so that bars stay readable.
  let data = await api("/api/series", filterParams({ period: "month", by: "quad" }));
  if (data.series.length && spanDays(data.series) <= 366) {
    data = await api("/api/series", filterParams({ period: "week", by: "quad" }));
  }
  document.getElementById("timeline-period").textContent = data.period;
  drawTimeline(data.series, data.period);
}

/** Every period from the first to the last of `series`, so that quiet spells show as gaps. */
function allPeriods(series, period) {
  const seen = [...new Set(series.map((r) => r.period))].sort();
  if (seen.length < 2) return seen;
  const out = [];
  if (period === "month") {
    let [y, m] = seen[0].split("-").map(Number);
    for (let s = seen[0]; s <= seen[seen.length - 1] && out.length < 1000; ) {
      out.push(s);
      [y, m] = m === 12 ? [y + 1, 1] : [y, m + 1];
      s = `${y}-${String(m).padStart(2, "0")}`;
    }
  } else {
    const step = period === "week" ? 7 : 1;
    const last = Date.parse(seen[seen.length - 1]);
    for (let t = Date.parse(seen[0]); t <= last && out.length < 1000; t += step * 86400000) {
      out.push(new Date(t).toISOString().slice(0, 10));
    }
  }
  // A range too long to draw keeps only the periods with events.
  return out.length < 1000 ? out : seen;
}

function drawTimeline(series, period) {
  const box = chart("timeline");
  const periods = allPeriods(series, period);
  const byPeriod = new Map(periods.map((p) => [p, { 1: 0, 2: 0, 3: 0, 4: 0 }]));
  for (const r of series) byPeriod.get(r.period)[r.key] = r.events;
  const max = Math.max(1, ...periods.map((p) => Object.values(byPeriod.get(p)).reduce((a, b) => a + b, 0)));
  const W = 1000, H = 220, left = 40, bottom = 20;
  const svg = svgRoot(W, H);
  const bw = (W - left) / Math.max(1, periods.length);
  periods.forEach((p, i) => {
    let y = H - bottom;
    for (const q of [1, 2, 3, 4]) {
      const n = byPeriod.get(p)[q];
      if (!n) continue;
      const h = (n / max) * (H - bottom - 10);
      y -= h;
      svg.append(el("svg:rect", {
        class: `bar q${q}`, x: left + i * bw + 0.5, y, width: Math.max(1, bw - 1), height: h,
        "data-period": p, "data-quad": q, "data-count": n,
      }, title(`${p}: ${n} ${QUADS[q]}`)));
    }
  });
  svg.append(el("svg:text", { class: "axis", x: 2, y: 12 }, max));
  svg.append(el("svg:text", { class: "axis", x: 2, y: H - bottom }, 0));
  const step = Math.max(1, Math.ceil(periods.length / 10));
  periods.forEach((p, i) => {
    if (i % step === 0) svg.append(el("svg:text", { class: "axis", x: left + i * bw, y: H - 5 }, p));
  });
  if (!periods.length) svg.append(el("svg:text", { class: "axis", x: W / 2 - 60, y: H / 2 }, "no dated events"));
  box.append(svg);
  const legend = document.querySelector("#timeline .legend");
  legend.replaceChildren(...[1, 2, 3, 4].map((q) => el("span", {}, el("span", { class: `swatch q${q}` }), `${q} ${QUADS[q]}`)));
}

// ---- world map -----------------------------------------------------------------------

async function loadWorld() {
  if (state.world) return;
  const [topo, iso] = await Promise.all([
    fetch("/assets/vendor/countries-110m.json").then((r) => r.json()),
    fetch("/assets/vendor/iso-numeric.json").then((r) => r.json()),
  ]);
  state.world = topojson.feature(topo, topo.objects.countries).features;
  state.iso = iso;
}

/** Equirectangular projection; a jump across the antimeridian starts a new subpath. */
function ringPath(ring, W, H) {
  let d = "", prev = null;
  for (const [lon, lat] of ring) {
    const x = ((lon + 180) / 360) * W, y = ((90 - lat) / 180) * H;
    d += (prev === null || Math.abs(lon - prev) > 180 ? "M" : "L") + x.toFixed(1) + "," + y.toFixed(1);
    prev = lon;
  }
  return d + "Z";
}

function geometryPath(g, W, H) {
  const polys = g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : [];
  return polys.flatMap((poly) => poly.map((ring) => ringPath(ring, W, H))).join("");
}

function shade(n, max) {
  if (!n) return "#eceff1";
  const t = Math.log(1 + n) / Math.log(1 + max);
  const light = 90 - t * 55;
  return `hsl(4, 70%, ${light.toFixed(0)}%)`;
}

async function loadMap() {
  await loadWorld();
  const data = await api("/api/countries", filterParams());
  const counts = new Map(data.countries.map((c) => [c.country, c.events]));
  const max = Math.max(1, ...counts.values());
  const W = 960, H = 400;
  const svg = svgRoot(W, H * 0.9);
  for (const f of state.world) {
    const code = state.iso[f.id] || "";
    const n = counts.get(code) || 0;
    const path = el("svg:path", {
      class: "country", d: geometryPath(f.geometry, W, H), fill: shade(n, max),
      "data-code": code, "data-count": n,
      onclick: () => code && setFilter({ country: code }),
    }, title(`${f.properties.name} (${code || "no code"}): ${n} events`));
    svg.append(path);
  }
  chart("map").append(svg);
}

// ---- actor network: circle layout of the strongest dyads -----------------------------

async function loadNetwork() {
  const data = await api("/api/dyads", filterParams({ n: 60 }));
  // A side acting on itself (government on rebels of the same country) has no edge to draw.
  const edges = data.dyads.filter((d) => d.actor !== d.recipient);
  const weight = new Map();
  for (const d of edges) for (const c of [d.actor, d.recipient]) weight.set(c, (weight.get(c) || 0) + d.events);
  const nodes = [...weight.keys()].sort((a, b) => weight.get(b) - weight.get(a) || a.localeCompare(b));
  const W = 560, H = 420, R = 165, cx = W / 2, cy = H / 2;
  // The k-th heaviest node takes slot k·step (mod n), step coprime to n near 0.38 n: heavy
  // nodes spread round the circle instead of crowding one side.
  const n = nodes.length;
  const gcd = (a, b) => (b ? gcd(b, a % b) : a);
  let step = Math.max(1, Math.round(n * 0.38));
  while (n > 1 && gcd(step, n) !== 1) step++;
  const pos = new Map(nodes.map((c, k) => {
    const a = (2 * Math.PI * ((k * step) % Math.max(1, n))) / Math.max(1, n) - Math.PI / 2;
    return [c, [cx + R * Math.cos(a), cy + R * Math.sin(a)]];
  }));
  const maxE = Math.max(1, ...edges.map((d) => d.events));
  const svg = svgRoot(W, H);
  for (const d of edges) {
    const [x1, y1] = pos.get(d.actor), [x2, y2] = pos.get(d.recipient);
    const conflict = d.conflict / Math.max(1, d.events);
    svg.append(el("svg:line", {
      class: "edge", x1, y1, x2, y2, "stroke-width": 1 + (6 * d.events) / maxE,
      stroke: `hsl(${(120 * (1 - conflict)).toFixed(0)}, 65%, 45%)`,
      "data-actor": d.actor, "data-recipient": d.recipient, "data-events": d.events,
      onclick: () => setFilter({ actor: d.actor.split(";")[0], recipient: d.recipient.split(";")[0] }),
    }, title(`${d.actor} → ${d.recipient}: ${d.events} events (${d.conflict} conflict)`)));
  }
  for (const c of nodes) {
    const [x, y] = pos.get(c);
    const r = 4 + 10 * Math.sqrt(weight.get(c) / Math.max(...weight.values()));
    const dx = x < cx ? -r - 3 : r + 3;
    svg.append(el("svg:g", { class: "node", "data-code": c },
      el("svg:circle", { cx: x, cy: y, r }, title(`${c}: ${weight.get(c)} events in these dyads`)),
      el("svg:text", { x: x + dx, y: y + 4, "text-anchor": x < cx ? "end" : "start" }, c)));
  }
  if (!edges.length) svg.append(el("svg:text", { class: "axis", x: W / 2 - 60, y: H / 2 }, "no dyads"));
  chart("network").append(svg);
}

// ---- event table ---------------------------------------------------------------------

async function loadEvents() {
  const after = state.pages[state.pages.length - 1];
  const data = await api("/api/events", filterParams(after ? { after, limit: PAGE } : { limit: PAGE }));
  const total = document.getElementById("events-total");
  total.textContent = data.total;
  total.dataset.total = data.total;
  const rows = data.events.map((e) => el("tr", {
    "data-article": e.article_id, "data-event": e.event_id, onclick: () => openArticle(e.article_id, e.mention_id),
  },
  el("td", {}, e.date || "–"), el("td", {}, e.event_type), el("td", {}, e.actor_cameo || e.actor || "–"),
  el("td", {}, e.recipient_cameo || e.recipient || "–"), el("td", {}, e.quad),
  el("td", { class: "sentence" }, e.text || ""), el("td", {}, e.sources), el("td", {}, e.mentions),
  el("td", {}, e.url ? el("a", { href: e.url, rel: "noreferrer", target: "_blank" }, e.source || "link") : e.source || "")));
  document.querySelector("#events tbody").replaceChildren(...rows);
  const first = (state.pages.length - 1) * PAGE;
  const of = `${data.total}${data.total_exact ? "" : "+"}`;
  document.getElementById("page").textContent = data.events.length ? `${first + 1}–${first + data.events.length} of ${of}` : "none";
  document.getElementById("prev").disabled = state.pages.length === 1;
  const next = document.getElementById("next");
  next.disabled = !data.next;
  next.dataset.after = data.next || "";
}

// ---- article view: the text with every span of the coding ----------------------------

/** Per character (code point) class lists, then runs of equal classes as spans. */
function renderDoc(box, text, marks) {
  const chars = Array.from(text);
  const classes = chars.map(() => new Set());
  for (const m of marks) {
    for (let i = Math.max(0, m.start); i < Math.min(chars.length, m.end); i++) classes[i].add(m.cls);
  }
  const out = [];
  let i = 0;
  while (i < chars.length) {
    const key = [...classes[i]].sort().join(" ");
    let j = i;
    while (j < chars.length && [...classes[j]].sort().join(" ") === key) j++;
    const piece = chars.slice(i, j).join("");
    out.push(key ? el("span", { class: key }, piece) : piece);
    i = j;
  }
  box.replaceChildren(...out);
}

/** The marks of one event record (or of all, when `only` is null). */
function eventMarks(events, only) {
  const marks = [];
  events.forEach((ev, k) => {
    if (only !== null && only !== k) return;
    for (const a of ev.actor || []) marks.push({ start: a.start, end: a.end, cls: "actor" });
    for (const r of ev.recipient || []) marks.push({ start: r.start, end: r.end, cls: "recipient" });
    if (ev.trigger) marks.push({ start: ev.trigger.start, end: ev.trigger.end, cls: "trigger" });
  });
  return marks;
}

function sideText(side) {
  return (side || []).map((a) => `${a.cameo} "${a.entity_text}"`).join(", ") || "–";
}

/** Shows an article (or a coded text) with its spans and its events, each with its rule. */
function showDoc(section, doc, selectedId) {
  const box = section.querySelector(".doc");
  const base = [
    ...(doc.quotes || []).map((q) => ({ start: q.start, end: q.end, cls: "quote" })),
    ...(doc.entities || []).map((e) => ({ start: e.start, end: e.end, cls: "entity" })),
  ];
  const list = section.querySelector(".event-list");
  const select = (k) => {
    renderDoc(box, doc.text, [...base, ...eventMarks(doc.events, k)]);
    list.querySelectorAll("li").forEach((li, i) => li.classList.toggle("selected", i === k));
  };
  list.replaceChildren(...doc.events.map((ev, k) => el("li", { "data-event": ev.id, onclick: () => select(k) },
    el("b", {}, ev.event.join("+")), ` (CAMEO ${ev.cameo}, quad ${ev.quad_code}) `,
    `${sideText(ev.actor)} → ${sideText(ev.recipient)}; trigger "${(ev.event_text || []).join(" ")}"`,
    ev.attribution ? `; claimed by ${ev.attribution.speaker ? ev.attribution.speaker.entity_text : "an unnamed source"}` : "",
    (ev.context || []).length ? `; ${ev.context.join(", ")}` : "",
    el("br"), el("span", { class: "rule" }, `rule: ${ev.rule} · confidence ${Number(ev.confidence).toFixed(2)}`))));
  const k = doc.events.findIndex((e) => e.id === selectedId);
  select(k >= 0 ? k : null);
  if (k >= 0) list.children[k].scrollIntoView({ block: "nearest" });
}

async function openArticle(id, mentionId) {
  const a = await api(`/api/articles/${encodeURIComponent(id)}`);
  const section = document.getElementById("article");
  section.hidden = false;
  section.dataset.article = a.id;
  document.getElementById("article-meta").textContent =
    [a.title, a.source, a.date, `id ${a.id}`, `${a.events.length} event mentions`].filter(Boolean).join(" · ");
  showDoc(section, a, mentionId);
  section.scrollIntoView({ block: "start" });
}

// ---- code this text ------------------------------------------------------------------

function codeRequest() {
  const form = document.getElementById("code-form");
  return { text: form.elements.text.value, date: form.elements.date.value || null };
}

async function codeText(ev) {
  ev.preventDefault();
  const err = document.getElementById("code-error");
  err.textContent = "";
  try {
    const data = await api("/api/code", null, codeRequest());
    const section = document.getElementById("code-result");
    section.dataset.events = data.events.length;
    showDoc(section, data.annotation, null);
  } catch (e) {
    err.textContent = e.message;
  }
}

async function explainText() {
  const err = document.getElementById("code-error");
  err.textContent = "";
  try {
    const data = await api("/api/explain", null, codeRequest());
    const box = document.getElementById("explain-result");
    box.replaceChildren(...data.sentences.map((s, i) => el("div", { class: "explained" },
      el("h3", {}, `sentence ${i + 1}${s.parsed ? "" : " (not parsed: no trigger word)"}`), el("p", {}, s.text),
      el("ul", {}, ...s.actors.map((a) => el("li", {}, `actor mention "${a.text}" → ${a.cameo} `, el("span", { class: "rule" }, `because ${a.rule}`))),
        ...s.events.map((e) => el("li", {}, el("b", {}, e.type.join("+")), ` trigger "${e.trigger}": `,
          `${e.actor.map((a) => a.cameo).join(", ") || "–"} → ${e.recipient.map((a) => a.cameo).join(", ") || "–"} `,
          el("span", { class: "rule" }, `because ${e.rule}`)))))));
  } catch (e) {
    err.textContent = e.message;
  }
}

// ---- wiring --------------------------------------------------------------------------

async function refresh() {
  const err = document.getElementById("filter-error");
  err.textContent = "";
  const results = await Promise.allSettled([loadTimeline(), loadMap(), loadNetwork(), loadEvents()]);
  const failed = results.filter((r) => r.status === "rejected").map((r) => r.reason.message);
  err.textContent = [...new Set(failed)].join("; ");
  document.body.dataset.ready = String(Date.now());
}

async function init() {
  const health = await api("/api/health");
  document.getElementById("store-info").textContent =
    `${health.db}: ${health.articles} articles, ${health.events} deduplicated events`;
  const blocs = document.querySelector("#filters select[name=member_of]");
  blocs.append(...health.blocs.map((b) => el("option", { value: b }, b)));
  document.getElementById("filters").addEventListener("submit", (e) => {
    e.preventDefault();
    setFilter({});
  });
  document.getElementById("reset-filters").addEventListener("click", () => {
    document.getElementById("filters").reset();
    setFilter({});
  });
  document.getElementById("prev").addEventListener("click", () => {
    if (state.pages.length > 1) state.pages.pop();
    loadEvents();
  });
  document.getElementById("next").addEventListener("click", () => {
    const after = document.getElementById("next").dataset.after;
    if (after) state.pages.push(after);
    loadEvents();
  });
  document.getElementById("code-form").addEventListener("submit", codeText);
  document.getElementById("explain-button").addEventListener("click", explainText);
  await refresh();
}

init().catch((e) => {
  document.getElementById("store-info").textContent = `error: ${e.message}`;
});
