// "Administrasi": record an Adendum (checked exactly as `gerbang adendum add`), the agreement
// plugins loaded and refused, and the host's health (/healthz).
import { addScreen, api, el, field, table, fmtNumber, formatDate } from "../js/base.js";

const STATUS = { active: "Aktif", expiring: "Aktif — segera ajukan perpanjangan",
                 expired: "Berakhir — akses ditutup", not_started: "Belum berlaku" };
const HEALTH = { ok: "Baik", degraded: "Perlu perhatian", fail: "Gagal" };
const CHECK_LABEL = { store: "Basis data", clock: "Jam", audit_chain: "Rantai audit", portal: "Portal Dukcapil",
                      readers: "Pembaca KTP-el", agreements: "Perjanjian" };

function section(container, title) {
  const s = el("section", "card sup-section");
  s.append(el("h2", "", title));
  container.append(s);
  return s;
}

const list = (text) => text.split(",").map((x) => x.trim().toUpperCase()).filter(Boolean);

async function renderAdenda(a, box) {
  const base = `/api/v1/agreements/${encodeURIComponent(a.id)}/adenda`;
  const terms = el("dl", "facts");
  terms.id = "adendum-terms";
  const existing = el("div");
  const form = el("form", "adendum-form");
  form.setAttribute("aria-label", "Catat Adendum");
  form.append(el("h3", "", "Catat Adendum baru"),
    el("p", "hint", "Adendum hanya boleh memperpanjang/memperpendek masa, mengubah kuota, mencatat PoC lulus, " +
      "atau mempersempit elemen. Adendum tidak dapat diubah atau dihapus; koreksi dicatat sebagai Adendum baru."));
  const number = field(form, { id: "ad-number", label: "Nomor Adendum", required: true, maxlength: 100 });
  const date = field(form, { id: "ad-date", label: "Tanggal ditandatangani", type: "date", required: true });
  const end = field(form, { id: "ad-end", label: "Berakhir baru", type: "date" });
  const quota = field(form, { id: "ad-quota", label: "Kuota per hari (hit per User ID)", type: "number" });
  quota.min = "1";
  const pocWrap = el("label", "inline");
  const poc = el("input");
  poc.type = "checkbox";
  poc.id = "ad-poc";
  pocWrap.append(poc, document.createTextNode(" PoC Dukcapil lulus (kuota tanpa batas bila juknis mengizinkan)"));
  form.append(pocWrap);
  const elements = field(form, { id: "ad-elements", label: "Elemen yang tetap diizinkan (pisahkan dengan koma)",
    hint: "Kosongkan bila tidak berubah. Mis. NIK,NAMA_LGKP,TGL_LHR" });
  const parts = field(form, { id: "ad-parts", label: "Bagian alamat yang tetap diizinkan (pisahkan dengan koma)" });
  const submit = el("button", "primary", "Catat Adendum");
  submit.type = "submit";
  const msg = el("p");
  msg.id = "adendum-message";
  msg.setAttribute("role", "status");
  form.append(submit, msg);
  box.append(terms, existing, form);

  function showTerms(t) {
    const rows = [
      ["Status", STATUS[t.status] || t.status],
      ["Berakhir", `${formatDate(t.endsOn)} (${t.daysLeft >= 0 ? `sisa ${fmtNumber(t.daysLeft)} hari` : `${fmtNumber(-t.daysLeft)} hari lalu`})`],
      ["Kuota per hari", t.quotaPerDay === null ? "Tanpa batas" : fmtNumber(t.quotaPerDay)],
      ["Elemen", t.elements.join(", ")],
      ["Adendum berlaku", t.adendumNumbers.length ? t.adendumNumbers.join("; ") : "—"],
    ];
    terms.replaceChildren(...rows.flatMap(([k, v]) => [el("dt", "", k), el("dd", "", v)]));
  }
  async function load() {
    const d = await api("GET", base);
    showTerms(d.agreement);
    existing.replaceChildren(d.adenda.length
      ? table(["Nomor", "Tanggal", "Berakhir baru", "Kuota/hari", "PoC", "Elemen", "Dicatat oleh"],
          d.adenda.map((x) => [x.number, formatDate(x.date), x.end ? formatDate(x.end) : "—",
            x.quota === null ? "—" : fmtNumber(x.quota), x.pocPassed ? "lulus" : "—",
            x.elements ? x.elements.join(", ") : "—", x.recordedBy]))
      : el("p", "muted", "Belum ada Adendum untuk perjanjian ini."));
  }
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const body = { number: number.value.trim(), date: date.value };
    if (end.value) body.end = end.value;
    if (quota.value) body.quota = Number(quota.value);
    if (poc.checked) body.pocPassed = true;
    if (elements.value.trim()) body.elements = list(elements.value);
    if (parts.value.trim()) body.addressParts = list(parts.value);
    msg.className = "";
    try {
      const r = await api("POST", base, body);
      msg.className = "ok-text";
      msg.textContent = `Adendum ${r.adendum.number} dicatat. Status sekarang: ${STATUS[r.agreement.status] || r.agreement.status}, berakhir ${formatDate(r.agreement.endsOn)}.`;
      form.reset();
      await load();
    } catch (e) {
      msg.className = "error";
      msg.textContent = e.message;
    }
  });
  await load();
}

async function renderPlugins(box) {
  const d = await api("GET", "/api/v1/plugins");
  box.append(el("h3", "", "Dimuat"),
    d.loaded.length
      ? table(["Kode", "Instansi", "Berkas", "ABI", "Skema manifest"],
          d.loaded.map((p) => [p.agencyId, p.agencyName, p.file, p.abi, String(p.schemaVersion)]))
      : el("p", "alert", "Tidak ada plugin perjanjian yang dimuat."),
    el("h3", "", "Ditolak"),
    d.refused.length
      ? table(["Berkas", "Alasan"], d.refused.map((r) => [r.file, r.reason]), "checks refused")
      : el("p", "muted", "Tidak ada berkas yang ditolak."));
}

async function renderHealth(box) {
  const out = el("div");
  out.id = "health";
  const again = el("button", "secondary", "Periksa lagi");
  again.type = "button";
  box.append(out, again);
  async function load() {
    // /healthz answers 503 with the same JSON when a check fails.
    const res = await fetch("/healthz", { cache: "no-store", credentials: "same-origin" });
    const d = await res.json();
    const overall = el("p", d.status === "ok" ? "notice" : "alert",
      `Keseluruhan: ${HEALTH[d.status] || d.status}`);
    overall.setAttribute("role", "status");
    const rows = Object.entries(d.checks).map(([name, c]) => {
      const state = el("span", `health-${c.status}`, HEALTH[c.status] || c.status);
      return [CHECK_LABEL[name] || name, state, c.detail];
    });
    out.replaceChildren(overall, table(["Pemeriksaan", "Keadaan", "Rincian"], rows, "checks health"));
  }
  again.addEventListener("click", load);
  await load();
}

addScreen({
  key: "administrasi",
  label: "Administrasi",
  roles: ["admin"],
  order: 70,
  async render(a, container) {
    await renderAdenda(a, section(container, "Adendum"));
    await renderPlugins(section(container, "Plugin perjanjian"));
    await renderHealth(section(container, "Kesehatan layanan"));
  },
});
