import { state, $, setStatus, api, show, el, daysText, formatDate, screens, table } from "./js/base.js";
import "./screens/index.js";
import { mountReaderPanel } from "./screens/reader.js";

// Gerbang operator screens: the shell (login, agreement picker, agreement view) into which
// the lookup, balikan, dashboard, supervisor and admin screens are added. Plain modern JS,
// no framework, no inline script (the Content-Security-Policy forbids it). Every value from
// the server is put on the page with textContent, never as HTML.

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
  if (state.current) {
    const id = encodeURIComponent(state.current.id);
    add(`#/perjanjian/${id}`, "Ringkasan");
    if (s && s.role !== "evaluator") add(`#/perjanjian/${id}/cari`, "Pencarian NIK");
    add(`#/perjanjian/${id}/dasbor`, "Dasbor");
    for (const sc of screens)
      if (s && sc.roles.includes(s.role)) add(`#/perjanjian/${id}/${sc.key}`, sc.label);
  }
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
  const look = hash.match(/^#\/perjanjian\/([^/]+)\/cari$/);
  if (m) {
    await showAgreement(decodeURIComponent(m[1]));
  } else if (hash.match(/^#\/perjanjian\/([^/]+)\/dasbor$/)) {
    await showDashboard(decodeURIComponent(hash.match(/^#\/perjanjian\/([^/]+)\/dasbor$/)[1]));
  } else if (look) {
    await showLookup(decodeURIComponent(look[1]));
  } else if (hash.match(/^#\/perjanjian\/([^/]+)\/([a-z0-9-]+)$/)) {
    const [, id, key] = hash.match(/^#\/perjanjian\/([^/]+)\/([a-z0-9-]+)$/);
    await showScreen(decodeURIComponent(id), key);
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
  restartWith("Anda telah keluar.");
}

// Reloads the page on the login screen with a message: nothing the previous user saw
// (a resident's data on the lookup screen, their agreements) stays in the page or its
// scripts for the next person at the counter.
function restartWith(message) {
  state.session = null;
  sessionStorage.setItem(RESTART_MESSAGE, message);
  history.replaceState(null, "", location.pathname);
  location.reload();
}
const RESTART_MESSAGE = "gerbang.restartMessage";

// ----- agreement picker -----------------------------------------------------------------

async function showPicker() {
  state.current = null;
  renderNav();
  show("picker");
  const list = $("picker-list");
  // Until the answer arrives the list is empty and busy: no entry of an earlier render
  // can be chosen by a quick Enter.
  list.replaceChildren();
  list.setAttribute("aria-busy", "true");
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
  list.setAttribute("aria-busy", "false");
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

// ----- screens registered by web/screens/*.js ------------------------------------------

async function showScreen(id, key) {
  const sc = screens.find((x) => x.key === key);
  // Until this screen is drawn its body is empty and busy: no row or button of an earlier
  // screen (another agreement's, too) can be read or used meanwhile.
  const screenBody = $("screen-body");
  screenBody.replaceChildren();
  screenBody.setAttribute("aria-busy", "true");
  let a;
  try {
    if (!sc || !sc.roles.includes(state.session.role)) throw new Error("Layar tidak tersedia untuk peran Anda.");
    a = await api("GET", `/api/v1/agreements/${encodeURIComponent(id)}`);
  } catch (e) {
    if (e.status === 401) throw e;
    history.replaceState(null, "", "#/pilih");
    await showPicker();
    setStatus(e.message);
    return;
  }
  state.current = a;
  renderNav();
  show("screen");
  $("view-screen").dataset.screen = key;
  $("screen-title").textContent = `${sc.label} — ${a.title}`;
  const body = el("div");
  screenBody.replaceChildren(body);
  try {
    await sc.render(a, body);
  } finally {
    // A later route may have drawn another screen meanwhile: only the current one is ready.
    if (body.isConnected) screenBody.setAttribute("aria-busy", "false");
  }
  if (!body.isConnected) return;
  $("screen-title").setAttribute("tabindex", "-1");
  $("screen-title").focus();
}

// ----- dashboard (figures only; evaluators see this and nothing personal) -----------------

async function showDashboard(id) {
  let a, d;
  try {
    a = await api("GET", `/api/v1/agreements/${encodeURIComponent(id)}`);
    d = await api("GET", `/api/v1/agreements/${encodeURIComponent(id)}/dashboard`);
  } catch (e) {
    if (e.status === 401) throw e;
    history.replaceState(null, "", "#/pilih");
    await showPicker();
    setStatus(e.message);
    return;
  }
  state.current = a;
  renderNav();
  show("dashboard");
  $("dashboard-title").textContent = `Dasbor kepatuhan — ${a.title}`;
  const n = (v) => Number(v).toLocaleString("id-ID");
  const facts = $("dashboard-facts");
  facts.replaceChildren();
  const fact = (k, v, key) => {
    const dd = el("dd", "", v);
    if (key) dd.dataset.key = key;
    facts.append(el("dt", "", k), dd);
  };
  fact("Kuota terpakai hari ini", n(d.quota.usedToday), "used");
  fact("Sisa kuota hari ini", d.quota.leftToday === null ? "Tanpa batas" : n(d.quota.leftToday), "left");
  fact("Ditahan penjaga pola hari ini", n(d.patternBlocksToday), "blocks");
  fact("Balikan terkirim", n(d.obligations.delivered), "delivered");
  fact("Balikan belum dikirim", n(d.obligations.open), "open");
  fact("Balikan terlambat", n(d.obligations.overdue), "overdue");
  fact("Sisa masa PKS", daysText({ daysLeft: d.daysLeft, endsOn: d.endsOn }), "days");
  const rows = (tableId, pairs) => {
    const tbody = $(tableId).querySelector("tbody");
    tbody.replaceChildren();
    for (const [k, v] of pairs) {
      const tr = el("tr");
      tr.append(el("td", "", k), el("td", "", n(v)));
      tbody.append(tr);
    }
  };
  rows("dashboard-days", d.lookupsPerDay.map((x) => [formatDate(x.day), x.count]));
  rows("dashboard-outcomes", Object.entries(d.outcomesToday).map(([k, v]) => [OUTCOME_TITLES[k] || k, v]));
  const duties = $("dashboard-duties");
  duties.replaceChildren();
  for (const x of d.duties) {
    const when = x.daysLeft >= 0 ? `${n(x.daysLeft)} hari lagi` : `terlewat ${n(-x.daysLeft)} hari`;
    duties.append(el("li", "", `${x.label}: ${formatDate(x.due)} (${when})`));
  }
  $("dashboard-title").setAttribute("tabindex", "-1");
  $("dashboard-title").focus();
}

// ----- lookup (NIK, or the juknis cross-check) -------------------------------------------

// Plain words for the outcome headline; the server's message explains the details.
const OUTCOME_TITLES = {
  found: "Data ditemukan",
  not_found: "Data tidak ditemukan",
  deceased: "Penduduk tercatat meninggal dunia",
  duplicate: "Data ganda di Dukcapil",
  inactive: "NIK tidak aktif",
  invalid_nik: "NIK tidak sesuai format",
  pattern_blocked: "Ditahan: pola pencarian tidak wajar",
  quota_exhausted: "Kuota harian habis",
  purpose_invalid: "Rujukan layanan tidak sah",
};
const CHECK_WORDS = { sesuai: "Sesuai", tidak_sesuai: "Tidak Sesuai", tidak_tersedia: "Tidak tersedia" };

async function showLookup(id) {
  // Until the answers arrive nothing of an earlier render can be read or used: the previous
  // resident's answer, the previous agreement's own screens and reader panel are gone, the
  // form cannot be sent, and the view is busy until its agreement's screens are drawn.
  const view = $("view-lookup");
  view.setAttribute("aria-busy", "true");
  clearLookupResult();
  $("lookup-error").hidden = true;
  $("lookup-submit").disabled = true;
  $("plugin-screens").replaceChildren();
  const oldPanel = $("reader-panel");
  if (oldPanel) oldPanel.remove();
  let a, form;
  try {
    a = await api("GET", `/api/v1/agreements/${encodeURIComponent(id)}`);
    form = await api("GET", `/api/v1/agreements/${encodeURIComponent(id)}/lookup-form`);
  } catch (e) {
    history.replaceState(null, "", "#/pilih");
    await showPicker();
    setStatus(e.message);
    return;
  }
  state.current = a;
  state.lookupForm = form;
  renderNav();
  show("lookup");
  $("lookup-title").textContent = `Pencarian NIK — ${a.title}`;
  $("lookup-purpose-label").textContent = form.purpose.label || "Rujukan layanan";
  $("lookup-purpose").pattern = form.purpose.pattern || "";
  $("lookup-purpose").placeholder = form.purpose.example || "";
  $("lookup-purpose-hint").textContent = form.purpose.example ? `Contoh: ${form.purpose.example}` : "";
  $("lookup-nooperator").hidden = !!form.operator;
  $("lookup-submit").disabled = !form.operator;
  const box = $("lookup-check-fields");
  box.replaceChildren();
  for (const f of form.crossCheckFields) {
    const input = el("input");
    input.id = `check-${f.name}`;
    input.dataset.field = f.name;
    input.type = f.type === "date" ? "date" : "text";
    input.maxLength = 128;
    input.autocomplete = "off";
    const label = el("label", "", `${f.label} (menurut dokumen)`);
    label.htmlFor = input.id;
    box.append(label, input);
  }
  // The KTP-el reader panel (web/screens/reader.js): live status, card events, card lookup.
  const panel = mountReaderPanel({ agreement: a, anchor: $("lookup-form"), canLookup: !!form.operator,
    purpose: () => $("lookup-purpose"), mode: () => ($("mode-check").checked ? "check" : "data"),
    pending: lookupPending, showResult: renderLookup });
  $("release-box").hidden = state.session.role !== "supervisor";
  syncMode();
  $("lookup-nik").focus();
  const forms = await pluginScreenForms(id, !!form.operator);
  // A later route may have drawn the lookup again meanwhile (and replaced this panel): only
  // the current render fills in its screens and says it is ready.
  if (!panel.isConnected) return;
  $("plugin-screens").replaceChildren(...forms);
  view.setAttribute("aria-busy", "false");
}

// The agreement's own screens (manifest screens[]), rendered as forms. A screen that names
// a plugin route (sc.route) submits every field there (core/agency wraps the route: the
// lookup, the document cross-check and the balikan happen in one call) and shows the answer
// inside the screen; otherwise the NIK and service-reference fields go to the host lookup.
// Returns the forms; the caller puts them on the page in one go.
async function pluginScreenForms(id, canLookup) {
  const forms = [];
  let data;
  try {
    data = await api("GET", `/api/v1/agreements/${encodeURIComponent(id)}/screens`);
  } catch (e) {
    if (e.status === 401) throw e;
    return forms;
  }
  for (const sc of data.screens) {
    const form = el("form", "card plugin-screen");
    form.noValidate = true;
    form.dataset.screen = sc.id;
    form.append(el("h2", "", sc.title), el("p", "hint", sc.description));
    for (const f of sc.fields) {
      const inputId = `ps-${sc.id}-${f.name}`;
      let input;
      if (f.type === "select") {
        input = el("select");
        input.append(el("option", "", "— pilih —"));
        input.firstChild.value = "";
        for (const o of f.options) { const opt = el("option", "", o); opt.value = o; input.append(opt); }
      } else {
        input = el("input");
        input.autocomplete = "off";
        input.maxLength = f.type === "nik" ? 16 : 128;
        if (f.type === "nik") input.inputMode = "numeric";
        if (f.type === "date") input.type = "date";
        if (f.pattern) input.dataset.pattern = f.pattern;
      }
      input.id = inputId;
      input.name = f.name;
      input.dataset.feeds = f.feeds;
      input.dataset.label = f.label;
      input.required = f.required && (f.feeds !== "" || !!sc.route);
      const label = el("label", "", f.label + (f.required ? " *" : ""));
      label.htmlFor = inputId;
      form.append(label, input);
    }
    form.append(el("p", "hint", sc.route
      ? "Isian dokumen hanya dicocokkan (Sesuai / Tidak Sesuai) dan tidak disimpan. Bila data "
        + "ditemukan dan cocok, kolom layanan dicatat sebagai data balikan."
      : "Kolom selain NIK dan nomor layanan adalah data balikan; pencatatannya dari layar ini "
        + "belum tersedia (gunakan unggah berkas atau aplikasi instansi)."));
    const err = el("p", "error");
    err.hidden = true;
    err.setAttribute("role", "alert");
    const btn = el("button", "primary", sc.route ? "Periksa dan catat" : "Periksa NIK");
    btn.type = "submit";
    btn.disabled = !canLookup;
    const result = el("div", "card result plugin-result");
    result.hidden = true;
    result.tabIndex = -1;
    result.setAttribute("aria-live", "polite");
    form.append(err, btn, result);
    form.addEventListener("submit", (ev) => onPluginScreen(ev, form, err, sc, result, btn).catch(fail));
    forms.push(form);
  }
  return forms;
}

const BALIKAN_WORDS = {
  accepted: "Data balikan dicatat",
  not_recorded: "Data balikan belum dicatat",
  refused: "Data balikan ditolak",
  error: "Data balikan gagal dicatat",
};

async function onPluginScreen(ev, form, err, sc, result, btn) {
  ev.preventDefault();
  err.hidden = true;
  const values = {};
  for (const input of form.querySelectorAll("input, select")) {
    const v = input.value.trim();
    if (input.required && !v) { err.textContent = `Isi ${input.dataset.label}.`; err.hidden = false; input.focus(); return; }
    if (v && input.dataset.pattern && !new RegExp(input.dataset.pattern).test(v)) {
      err.textContent = `${input.dataset.label} tidak sesuai format.`; err.hidden = false; input.focus(); return;
    }
    if (v) values[input.name] = v;
  }
  const nikInput = form.querySelector('[data-feeds="nik"]');
  if (nikInput && !/^[0-9]{16}$/.test(nikInput.value.trim())) {
    err.textContent = "NIK harus 16 angka."; err.hidden = false; nikInput.focus(); return;
  }
  btn.disabled = true;
  // The previous applicant's answer goes at once: the box stays hidden and busy until this
  // one's answer is drawn (or for good when this one fails).
  result.hidden = true;
  result.replaceChildren();
  result.setAttribute("aria-busy", "true");
  if (!sc.route) lookupPending();
  try {
    if (sc.route) {
      const r = await api(sc.route.method, sc.route.path, values);
      // The NIK and the typed document values do not linger on the counter screen.
      for (const input of form.querySelectorAll("input")) input.value = "";
      renderPluginAnswer(result, r);
      return;
    }
    const body = { mode: "data" };
    for (const input of form.querySelectorAll("input, select")) {
      if (input.dataset.feeds === "nik") body.nik = input.value.trim();
      if (input.dataset.feeds === "purpose") body.purpose = input.value.trim();
    }
    const r = await api("POST", `/api/v1/agreements/${encodeURIComponent(state.current.id)}/lookups`, body);
    if (nikInput) nikInput.value = "";
    renderLookup(r);
  } catch (e) {
    if (e.status === 401) throw e;
    err.textContent = e.message;
    err.hidden = false;
  } finally {
    btn.disabled = false;
  }
}

// A screen route's answer (docs/sdk.md, "Screen routes"): the outcome in plain words,
// Sesuai / Tidak Sesuai per document field (never the registry's values) and what happened
// to the data balikan.
function renderPluginAnswer(box, r) {
  box.replaceChildren();
  const good = r.outcome === "found" && r.sesuai;
  box.className = `card result plugin-result ${good ? "good" : "bad"}`;
  const title = el("h3", "", OUTCOME_TITLES[r.outcome] || "Pemeriksaan tidak dapat dilayani");
  title.dataset.key = "outcome";
  box.append(title, el("p", "", r.message || ""));
  if (Array.isArray(r.pemeriksaan) && r.pemeriksaan.length) {
    const t = table(["Kolom dokumen", "Hasil"], r.pemeriksaan.map((c) => {
      const cell = el("span", c.result, CHECK_WORDS[c.result] || c.result);
      return [c.label, cell];
    }));
    t.dataset.key = "checks";
    box.append(t);
  }
  if (r.balikan) {
    const b = el("p", `balikan ${r.balikan.status}`,
      `${BALIKAN_WORDS[r.balikan.status] || "Data balikan"}: ${r.balikan.message || ""}`);
    b.dataset.key = "balikan";
    b.dataset.status = r.balikan.status;
    box.append(b);
    const errors = r.balikan.host && Array.isArray(r.balikan.host.errors) ? r.balikan.host.errors : [];
    if (r.balikan.host && r.balikan.host.message && r.balikan.status === "refused")
      box.append(el("p", "error", r.balikan.host.message));
    for (const e of errors) box.append(el("p", "error", `${e.label || e.field}: ${e.reason}`));
  }
  if (typeof r.quota_remaining === "number")
    box.append(el("p", "hint", `Sisa kuota hari ini: ${r.quota_remaining.toLocaleString("id-ID")}`));
  box.setAttribute("aria-busy", "false");
  box.hidden = false;
  box.focus();
}

function syncMode() {
  $("lookup-check-fields").hidden = !$("mode-check").checked;
}

async function onLookup(ev) {
  ev.preventDefault();
  const errBox = $("lookup-error");
  errBox.hidden = true;
  const nik = $("lookup-nik").value.trim();
  const purpose = $("lookup-purpose").value.trim();
  const mode = $("mode-check").checked ? "check" : "data";
  const problem = (msg, input) => { errBox.textContent = msg; errBox.hidden = false; input.focus(); };
  if (!/^[0-9]{16}$/.test(nik)) return problem("NIK harus 16 angka.", $("lookup-nik"));
  if (!purpose) return problem(`Isi ${state.lookupForm.purpose.label || "rujukan layanan"}.`, $("lookup-purpose"));
  const body = { nik, purpose, mode };
  if (mode === "check") {
    body.check = {};
    for (const input of $("lookup-check-fields").querySelectorAll("input")) {
      if (input.value.trim()) body.check[input.dataset.field] = input.value.trim();
    }
    if (!Object.keys(body.check).length) {
      const first = $("lookup-check-fields").querySelector("input");
      return problem("Isi minimal satu kolom sesuai dokumen pemohon.", first || $("lookup-nik"));
    }
  }
  const btn = $("lookup-submit");
  btn.disabled = true;
  lookupPending();
  try {
    const r = await api("POST", `/api/v1/agreements/${encodeURIComponent(state.current.id)}/lookups`, body);
    renderLookup(r);
  } catch (e) {
    if (e.status === 401) throw e;
    problem(e.message, $("lookup-nik"));
  } finally {
    btn.disabled = false;
  }
}

// Empties and hides the answer box: nothing of the previous resident stays on the page.
function clearLookupResult() {
  $("lookup-result").hidden = true;
  $("lookup-outcome").textContent = "";
  $("lookup-message").textContent = "";
  $("lookup-checks").querySelector("tbody").replaceChildren();
  $("lookup-checks").hidden = true;
  $("lookup-data").replaceChildren();
  $("lookup-data").hidden = true;
  $("lookup-quota").textContent = "";
}

// A lookup (typed, a plugin screen's or the card's) is on its way: the previous answer goes
// at once and the box stays hidden and busy until this one's answer is drawn, so the previous
// resident's answer can neither be read as this one's nor stay on the screen when it fails.
function lookupPending() {
  clearLookupResult();
  $("lookup-result").setAttribute("aria-busy", "true");
}

function renderLookup(r) {
  const box = $("lookup-result");
  const good = r.outcome === "found";
  box.className = `card result ${r.blocked ? "blocked" : good ? "good" : "bad"}`;
  $("lookup-outcome").textContent = OUTCOME_TITLES[r.outcome] || "Pencarian tidak dapat dilayani";
  $("lookup-message").textContent = r.blocked
    ? `${r.message} Minta penanggung jawab membuka blokir bila pencarian ini sah.`
    : r.message;
  const checks = $("lookup-checks");
  const tbody = checks.querySelector("tbody");
  tbody.replaceChildren();
  for (const c of r.checks || []) {
    const tr = el("tr");
    tr.append(el("td", "", c.label), el("td", c.result, CHECK_WORDS[c.result] || c.result));
    tr.dataset.field = c.field;
    tbody.append(tr);
  }
  checks.hidden = !(r.checks && r.checks.length);
  const data = $("lookup-data");
  data.replaceChildren();
  if (r.data) {
    for (const k of Object.keys(r.data).sort()) data.append(el("dt", "", k), el("dd", "", r.data[k]));
  }
  data.hidden = !r.data;
  $("lookup-quota").textContent = r.quotaUnlimited
    ? "Kuota: tanpa batas harian."
    : r.quotaRemaining === null ? "" : `Sisa kuota hari ini: ${r.quotaRemaining.toLocaleString("id-ID")}`
      + (r.quotaCounted ? " (pencarian ini dihitung)." : " (pencarian ini tidak dihitung).");
  // Clear the NIK and the typed document values so they do not linger on the counter screen.
  $("lookup-nik").value = "";
  for (const input of $("lookup-check-fields").querySelectorAll("input")) input.value = "";
  box.setAttribute("aria-busy", "false");
  box.hidden = false;
  box.focus();
}

async function onRelease(ev) {
  ev.preventDefault();
  const errBox = $("release-error");
  errBox.hidden = true;
  const operator = $("release-operator").value.trim();
  const reason = $("release-reason").value.trim();
  if (!operator || !reason) {
    errBox.textContent = "Isi ID operator dan alasan.";
    errBox.hidden = false;
    return;
  }
  try {
    const r = await api("POST", `/api/v1/agreements/${encodeURIComponent(state.current.id)}/pattern-releases`,
      { operator, reason });
    setStatus(r.message);
    $("release-reason").value = "";
  } catch (e) {
    if (e.status === 401) throw e;
    errBox.textContent = e.message;
    errBox.hidden = false;
  }
}

// ----- start ----------------------------------------------------------------------------

async function boot() {
  $("login-form").addEventListener("submit", onLogin);
  $("logout").addEventListener("click", onLogout);
  $("picker-list").addEventListener("keydown", onPickerKey);
  $("lookup-form").addEventListener("submit", (ev) => onLookup(ev).catch(fail));
  $("release-form").addEventListener("submit", (ev) => onRelease(ev).catch(fail));
  $("mode-check").addEventListener("change", syncMode);
  $("mode-data").addEventListener("change", syncMode);
  window.addEventListener("hashchange", () => { setStatus(""); route().catch(fail); });
  try {
    const s = await api("GET", "/api/v1/session");
    state.session = s.authenticated ? s : null;
  } catch (e) {
    state.session = null;
  }
  const message = sessionStorage.getItem(RESTART_MESSAGE);
  sessionStorage.removeItem(RESTART_MESSAGE);
  await route();
  if (message) setStatus(message);
}

function fail(e) {
  if (e && e.status === 401) {
    restartWith("Sesi berakhir. Silakan masuk kembali.");
    return;
  }
  setStatus(e && e.message ? e.message : "Terjadi kesalahan.");
}

boot().catch(fail);
