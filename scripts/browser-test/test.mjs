// Drives headless Chromium over a running `dyad serve` and checks that every view renders
// the store's real data: elements present, counts equal to the API's, no console errors,
// no request leaving the server. Usage: node test.mjs BASE_URL SCREENSHOT_DIR
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";

const [base, shots] = process.argv.slice(2);
if (!base || !shots) {
  console.error("usage: node test.mjs BASE_URL SCREENSHOT_DIR");
  process.exit(2);
}
mkdirSync(shots, { recursive: true });
const failures = [];
const check = (ok, what) => {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures.push(what);
};
const api = async (path, body) => {
  const init = body === undefined ? {} : {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body),
  };
  const res = await fetch(base + path, init);
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
};
const sum = (xs) => xs.reduce((a, b) => a + b, 0);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});
const page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
const consoleErrors = [];
page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
page.on("pageerror", (e) => consoleErrors.push(`page error: ${e.message}`));
const outside = [];
page.on("request", (r) => !r.url().startsWith(base) && !r.url().startsWith("data:") && outside.push(r.url()));
page.setDefaultTimeout(30_000);

/** Runs `action`, then waits until the page has redrawn every view after it. */
async function redrawn(action) {
  const before = await page.getAttribute("body", "data-ready");
  await action();
  await page.waitForFunction((b) => document.body.dataset.ready && document.body.dataset.ready !== b, before);
}

try {
  await redrawn(() => page.goto(base + "/"));
  const health = await api("/api/health");
  check(health.events > 0, `the store has events (${health.events})`);
  check((await page.textContent("#store-info")).includes(`${health.events} deduplicated events`), "header shows the store's event count");
  check((await page.textContent("#filter-error")) === "", "no view failed to load");

  // Timeline: one bar per (period, quad) row of the series, heights summing to its events.
  const period = await page.textContent("#timeline-period");
  const series = (await api(`/api/series?period=${period}&by=quad`)).series;
  const bars = await page.$$eval("#timeline rect.bar", (rs) => rs.map((r) => Number(r.dataset.count)));
  check(bars.length === series.length && bars.length > 0, `timeline: ${bars.length} bars for ${series.length} series rows (${period})`);
  check(sum(bars) === sum(series.map((r) => r.events)), `timeline: bars add up to ${sum(series.map((r) => r.events))} events`);

  // Map: every country of the API that has a shape shows its count.
  const countries = (await api("/api/countries")).countries;
  const shapes = await page.$$eval("#map path.country", (ps) => ps.map((p) => [p.dataset.code, Number(p.dataset.count)]));
  const shown = new Map(shapes);
  const onMap = countries.filter((c) => shown.has(c.country));
  check(shapes.length > 150, `map: ${shapes.length} country shapes`);
  check(onMap.length > 0 && onMap.every((c) => shown.get(c.country) === c.events), `map: ${onMap.length} countries shaded with the API's counts`);
  check(sum([...shown.values()]) === sum(onMap.map((c) => c.events)), "map: no count without an API row");

  // Network: one edge per dyad between two different sides.
  const dyads = (await api("/api/dyads?n=60")).dyads.filter((d) => d.actor !== d.recipient);
  const edges = await page.$$eval("#network line.edge", (ls) => ls.map((l) => `${l.dataset.actor}>${l.dataset.recipient}:${l.dataset.events}`));
  check(edges.length === dyads.length && edges.length > 0, `network: ${edges.length} edges for ${dyads.length} dyads`);
  check(dyads.every((d) => edges.includes(`${d.actor}>${d.recipient}:${d.events}`)), "network: edges carry the API's dyads and counts");
  check((await page.$$("#network g.node")).length > 1, "network: nodes drawn");

  // Event table.
  const events = await api("/api/events?offset=0&limit=25");
  check(Number(await page.getAttribute("#events-total", "data-total")) === events.total, `table: total ${events.total} as the API's`);
  const rows = await page.$$eval("#events tbody tr", (trs) => trs.map((t) => t.dataset.event));
  check(rows.length === events.events.length && rows.every((id, i) => id === events.events[i].event_id), `table: ${rows.length} rows, the API's first page in order`);
  await page.screenshot({ path: `${shots}/dashboard.png`, fullPage: false });
  // A light copy for the README (docs/dashboard.jpg).
  await page.screenshot({ path: `${shots}/dashboard.jpg`, type: "jpeg", quality: 70 });
  for (const id of ["timeline", "map", "network", "events"]) {
    await page.locator(`#${id}`).screenshot({ path: `${shots}/${id}.png` });
  }

  // Click through to an article: the row's event is selected and its spans highlighted.
  const first = events.events.find((e) => e.actor && e.recipient) || events.events[0];
  await page.click(`#events tbody tr[data-event="${first.event_id}"]`);
  await page.waitForSelector("#article:not([hidden]) .event-list li");
  const article = await api(`/api/articles/${encodeURIComponent(first.article_id)}`);
  const items = await page.$$eval("#article .event-list li", (lis) => lis.length);
  check(items === article.events.length, `article ${first.article_id}: ${items} events listed, ${article.events.length} in the API`);
  check((await page.$$("#article .event-list li.selected")).length === 1, "article: the clicked event is selected");
  check((await page.$$("#article .doc .trigger")).length > 0, "article: trigger highlighted");
  check((await page.$$("#article .doc .actor")).length > 0, "article: actor highlighted");
  check(first.recipient === "" || (await page.$$("#article .doc .recipient")).length > 0, "article: recipient highlighted");
  check((await page.textContent("#article .event-list li.selected")).includes(first.rule), "article: the event's rule is shown");
  const docText = await page.textContent("#article .doc");
  check(docText === article.text, "article: the whole text is shown, unchanged");
  if (article.quotes.length) check((await page.$$("#article .doc .quote")).length > 0, "article: quotes highlighted");
  await page.locator("#article").screenshot({ path: `${shots}/article.png` });

  // Filters: material conflict only.
  await page.selectOption("#filters select[name=quad]", "4");
  await redrawn(() => page.click("#filters button[type=submit]"));
  const conflict = await api("/api/events?quad=4&offset=0&limit=25");
  check(Number(await page.getAttribute("#events-total", "data-total")) === conflict.total, `filter quad=4: table total ${conflict.total} as the API's`);
  const quads = await page.$$eval("#timeline rect.bar", (rs) => [...new Set(rs.map((r) => r.dataset.quad))]);
  check(quads.length === 1 && quads[0] === "4", "filter quad=4: the timeline shows only quad 4");
  if (conflict.total > 25) {
    await page.click("#next");
    await page.waitForFunction(() => document.getElementById("page").textContent.startsWith("26"));
    const second = await api(`/api/events?quad=4&limit=25&after=${encodeURIComponent(conflict.next)}`);
    const byOffset = await api("/api/events?quad=4&offset=25&limit=25");
    const ids = await page.$$eval("#events tbody tr", (trs) => trs.map((t) => t.dataset.event));
    check(ids[0] === second.events[0].event_id && ids.join() === byOffset.events.map((e) => e.event_id).join(),
      "paging: the second page is the API's (by cursor and by offset)");
  }
  await redrawn(() => page.click("#reset-filters"));

  // Code this text, and explain it.
  const request = await page.evaluate(() => ({
    text: document.querySelector("#code-form textarea").value,
    date: document.querySelector("#code-form input[name=date]").value,
  }));
  const coded = await api("/api/code", request);
  await page.click("#code-form button[type=submit]");
  await page.waitForSelector("#code-result .event-list li");
  const codedItems = await page.$$eval("#code-result .event-list li", (lis) => lis.length);
  check(coded.events.length > 0 && codedItems === coded.events.length, `code: ${codedItems} events shown, ${coded.events.length} from the API`);
  check((await page.$$("#code-result .doc .trigger")).length > 0, "code: triggers highlighted");
  await page.click("#explain-button");
  await page.waitForSelector("#explain-result .explained");
  const explained = await api("/api/explain", request);
  check((await page.$$("#explain-result .explained")).length === explained.sentences.length, `explain: ${explained.sentences.length} sentences explained`);
  await page.locator("#code").screenshot({ path: `${shots}/code.png` });

  // A bad filter value is reported on the page, not thrown. Up to here, no console error
  // at all; after it, only the browser's note of the 400 answer.
  check(consoleErrors.length === 0, `no console errors${consoleErrors.length ? `: ${consoleErrors.join(" | ")}` : ""}`);
  consoleErrors.length = 0;
  await page.fill("#filters input[name=from]", "");
  await page.fill("#filters input[name=text]", "\"unclosed");
  await redrawn(() => page.click("#filters button[type=submit]"));
  check((await page.textContent("#filter-error")).includes("full-text"), "a malformed search is reported on the page");
} catch (e) {
  failures.push(`test stopped: ${e.stack || e}`);
  console.error(e);
  await page.screenshot({ path: `${shots}/failure.png`, fullPage: true }).catch(() => {});
} finally {
  await browser.close();
}

const unexpected = consoleErrors.filter((m) => !m.includes("400 (Bad Request)"));
check(unexpected.length === 0, `no console errors after the bad search but its 400${unexpected.length ? `: ${unexpected.join(" | ")}` : ""}`);
check(outside.length === 0, `no request left the server${outside.length ? `: ${outside.join(", ")}` : ""}`);
console.log(failures.length ? `browser test: ${failures.length} failed` : `browser test: all checks passed; screenshots in ${shots}`);
process.exit(failures.length ? 1 : 0);
