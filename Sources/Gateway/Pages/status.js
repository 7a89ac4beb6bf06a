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

// The upper bound of the bucket holding quantile q, over every call's histogram.
function quantile(samples, q) {
  const buckets = new Map();
  for (const s of samples.filter(s => s.name === "futures_gateway_request_duration_seconds_bucket")) {
    buckets.set(s.labels.le, (buckets.get(s.labels.le) || 0) + s.value);
  }
  const bounds = [...buckets.keys()].sort((a, b) => (a === "+Inf") - (b === "+Inf") || Number(a) - Number(b));
  const total = buckets.get("+Inf") || 0;
  if (total === 0) return "–";
  for (const le of bounds) if (buckets.get(le) >= q * total) return le === "+Inf" ? "> " + bounds.at(-2) * 1000 : String(Number(le) * 1000);
  return "–";
}
const set = (id, value) => { document.getElementById(id).textContent = value; };

async function refresh() {
  try {
    const [metrics, ready] = await Promise.all([
      fetch("/metrics", { headers }).then(r => r.text()),
      fetch("/readyz", { headers }).then(r => r.json()),
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
    const rows = samples.filter(s => s.name === "futures_gateway_rate_limit_limit").map(limit => {
      const used = sum(samples, "futures_gateway_rate_limit_used",
                       l => l.kind === limit.labels.kind && l.interval === limit.labels.interval);
      const id = (limit.labels.kind + "-" + limit.labels.interval).toLowerCase();
      return `<tr><td>${limit.labels.kind} / ${limit.labels.interval}</td><td id="used-${id}">${used}</td>` +
             `<td id="limit-${id}">${limit.value}</td><td>${limit.value - used}</td></tr>`;
    });
    document.getElementById("limits").innerHTML = rows.join("");
    set("updated", "updated " + new Date().toLocaleTimeString());
    previous = { answered, at: now };
  } catch (error) {
    set("state", "unreachable");
    document.getElementById("state").className = "badge down";
  }
}
refresh();
setInterval(refresh, 1000);
