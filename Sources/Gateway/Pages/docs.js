"use strict";
// The API reference and "try it" forms, built in the browser from this gateway's /openapi.json.
// Behind a bearer token, open the page as /docs#token=<token>: every request sends it.
const token = new URLSearchParams(location.hash.slice(1)).get("token");
const auth = token ? { Authorization: "Bearer " + token } : {};
const methods = ["get", "post", "put", "delete"];

// A DOM element with attributes and children (strings become text, never HTML).
function el(name, attributes = {}, ...children) {
  const node = document.createElement(name);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === "class") node.className = value; else node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

// Text with `code` spans, as the contract writes them.
function prose(text, name = "p", attributes = {}) {
  const parts = String(text || "").split("`");
  return el(name, attributes, parts.map((part, index) => (index % 2 ? el("code", {}, part) : part)));
}

function resolver(spec) {
  return function resolve(value) {
    let seen = 0;
    while (value && typeof value.$ref === "string" && value.$ref.startsWith("#/") && seen++ < 16) {
      value = value.$ref.slice(2).split("/").reduce((node, key) => (node ? node[key.replace(/~1/g, "/").replace(/~0/g, "~")] : undefined), spec);
    }
    return value;
  };
}

const title = name => name.charAt(0).toUpperCase() + name.slice(1).replace(/-/g, " ");
const typeText = schema => {
  if (!schema) return "";
  if (schema.enum) return schema.enum.join(" | ");
  const type = Array.isArray(schema.type) ? schema.type.join(" | ") : schema.type || (schema.oneOf ? "one of" : "");
  return schema.type === "array" && schema.items ? "array of " + typeText(schema.items) : type;
};

// Every operation of the contract: the calls' GET forms fold into their POST.
function operations(spec) {
  const list = [];
  for (const [path, item] of Object.entries(spec.paths || {})) {
    for (const method of methods) {
      const operation = item[method];
      if (!operation) continue;
      if (method === "get" && item.post && path.startsWith("/v1/")) continue;
      list.push({ path, method, operation, alsoGet: method === "post" && Boolean(item.get) });
    }
  }
  return list;
}

function parameterRows(resolve, operation, body) {
  const rows = [];
  for (const parameter of (operation.parameters || []).map(resolve)) {
    rows.push([parameter.name, parameter.in, typeText(resolve(parameter.schema)), parameter.required, parameter.description]);
  }
  const schema = body && resolve(body.schema);
  for (const [name, property] of Object.entries((schema && schema.properties) || {})) {
    const resolved = resolve(property);
    const detail = [resolved.description, resolved.pattern ? "pattern " + resolved.pattern : null].filter(Boolean).join("; ");
    rows.push([name, "body", typeText(resolved), (schema.required || []).includes(name), detail]);
  }
  if (rows.length === 0) return el("p", { class: "note" }, "No parameters.");
  return el("table", {},
    el("thead", {}, el("tr", {}, ["Name", "In", "Type", "Description"].map(h => el("th", {}, h)))),
    el("tbody", {}, rows.map(([name, place, type, required, description]) => el("tr", {},
      el("td", { class: "mono" }, name, required ? el("span", { class: "required" }, "required") : null),
      el("td", {}, place), el("td", { class: "mono" }, type), prose(description, "td")))));
}

function exampleOf(body) {
  if (!body) return null;
  if (body.example !== undefined) return body.example;
  const examples = Object.values(body.examples || {});
  return examples.length ? examples[0].value : {};
}

// The "try it" form: sends the request to this gateway and shows the answer and its headers.
function tryIt(resolve, { path, method, operation }, body) {
  const parameters = (operation.parameters || []).map(resolve).filter(p => ["path", "query", "header"].includes(p.in));
  const inputs = parameters.map(p => el("input", { type: "text", name: p.name, "data-in": p.in,
    value: p.example !== undefined ? String(p.example) : (p.schema && p.schema.default !== undefined ? String(p.schema.default) : "") }));
  const example = exampleOf(body);
  const textarea = body ? el("textarea", { name: "body", spellcheck: "false" }, JSON.stringify(example, null, 2)) : null;
  const answer = el("div", { class: "answer hidden" });
  const form = el("form", { "data-operation": operation.operationId || path },
    parameters.map((p, index) => el("label", {}, p.name + " (" + p.in + ")", inputs[index])),
    textarea ? el("label", {}, "Body (JSON)", textarea) : null,
    el("button", { type: "submit" }, "Send"), answer);
  form.addEventListener("submit", async event => {
    event.preventDefault();
    let url = path;
    const query = new URLSearchParams();
    parameters.forEach((p, index) => {
      const value = inputs[index].value;
      if (p.in === "path") url = url.replace("{" + p.name + "}", encodeURIComponent(value));
      else if (p.in === "query" && value !== "") query.set(p.name, value);
    });
    if ([...query].length) url += "?" + query;
    const headers = { ...auth };
    parameters.forEach((p, index) => { if (p.in === "header" && inputs[index].value !== "") headers[p.name] = inputs[index].value; });
    const init = { method: method.toUpperCase(), headers };
    if (textarea) { headers["Content-Type"] = "application/json"; init.body = textarea.value; }
    answer.className = "answer";
    answer.replaceChildren(el("p", { class: "note" }, "Sending…"));
    const started = performance.now();
    try {
      const response = await fetch(url, init);
      const text = await response.text();
      const lines = [];
      response.headers.forEach((value, name) => lines.push(name + ": " + value));
      let shown = text;
      try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch (_) { /* not JSON: shown as it is */ }
      answer.dataset.status = String(response.status);
      answer.replaceChildren(
        el("p", { class: "status " + (response.ok ? "ok" : "error") },
          method.toUpperCase() + " " + url + " → " + response.status + " " + response.statusText +
          " (" + Math.round(performance.now() - started) + " ms)"),
        el("p", { class: "note" }, "Headers"), el("pre", { class: "headers" }, lines.join("\n")),
        el("p", { class: "note" }, "Answer"), el("pre", { class: "body" }, shown));
    } catch (error) {
      answer.dataset.status = "failed";
      answer.replaceChildren(el("p", { class: "status error" }, "The request failed: " + error));
    }
  });
  return el("details", {}, el("summary", {}, "Try it"), form);
}

function article(resolve, entry) {
  const { path, method, operation, alsoGet } = entry;
  const content = operation.requestBody && resolve(operation.requestBody).content;
  const body = content && resolve(content["application/json"]);
  const example = exampleOf(body);
  return el("article", { id: operation.operationId || path, "data-search": (path + " " + (operation.summary || "")).toLowerCase() },
    el("h3", {}, el("span", { class: "method " + method }, method.toUpperCase()), el("span", { class: "path" }, path)),
    prose(operation.summary, "p", { class: "summary" }),
    operation.description ? prose(operation.description, "p", { class: "note" }) : null,
    alsoGet ? prose("Also `GET " + path + "?name=value` for the same parameters (calls that change nothing).", "p", { class: "note" }) : null,
    parameterRows(resolve, operation, body),
    example !== null ? [el("p", { class: "note" }, "Example"), el("pre", {}, "curl -s " + location.origin + path +
      " -H 'Content-Type: application/json'" + (token ? " -H 'Authorization: Bearer …'" : "") + " -d '" + JSON.stringify(example) + "'")] : null,
    tryIt(resolve, entry, body));
}

function render(spec) {
  const resolve = resolver(spec);
  const all = operations(spec);
  const tagOf = entry => (entry.operation.tags && entry.operation.tags[0]) || "other";
  const tags = (spec.tags || []).map(t => t.name);
  for (const entry of all) if (!tags.includes(tagOf(entry))) tags.push(tagOf(entry));
  const isCall = tag => all.some(entry => tagOf(entry) === tag && entry.path.startsWith("/v1/ws_futures"));
  const ordered = [...tags.filter(isCall), ...tags.filter(tag => !isCall(tag))];
  const main = document.getElementById("calls");
  const nav = document.getElementById("nav");
  main.replaceChildren();
  for (const tag of ordered) {
    const entries = all.filter(entry => tagOf(entry) === tag);
    if (entries.length === 0) continue;
    const description = ((spec.tags || []).find(t => t.name === tag) || {}).description;
    main.append(el("section", { class: "group", id: "group-" + tag }, el("h2", {}, title(tag)),
      description ? prose(description) : null, entries.map(entry => article(resolve, entry))));
    nav.append(el("h2", {}, title(tag)), ...entries.map(entry =>
      el("a", { href: "#" + (entry.operation.operationId || entry.path), "data-for": entry.operation.operationId || entry.path },
        entry.path.replace(/^\/v1\/(ws_futures_)?/, ""))));
  }
  document.body.dataset.ready = String(all.length);
}

document.getElementById("filter").addEventListener("input", event => {
  const words = event.target.value.toLowerCase().trim();
  for (const node of document.querySelectorAll("article")) {
    const shown = !words || node.dataset.search.includes(words);
    node.classList.toggle("hidden", !shown);
    const link = document.querySelector(`nav a[data-for="${CSS.escape(node.id)}"]`);
    if (link) link.classList.toggle("hidden", !shown);
  }
});

// In-page links keep the token: the fragment holds both only before the first jump.
document.getElementById("nav").addEventListener("click", event => {
  const link = event.target.closest("a");
  if (!link) return;
  event.preventDefault();
  const target = document.getElementById(link.getAttribute("href").slice(1));
  if (target) target.scrollIntoView({ behavior: "smooth" });
});

fetch("/openapi.json", { headers: auth })
  .then(response => { if (!response.ok) throw new Error("HTTP " + response.status); return response.json(); })
  .then(render)
  .catch(error => {
    document.getElementById("calls").replaceChildren(el("p", {}, "Cannot read /openapi.json: " + error +
      (token ? "" : " (behind a bearer token, open this page as /docs#token=<token>)")));
  });
