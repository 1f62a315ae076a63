// Data balikan screens (issue 7): the form generated from the agreement's balikan schema, the
// CSV/XLSX upload with its row error report, and the backlog of open obligations with the
// delivery status. Server side: core/balikan/ui_routes.hpp. Every value goes on the page with
// textContent; no NIK is ever shown back (the server never echoes one).
import { addScreen, api, el, field, table, fmtNumber, formatDate } from "../js/base.js";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const WORKERS = ["operator", "supervisor"];
const base = (a) => `/api/v1/agreements/${encodeURIComponent(a.id)}`;

function message(container, cls, text) {
  const p = el("p", cls, text);
  p.setAttribute("role", cls === "alert" ? "alert" : "status");
  container.replaceChildren(p);
  return p;
}

// ----- Data balikan: one record at a time ------------------------------------------------

async function renderForm(a, container) {
  const spec = await api("GET", `${base(a)}/balikan/form`);
  container.append(el("p", "hint",
    "Isi data balikan untuk orang yang datanya sudah diakses dalam PKS ini. Kolom bertanda * wajib diisi."));
  const form = el("form", "card balikan-form");
  form.noValidate = true;  // the server's checks (and their Indonesian reasons) decide
  const inputs = new Map();
  const errors = new Map();
  for (const f of spec.fields) {
    const id = `balikan-${f.name}`;
    const input = field(form, {
      id, label: f.label, required: f.required, maxlength: f.maxLength, hint: f.hint,
      options: f.type === "enum" ? f.values : undefined,
      type: "text",
    });
    if (f.type === "nik") input.inputMode = "numeric";
    const err = el("p", "field-error");
    err.id = `${id}-error`;
    err.hidden = true;
    input.setAttribute("aria-describedby", err.id);
    input.parentElement.append(err);
    inputs.set(f.name, input);
    errors.set(f.name, err);
  }
  const submit = el("button", "primary", "Simpan data balikan");
  submit.type = "submit";
  submit.id = "balikan-submit";
  form.append(submit);
  const result = el("div", "balikan-result");
  result.setAttribute("aria-live", "polite");
  container.append(form, result);

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    for (const [name, err] of errors) {
      err.hidden = true;
      err.textContent = "";
      inputs.get(name).removeAttribute("aria-invalid");
    }
    const body = {};
    for (const [name, input] of inputs) body[name] = input.value;
    submit.disabled = true;
    try {
      const r = await api("POST", `${base(a)}/balikan/records`, body);
      message(result, "notice ok", r.message + (r.obligationClosed ? " Kewajiban balikan orang ini selesai." : ""));
      form.reset();
      inputs.values().next().value.focus();
    } catch (e) {
      if (e.status === 401) throw e;
      const listed = e.data && Array.isArray(e.data.errors) ? e.data.errors : [];
      const rowLevel = [];
      let first = null;
      for (const fe of listed) {
        const err = errors.get(fe.field);
        if (!err) { rowLevel.push(fe.reason); continue; }
        err.textContent = `${fe.label}: ${fe.reason}`;
        err.hidden = false;
        inputs.get(fe.field).setAttribute("aria-invalid", "true");
        first = first || inputs.get(fe.field);
      }
      const p = message(result, "alert", listed.length ? "Data belum dapat disimpan; perbaiki kolom yang ditandai." : e.message);
      for (const r of rowLevel) result.append(el("p", "alert", r));
      if (first) first.focus(); else p.focus && p.focus();
    } finally {
      submit.disabled = false;
    }
  });
}

addScreen({ key: "data-balikan", label: "Data balikan", roles: WORKERS, order: 30, render: renderForm });

// ----- Unggah berkas: CSV or XLSX with the row error report ---------------------------------

async function renderUpload(a, container) {
  const spec = await api("GET", `${base(a)}/balikan/form`);
  container.append(el("p", "hint",
    "Unggah berkas CSV (pemisah ; atau ,) atau Excel (.xlsx). Baris pertama berisi nama kolom: " +
    spec.fields.map((f) => f.name).join(", ") +
    ". Baris yang benar diterima; baris yang salah dilaporkan per baris dan kolom. Setelah diperbaiki, " +
    "unggah berkas yang sama lagi: baris yang sudah diterima tidak dikirim dua kali."));
  const form = el("form", "card upload-form");
  const wrap = el("div", "field");
  const label = el("label", "", "Berkas data balikan *");
  label.htmlFor = "balikan-file";
  const input = el("input");
  input.type = "file";
  input.id = "balikan-file";
  input.accept = `.csv,.xlsx,text/csv,${XLSX}`;
  input.required = true;
  wrap.append(label, input);
  const submit = el("button", "primary", "Unggah");
  submit.type = "submit";
  submit.id = "balikan-upload-submit";
  form.append(wrap, submit);
  const result = el("div", "balikan-result");
  result.setAttribute("aria-live", "polite");
  container.append(form, result);

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const file = input.files && input.files[0];
    if (!file) { message(result, "alert", "Pilih berkas CSV atau XLSX terlebih dahulu."); return; }
    const xlsx = /\.xlsx$/i.test(file.name) || file.type === XLSX;
    const blob = new Blob([file], { type: xlsx ? XLSX : "text/csv" });
    submit.disabled = true;
    message(result, "hint", "Memeriksa berkas…");
    try {
      const r = await api("POST", `${base(a)}/balikan/uploads`, blob);
      const summary = el("dl", "facts upload-summary");
      for (const [k, v] of [["Baris dibaca", r.rows], ["Diterima", r.accepted],
                            ["Sudah diterima sebelumnya", r.alreadyQueued],
                            ["Salah (lihat laporan)", r.invalid], ["Ditolak", r.refused]]) {
        summary.append(el("dt", "", k), el("dd", "", fmtNumber(v)));
      }
      const box = el("div", `card result ${r.errorCount ? "bad" : "good"}`);
      box.append(el("h2", "", r.errorCount
        ? `Berkas diperiksa: ${fmtNumber(r.errorCount)} kesalahan pada baris berkas`
        : "Semua baris diterima"));
      box.append(summary);
      if (r.errorCount) {
        const t = table(["Baris", "Kolom", "Alasan"], r.errors.map((e) => [e.row ?? "—", e.column || "(seluruh baris)", e.reason]));
        t.classList.add("row-errors");
        box.append(t);
        if (r.errorCount > r.errors.length)
          box.append(el("p", "hint", `Ditampilkan ${fmtNumber(r.errors.length)} kesalahan pertama; laporan lengkap ada di berkas unduhan.`));
        const link = el("a", "download", "Unduh laporan kesalahan (CSV)");
        link.href = r.errorReport;
        link.download = "laporan-kesalahan-balikan.csv";
        box.append(el("p", "", ""), link);
      }
      result.replaceChildren(box);
    } catch (e) {
      if (e.status === 401) throw e;
      message(result, "alert", e.message);
    } finally {
      submit.disabled = false;
    }
  });
}

addScreen({ key: "unggah-balikan", label: "Unggah berkas", roles: WORKERS, order: 31, render: renderUpload });

// ----- Kewajiban balikan: the backlog and the delivery status ------------------------------

const SOURCE = { lookup: "Pencarian NIK", card: "Baca KTP-el" };

async function renderBacklog(a, container) {
  const controls = el("form", "card backlog-controls");
  const filter = field(controls, {
    id: "backlog-filter", label: "Tampilkan",
    options: [{ value: "open", label: "Semua yang belum dipenuhi" }, { value: "overdue", label: "Hanya yang terlambat" }],
    required: true,
  });
  const list = el("div", "backlog");
  list.setAttribute("aria-live", "polite");
  const delivery = el("div", "card delivery");
  container.append(controls, list, delivery);
  let page = 1;
  let asked = 0;  // the latest load(): an earlier answer arriving later is not drawn over it

  async function load() {
    const mine = ++asked;
    let d;
    try {
      d = await api("GET", `${base(a)}/obligations?filter=${filter.value}&page=${page}&pageSize=25`);
    } catch (e) {
      if (e.status === 401) throw e;  // the session ended: the app signs out
      // Paging and the filter call this from a click: the refusal goes on the page, in the
      // list's place, rather than into an unhandled rejection.
      if (mine === asked) list.replaceChildren(el("p", "alert", e.message));
      return;
    }
    if (mine !== asked) return;
    const head = el("p", "", `Belum dipenuhi: ${fmtNumber(d.open)} · terlambat: ${fmtNumber(d.overdue)} · ` +
      `sudah diisi: ${fmtNumber(d.fulfilled)} · terkirim: ${fmtNumber(d.delivered)}`);
    head.className = "backlog-counts";
    if (!d.items.length) {
      list.replaceChildren(head, el("p", "notice", filter.value === "overdue"
        ? "Tidak ada kewajiban balikan yang terlambat." : "Tidak ada kewajiban balikan yang belum dipenuhi."));
      return;
    }
    const rows = d.items.map((o) => [
      o.person, SOURCE[o.source] || o.source, formatDate(o.openedOn), formatDate(o.due),
      o.daysOverdue > 0 ? `${fmtNumber(o.daysOverdue)} hari` : "—", o.purposeRef || "—", o.operator || "—",
    ]);
    const t = table(["Orang (kode samaran)", "Sumber", "Diakses", "Jatuh tempo", "Terlambat",
                     "Rujukan layanan", "Operator"], rows);
    t.classList.add("backlog-table");
    d.items.forEach((o, i) => { if (o.overdue) t.tBodies[0].rows[i].classList.add("overdue"); });
    const nav = el("div", "pager");
    const pages = Math.max(1, Math.ceil(d.total / d.pageSize));
    const prev = el("button", "", "‹ Sebelumnya");
    prev.type = "button";
    prev.disabled = page <= 1;
    prev.addEventListener("click", () => { page -= 1; load(); });
    const next = el("button", "", "Berikutnya ›");
    next.type = "button";
    next.disabled = page >= pages;
    next.addEventListener("click", () => { page += 1; load(); });
    nav.append(prev, el("span", "muted", ` Halaman ${page} dari ${pages} `), next);
    list.replaceChildren(head, t, nav);
  }

  async function loadDelivery() {
    const s = await api("GET", `${base(a)}/balikan/delivery`);
    const dl = el("dl", "facts");
    for (const [k, v] of [["Menunggu dikirim", fmtNumber(s.pending + s.sending)],
                          ["Terkirim ke Dukcapil", fmtNumber(s.delivered)],
                          ["Gagal (perlu diperbaiki)", fmtNumber(s.failed)],
                          ["Pengiriman terakhir", s.lastDelivery ? new Date(s.lastDelivery).toLocaleString("id-ID") : "belum ada"],
                          ["Pengiriman otomatis", s.worker ? "aktif" : "tidak aktif (jalankan gerbang balikan deliver)"]]) {
      dl.append(el("dt", "", k), el("dd", "", v));
    }
    delivery.replaceChildren(el("h2", "", "Pengiriman data balikan"), dl);
  }

  filter.addEventListener("change", () => { page = 1; load(); });
  controls.addEventListener("submit", (ev) => ev.preventDefault());
  await Promise.all([load(), loadDelivery()]);
}

addScreen({ key: "kewajiban-balikan", label: "Kewajiban balikan", roles: WORKERS, order: 32, render: renderBacklog });
