// Gerbang operator screens: shared helpers and the screen registry. Each screen beyond the
// shell lives in its own module under web/screens/ and registers itself with addScreen();
// app.js gives it a route (#/perjanjian/{id}/{key}), a menu entry for the roles it names,
// and the generic view section to draw into. Every value from the server goes on the page
// with textContent, never as HTML (the Content-Security-Policy forbids inline script).

export const state = { session: null, agreements: [], current: null };

export const $ = (id) => document.getElementById(id);

export function setStatus(text) { $("status").textContent = text || ""; }

// Calls the REST API. State-changing calls carry the session's CSRF token.
export async function api(method, path, body) {
  const headers = { "Accept": "application/json" };
  // A File/Blob (an upload) goes as it is, with its own media type; anything else as JSON.
  const raw = body instanceof Blob;
  if (body !== undefined) headers["Content-Type"] = raw ? (body.type || "application/octet-stream") : "application/json";
  if (method !== "GET" && state.session && state.session.csrfToken) {
    headers["X-CSRF-Token"] = state.session.csrfToken;
  }
  const res = await fetch(path, {
    method, headers, credentials: "same-origin", cache: "no-store",
    body: body === undefined ? undefined : raw ? body : JSON.stringify(body),
  });
  let data = null;
  try { data = await res.json(); } catch (_) { data = null; }
  if (!res.ok) {
    const err = new Error((data && data.message) || `Permintaan gagal (HTTP ${res.status}).`);
    err.status = res.status;
    err.code = data && data.error;
    err.data = data;  // e.g. per-field "errors" of a balikan record
    throw err;
  }
  return data;
}

export function show(view) {
  for (const v of document.querySelectorAll(".view")) v.hidden = v.id !== `view-${view}`;
  $("nav").hidden = view === "login";
}

export function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

export function daysText(a) {
  if (a.daysLeft > 0) return `Sisa ${a.daysLeft.toLocaleString("id-ID")} hari (berakhir ${formatDate(a.endsOn)})`;
  if (a.daysLeft === 0) return `Berakhir hari ini (${formatDate(a.endsOn)})`;
  return `Berakhir ${(-a.daysLeft).toLocaleString("id-ID")} hari lalu (${formatDate(a.endsOn)})`;
}

// "2027-09-16" → "16-09-2027", the registry's own date format.
export function formatDate(iso) {
  const [y, m, d] = iso.split("-");
  return `${d}-${m}-${y}`;
}


// ----- screen registry ------------------------------------------------------------------

// Screens added by modules: { key, label, roles, order, render(agreement, container) }.
// key is the last part of the route, label the menu text (Indonesian), roles the session
// roles that see it (the server checks them again), render draws into container (a fresh,
// empty element) and may throw an api() error.
export const screens = [];

export function addScreen(screen) {
  if (!/^[a-z0-9-]+$/.test(screen.key)) throw new Error(`bad screen key ${screen.key}`);
  screens.push(screen);
  screens.sort((a, b) => (a.order || 50) - (b.order || 50));
}

// Small form helpers the screens share.
export function field(container, { id, label, type = "text", required = false, maxlength,
                                   pattern, hint, value, options }) {
  const wrap = el("div", "field");
  const l = el("label", "", label + (required ? " *" : ""));
  l.htmlFor = id;
  let input;
  if (options) {
    input = el("select");
    if (!required) input.append(new Option("—", ""));
    for (const o of options) input.append(new Option(o.label || o, o.value || o));
  } else {
    input = el("input");
    input.type = type;
    if (maxlength) input.maxLength = maxlength;
    if (pattern) input.pattern = pattern;
    input.autocomplete = "off";
    input.spellcheck = false;
  }
  input.id = id;
  input.name = id;
  if (required) input.required = true;
  if (value !== undefined) input.value = value;
  wrap.append(l, input);
  if (hint) wrap.append(el("p", "hint", hint));
  container.append(wrap);
  return input;
}

// A table from rows of cell texts; headers are column titles.
export function table(headers, rows, cls = "checks") {
  const t = el("table", cls);
  const head = el("thead");
  const tr = el("tr");
  for (const h of headers) { const th = el("th", "", h); th.scope = "col"; tr.append(th); }
  head.append(tr);
  const body = el("tbody");
  for (const r of rows) {
    const row = el("tr");
    for (const c of r) row.append(c instanceof Node ? (() => { const td = el("td"); td.append(c); return td; })() : el("td", "", c === null || c === undefined ? "" : String(c)));
    body.append(row);
  }
  t.append(head, body);
  return t;
}

export const fmtNumber = (v) => Number(v).toLocaleString("id-ID");
