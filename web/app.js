// Gerbang operator screens: the shell (login, agreement picker, agreement view) into which
// the lookup, balikan, dashboard, supervisor and admin screens are added. Plain modern JS,
// no framework, no inline script (the Content-Security-Policy forbids it). Every value from
// the server is put on the page with textContent, never as HTML.

const state = { session: null, agreements: [], current: null };

const $ = (id) => document.getElementById(id);

function setStatus(text) { $("status").textContent = text || ""; }

// Calls the REST API. State-changing calls carry the session's CSRF token.
async function api(method, path, body) {
  const headers = { "Accept": "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && state.session && state.session.csrfToken) {
    headers["X-CSRF-Token"] = state.session.csrfToken;
  }
  const res = await fetch(path, {
    method, headers, credentials: "same-origin", cache: "no-store",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let data = null;
  try { data = await res.json(); } catch (_) { data = null; }
  if (!res.ok) {
    const err = new Error((data && data.message) || `Permintaan gagal (HTTP ${res.status}).`);
    err.status = res.status;
    err.code = data && data.error;
    throw err;
  }
  return data;
}

function show(view) {
  for (const v of document.querySelectorAll(".view")) v.hidden = v.id !== `view-${view}`;
  $("nav").hidden = view === "login";
}

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function daysText(a) {
  if (a.daysLeft > 0) return `Sisa ${a.daysLeft.toLocaleString("id-ID")} hari (berakhir ${formatDate(a.endsOn)})`;
  if (a.daysLeft === 0) return `Berakhir hari ini (${formatDate(a.endsOn)})`;
  return `Berakhir ${(-a.daysLeft).toLocaleString("id-ID")} hari lalu (${formatDate(a.endsOn)})`;
}

// "2027-09-16" → "16-09-2027", the registry's own date format.
function formatDate(iso) {
  const [y, m, d] = iso.split("-");
  return `${d}-${m}-${y}`;
}

// ----- navigation -----------------------------------------------------------------------

function renderNav() {
  const s = state.session;
  $("nav-user").textContent = s ? `${s.username} · ${s.roleLabel}` : "";
  $("nav-agreement").textContent = state.current ? state.current.title : "";
  const links = $("nav-links");
  links.replaceChildren();
  const add = (href, text) => {
    const li = el("li");
    const a = el("a", "", text);
    a.href = href;
    li.append(a);
    links.append(li);
  };
  if (state.current) add(`#/perjanjian/${encodeURIComponent(state.current.id)}`, "Ringkasan");
  add("#/pilih", "Ganti perjanjian");
}

// Goes to a screen: hashchange runs route() when the hash changes; when it does not,
// route() runs here (never both, or a screen would be rendered twice).
async function navigate(hash) {
  if (location.hash === hash) await route();
  else location.hash = hash;
}

async function route() {
  if (!state.session) { showLogin(); return; }
  const hash = location.hash || "#/pilih";
  const m = hash.match(/^#\/perjanjian\/([^/]+)$/);
  if (m) {
    await showAgreement(decodeURIComponent(m[1]));
  } else {
    await showPicker();
  }
}

// ----- login ----------------------------------------------------------------------------

function showLogin() {
  state.current = null;
  show("login");
  $("login-error").hidden = true;
  $("login-username").focus();
}

async function onLogin(ev) {
  ev.preventDefault();
  const username = $("login-username").value.trim();
  const password = $("login-password").value;
  const errBox = $("login-error");
  errBox.hidden = true;
  if (!username || !password) {
    errBox.textContent = "Isi nama pengguna dan kata sandi.";
    errBox.hidden = false;
    return;
  }
  const btn = $("login-submit");
  btn.disabled = true;
  try {
    state.session = await api("POST", "/api/v1/session", { username, password });
    $("login-password").value = "";
    await navigate("#/pilih");
  } catch (e) {
    errBox.textContent = e.message;
    errBox.hidden = false;
    $("login-password").value = "";
    $("login-password").focus();
  } finally {
    btn.disabled = false;
  }
}

async function onLogout() {
  try { await api("DELETE", "/api/v1/session"); } catch (_) { /* the session may be gone */ }
  state.session = null;
  state.current = null;
  history.replaceState(null, "", location.pathname);  // no hashchange: keep the message
  setStatus("Anda telah keluar.");
  showLogin();
}

// ----- agreement picker -----------------------------------------------------------------

async function showPicker() {
  state.current = null;
  renderNav();
  show("picker");
  const list = $("picker-list");
  const data = await api("GET", "/api/v1/agreements");
  const items = [];
  state.agreements = data.agreements;
  $("picker-today").textContent = `Hari ini: ${formatDate(data.today)} (WIB)`;
  $("picker-empty").hidden = data.agreements.length > 0;
  for (const a of data.agreements) {
    const li = el("li");
    const b = el("button", "agreement");
    b.type = "button";
    b.dataset.id = a.id;
    b.append(el("span", "title", a.title));
    b.append(el("span", "pks", `PKS ${a.pksNumber}`));
    const cell = el("span", "badge-col");
    cell.append(el("span", `badge ${a.status}`, a.statusLabel), el("span", "days", daysText(a)));
    b.append(cell);
    b.setAttribute("aria-label", `${a.title}, ${a.statusLabel}, ${daysText(a)}`);
    b.addEventListener("click", () => { location.hash = `#/perjanjian/${encodeURIComponent(a.id)}`; });
    li.append(b);
    items.push(li);
  }
  // Replaced in one go after the answer arrives, so overlapping renders cannot interleave.
  list.replaceChildren(...items);
  const first = list.querySelector("button");
  if (first) first.focus();
}

// Arrow keys move between the picker's entries (Tab works too).
function onPickerKey(ev) {
  if (ev.key !== "ArrowDown" && ev.key !== "ArrowUp" && ev.key !== "Home" && ev.key !== "End") return;
  const buttons = [...$("picker-list").querySelectorAll("button")];
  if (!buttons.length) return;
  const i = buttons.indexOf(document.activeElement);
  let next = 0;
  if (ev.key === "ArrowDown") next = i < 0 ? 0 : Math.min(i + 1, buttons.length - 1);
  if (ev.key === "ArrowUp") next = i < 0 ? 0 : Math.max(i - 1, 0);
  if (ev.key === "End") next = buttons.length - 1;
  ev.preventDefault();
  buttons[next].focus();
}

// ----- one agreement (the shell the lookup and other screens will live in) ---------------

async function showAgreement(id) {
  let a;
  try {
    a = await api("GET", `/api/v1/agreements/${encodeURIComponent(id)}`);
  } catch (e) {
    // Not one of the user's agreements (or gone): back to the picker, saying why.
    history.replaceState(null, "", "#/pilih");
    await showPicker();
    setStatus(e.message);
    return;
  }
  state.current = a;
  renderNav();
  show("agreement");
  $("agreement-title").textContent = a.title;
  const closed = $("agreement-closed");
  // DOMAIN rule 8: access stops when the term ends unless an Adendum extends it.
  if (a.status !== "aktif") {
    closed.textContent = a.status === "berakhir"
      ? `Akses ditutup: ${daysText(a)}. Perpanjangan hanya melalui Adendum.`
      : `Akses ditutup: ${a.statusLabel}.`;
    closed.hidden = false;
  } else {
    closed.hidden = true;
  }
  const facts = $("agreement-facts");
  facts.replaceChildren();
  const fact = (k, v) => { facts.append(el("dt", "", k), el("dd", "", v)); };
  fact("Nomor PKS", a.pksNumber);
  fact("Ditandatangani", formatDate(a.signedOn));
  fact("Berakhir", formatDate(a.endsOn));
  fact("Status", a.statusLabel);
  fact("Sisa waktu", daysText(a));
  $("agreement-title").setAttribute("tabindex", "-1");
  $("agreement-title").focus();
}

// ----- start ----------------------------------------------------------------------------

async function boot() {
  $("login-form").addEventListener("submit", onLogin);
  $("logout").addEventListener("click", onLogout);
  $("picker-list").addEventListener("keydown", onPickerKey);
  window.addEventListener("hashchange", () => { setStatus(""); route().catch(fail); });
  try {
    const s = await api("GET", "/api/v1/session");
    state.session = s.authenticated ? s : null;
  } catch (e) {
    state.session = null;
  }
  await route();
}

function fail(e) {
  if (e && e.status === 401) {
    state.session = null;
    setStatus("Sesi berakhir. Silakan masuk kembali.");
    showLogin();
    return;
  }
  setStatus(e && e.message ? e.message : "Terjadi kesalahan.");
}

boot().catch(fail);
