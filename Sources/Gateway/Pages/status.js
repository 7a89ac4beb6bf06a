"use strict";
// The status page's script: reads /metrics, /readyz and /status.json every two seconds and fills
// the page. Behind a bearer token, open the page as /#token=<token>.
const token = new URLSearchParams(location.hash.slice(1)).get("token");
const headers = token ? { Authorization: "Bearer " + token } : {};
let previous = null;

// Prometheus text: [{name, labels: {k: v}, value}]
function parse(text) {
  const samples = [];
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const match = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})?\s+(\S+)$/);
    if (!match) continue;
    const labels = {};
    for (const pair of (match[3] || "").matchAll(/([a-zA-Z_]+)="([^"]*)"/g)) labels[pair[1]] = pair[2];
    samples.push({ name: match[1], labels, value: Number(match[4]) });
  }
  return samples;
}
const sum = (samples, name, where = () => true) =>
  samples.filter(s => s.name === name && where(s.labels)).reduce((total, s) => total + s.value, 0);

// The upper bound (ms) of the bucket holding quantile q of the histogram samples `where` selects.
function quantile(samples, q, where = () => true) {
  const buckets = new Map();
  for (const s of samples.filter(s => s.name === "futures_gateway_request_duration_seconds_bucket" && where(s.labels))) {
    buckets.set(s.labels.le, (buckets.get(s.labels.le) || 0) + s.value);
  }
  const bounds = [...buckets.keys()].sort((a, b) => (a === "+Inf") - (b === "+Inf") || Number(a) - Number(b));
  const total = buckets.get("+Inf") || 0;
  if (total === 0) return "–";
  for (const le of bounds) if (buckets.get(le) >= q * total) return le === "+Inf" ? "> " + bounds.at(-2) * 1000 : String(Number(le) * 1000);
  return "–";
}

function el(name, attributes = {}, ...children) {
  const node = document.createElement(name);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === "class") node.className = value; else node.setAttribute(key, value);
  }
  for (const child of children.flat()) if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  return node;
}
const set = (id, value) => { document.getElementById(id).textContent = value; };
const row = (cells, attributes = {}) => el("tr", attributes, cells.map(cell => cell instanceof Node ? cell : el("td", {}, cell)));
const time = millis => new Date(millis).toLocaleTimeString([], { hour12: false });

// A line chart of `series` ([{values, class}]) in a 300×80 SVG; null values leave gaps.
function chart(id, series, floor = 1) {
  const svg = document.getElementById(id);
  const all = series.flatMap(s => s.values).filter(v => v !== null && Number.isFinite(v));
  const top = Math.max(floor, ...all) * 1.1;
  const ns = "http://www.w3.org/2000/svg";
  const shapes = [];
  for (const fraction of [0.25, 0.5, 0.75]) {
    const line = document.createElementNS(ns, "line");
    Object.entries({ x1: 0, x2: 300, y1: 80 * fraction, y2: 80 * fraction, class: "grid" }).forEach(([k, v]) => line.setAttribute(k, v));
    shapes.push(line);
  }
  for (const s of series) {
    const count = s.values.length;
    let points = [];
    const flush = () => {
      if (points.length) {
        const line = document.createElementNS(ns, "polyline");
        // A lone point is drawn as a dash one step wide, so it shows.
        const dash = p => { const [x, y] = p.split(","); return [Math.max(0, x - 3).toFixed(1) + "," + y, p]; };
        line.setAttribute("points", (points.length === 1 ? dash(points[0]) : points).join(" "));
        line.setAttribute("class", "line " + s.class);
        shapes.push(line);
      }
      points = [];
    };
    s.values.forEach((value, index) => {
      if (value === null || !Number.isFinite(value)) { flush(); return; }
      const x = count > 1 ? (index * 300) / (count - 1) : 0;
      points.push(x.toFixed(1) + "," + (80 - (value / top) * 78).toFixed(1));
    });
    flush();
  }
  svg.replaceChildren(...shapes);
  svg.dataset.points = String(all.length);
  svg.dataset.peak = String(all.length ? Math.max(...all) : 0);
}

function callTable(samples) {
  const calls = [...new Set(samples.filter(s => s.name === "futures_gateway_requests_total").map(s => s.labels.call))].sort();
  document.getElementById("calls").replaceChildren(...calls.map(call => {
    const ofCall = l => l.call === call;
    const count = sum(samples, "futures_gateway_requests_total", ofCall);
    const errors = sum(samples, "futures_gateway_requests_total", l => ofCall(l) && Number(l.status) >= 400);
    return row([el("td", { class: "mono" }, call), el("td", { id: "call-count-" + call }, count),
      el("td", { id: "call-errors-" + call }, errors), el("td", { id: "call-p99-" + call }, quantile(samples, 0.99, ofCall))]);
  }));
  if (calls.length === 0) document.getElementById("calls").replaceChildren(row([el("td", { colspan: 4 }, "no calls yet")]));
}

function shownAnswer(text) {
  try { const answer = JSON.parse(text); if (answer && answer.msg !== undefined) return answer.code + " " + answer.msg; } catch (_) { /* cut or not JSON */ }
  return text;
}

function history(data) {
  const steps = data.steps;
  chart("chart-rate", [{ values: steps.map(s => s.rate), class: "rate" }]);
  chart("chart-latency", [{ values: steps.map(s => s.p50), class: "p50" }, { values: steps.map(s => s.p99), class: "p99" }]);
  chart("chart-limits", [{ values: steps.map(s => s.rateLimitUse === null ? null : s.rateLimitUse * 100), class: "use" }], 10);
  const last = steps.at(-1) || {};
  set("rate-now", last.rate !== undefined ? last.rate.toFixed(1) + "/s now" : "");
  set("latency-now", last.p99 !== null && last.p99 !== undefined ? "p99 ≤ " + last.p99 + " ms now" : "");
  set("limit-now", last.rateLimitUse !== null && last.rateLimitUse !== undefined ? (last.rateLimitUse * 100).toFixed(1) + "% now" : "");
  const errors = document.getElementById("errors");
  errors.replaceChildren(...data.errors.map(e => row([el("td", {}, time(e.at)), el("td", { class: "mono" }, e.call), el("td", {}, e.status),
    el("td", { class: "mono request-id" }, e.requestId || "–"), el("td", { class: "mono" }, shownAnswer(e.answer))])));
  if (data.errors.length === 0) errors.replaceChildren(row([el("td", { colspan: 5 }, "none")]));
  document.getElementById("connection").replaceChildren(...data.connection.map(event =>
    el("li", {}, el("time", {}, time(event.at)), el("span", { class: "kind-" + event.kind }, event.kind), " ", event.detail)));
  const paper = data.paperAccount;
  document.getElementById("paper").classList.toggle("hidden", !paper);
  if (!paper) return;
  const usdt = paper.balance.find(b => b.asset === "USDT") || paper.balance[0] || {};
  document.getElementById("paper-balance").replaceChildren(
    el("dt", {}, "Wallet (" + (usdt.asset || "USDT") + ")"), el("dd", { id: "paper-wallet" }, usdt.balance || "–"),
    el("dt", {}, "Available"), el("dd", { id: "paper-available" }, usdt.availableBalance || "–"),
    el("dt", {}, "Unrealized PnL"), el("dd", {}, usdt.crossUnPnl || "–"));
  const positions = paper.positions.filter(p => Number(p.positionAmt) !== 0);
  document.getElementById("positions").replaceChildren(...(positions.length ? positions.map(p => row([p.symbol, p.positionSide,
    p.positionAmt, p.entryPrice, p.unrealizedProfit ?? p.unRealizedProfit])) : [row([el("td", { colspan: 5 }, "no positions")])]));
  document.getElementById("open-orders").replaceChildren(...(paper.openOrders.length ? paper.openOrders.map(o => row([
    el("td", { class: "mono" }, o.orderId), o.symbol, o.side, o.type, o.price, o.origQty], { "data-order-id": String(o.orderId) }))
    : [row([el("td", { colspan: 6 }, "no open orders")])]));
}

async function refresh() {
  try {
    const [metrics, ready, data] = await Promise.all([
      fetch("/metrics", { headers }).then(r => r.text()),
      fetch("/readyz", { headers }).then(r => r.json()),
      fetch("/status.json", { headers }).then(r => r.json()),
    ]);
    const samples = parse(metrics);
    const now = performance.now();
    const answered = sum(samples, "futures_gateway_requests_total");
    set("state", ready.status);
    document.getElementById("state").className = "badge " + (ready.status === "ready" ? "ready" : "down");
    set("ws-connected", ready.upstreamConnected ? "connected" : "down");
    set("rest-protocol", ready.rest && ready.rest.protocol ? ready.rest.protocol : "–");
    set("session", ready.sessionLoggedOn ? "yes" : "no");
    set("clock-offset", String(ready.clockOffsetMillis));
    set("connects", String(sum(samples, "futures_gateway_upstream_connects_total")));
    set("reconnects", String(sum(samples, "futures_gateway_upstream_reconnects_total")));
    set("rotations", String(sum(samples, "futures_gateway_upstream_rotations_total")));
    set("requests-total", String(answered));
    set("request-rate", previous ? ((answered - previous.answered) * 1000 / (now - previous.at)).toFixed(1) : "–");
    set("in-flight", String(sum(samples, "futures_gateway_requests_in_flight")));
    set("upstream-in-flight", String(sum(samples, "futures_gateway_upstream_in_flight")));
    set("local-429", String(sum(samples, "futures_gateway_local_rate_limited_total")));
    set("p50", quantile(samples, 0.5));
    set("p90", quantile(samples, 0.9));
    set("p99", quantile(samples, 0.99));
    document.getElementById("limits").replaceChildren(...samples.filter(s => s.name === "futures_gateway_rate_limit_limit").map(limit => {
      const used = sum(samples, "futures_gateway_rate_limit_used",
                       l => l.kind === limit.labels.kind && l.interval === limit.labels.interval);
      const id = (limit.labels.kind + "-" + limit.labels.interval).toLowerCase();
      return row([el("td", { class: "mono" }, limit.labels.kind.toLowerCase().replace("_", " ") + " / " + limit.labels.interval),
        el("td", { id: "used-" + id }, used), el("td", { id: "limit-" + id }, limit.value), el("td", {}, limit.value - used)]);
    }));
    callTable(samples);
    history(data);
    set("updated", "updated " + new Date().toLocaleTimeString([], { hour12: false }));
    previous = { answered, at: now };
    document.body.dataset.ready = String(Number(document.body.dataset.ready || 0) + 1);
  } catch (error) {
    set("state", "unreachable");
    document.getElementById("state").className = "badge down";
  }
}
refresh();
setInterval(refresh, 2000);
