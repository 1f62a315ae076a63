// "Audit & pengawasan": the supervisor's (penanggung jawab) pseudonymous audit view with the
// chain verification, pattern-guard blocks and releases, and the agreement's operators with
// their NDAs. The registry's evaluators see the same screen reduced to compliance figures
// (the server leaves out operators, purpose references and NIK pseudonyms for them).
import { addScreen, api, el, field, table, fmtNumber, formatDate, state } from "../js/base.js";

const OUTCOMES = [
  ["found", "Ditemukan"], ["deceased", "Meninggal dunia"], ["duplicate", "Data ganda"],
  ["not_found", "Tidak ditemukan"], ["inactive", "Non aktif"], ["invalid_nik", "Format NIK salah"],
  ["quota_exhausted", "Kuota habis"], ["pattern_blocked", "Diblokir pola"],
  ["agreement_expired", "PKS berakhir"], ["no_nda", "Tanpa NDA"], ["no_sptjm", "Tanpa SPTJM"],
  ["registry_unreachable", "Dukcapil tak terjangkau"],
];
const outcomeLabel = (code) => (OUTCOMES.find(([c]) => c === code) || [code, code])[1];
const RELEASE_STATE = { pending: "Menunggu", used: "Dipakai", replaced: "Diganti" };

function section(container, title) {
  const s = el("section", "card sup-section");
  const h = el("h2", "", title);
  s.append(h);
  container.append(s);
  return s;
}

function chainBox(chain) {
  const box = el("div", chain.ok ? "notice chain-ok" : "alert chain-bad");
  box.id = "chain-status";
  box.setAttribute("role", chain.ok ? "status" : "alert");
  if (chain.ok) {
    box.append(el("strong", "", "Rantai audit utuh. "),
      el("span", "", `Terverifikasi sampai catatan #${fmtNumber(chain.verifiedSeq)} dari #${fmtNumber(chain.headSeq)}` +
        (chain.fullCheck ? " (pemeriksaan seluruh rantai)." : " (pemeriksaan bertahap).")));
  } else {
    box.append(el("strong", "", `Rantai audit rusak mulai catatan #${fmtNumber(chain.badSeq)}. `),
      el("span", "", chain.message + ". Laporkan ke admin dan jalankan `gerbang audit verify`."));
  }
  return box;
}

async function renderAudit(a, box, isSupervisor) {
  const base = `/api/v1/agreements/${encodeURIComponent(a.id)}/audit`;
  const chainSlot = el("div");
  const form = el("form", "filters");
  form.setAttribute("aria-label", "Saring log audit");
  const day = field(form, { id: "audit-day", label: "Tanggal (WIB)", type: "date" });
  const op = isSupervisor ? field(form, { id: "audit-operator", label: "Operator (ID)", maxlength: 64 }) : null;
  const outcome = field(form, { id: "audit-outcome", label: "Hasil",
    options: OUTCOMES.map(([value, label]) => ({ value, label })) });
  const buttons = el("div", "buttons");
  const show = el("button", "primary", "Tampilkan");
  show.type = "submit";
  const full = el("button", "secondary", "Periksa ulang seluruh rantai");
  full.type = "button";
  full.id = "audit-full";
  buttons.append(show, full);
  form.append(buttons);
  const summary = el("p", "muted");
  summary.id = "audit-summary";
  const results = el("div");
  results.id = "audit-records";
  const pager = el("div", "buttons");
  box.append(chainSlot, form, summary, results, pager);

  const stack = [];  // "before" values of the pages shown, for "Halaman sebelumnya"
  let asked = 0;  // the latest load(): an earlier answer arriving later is not drawn over it
  async function load(before, verifyFull) {
    const mine = ++asked;
    const p = new URLSearchParams();
    if (day.value) p.set("day", day.value);
    if (op && op.value.trim()) p.set("operator", op.value.trim());
    if (outcome.value) p.set("outcome", outcome.value);
    if (before) p.set("before", before);
    if (verifyFull) p.set("verify", "full");
    p.set("limit", "25");
    let d;
    try {
      d = await api("GET", `${base}?${p}`);
    } catch (e) {
      if (mine === asked) results.replaceChildren(el("p", "alert", e.message));
      return;
    }
    if (mine !== asked) return;
    chainSlot.replaceChildren(chainBox(d.chain));
    const counts = Object.entries(d.outcomes).map(([k, v]) => `${outcomeLabel(k)}: ${fmtNumber(v)}`);
    summary.textContent = d.records.length
      ? `${fmtNumber(d.records.length)} catatan di halaman ini — ${counts.join(", ")}.`
      : "Tidak ada catatan yang cocok.";
    const rows = d.records.map((r) => isSupervisor
      ? [`#${r.seq}`, r.time, r.operator, r.purposeRef, r.nik ? `${r.nik}…` : "—", outcomeLabel(r.outcome),
         r.elements.length ? r.elements.join(", ") : "—", r.quotaAfter === null ? "—" : fmtNumber(r.quotaAfter)]
      : [`#${r.seq}`, r.time, outcomeLabel(r.outcome), fmtNumber(r.elementCount),
         r.quotaAfter === null ? "—" : fmtNumber(r.quotaAfter)]);
    const headers = isSupervisor
      ? ["No.", "Waktu", "Operator", "Rujukan layanan", "NIK (HMAC)", "Hasil", "Elemen", "Sisa kuota"]
      : ["No.", "Waktu", "Hasil", "Jumlah elemen", "Sisa kuota"];
    results.replaceChildren(d.records.length ? table(headers, rows, "checks audit") : el("span"));
    pager.replaceChildren();
    if (stack.length) {
      const prev = el("button", "secondary", "Halaman sebelumnya");
      prev.type = "button";
      prev.addEventListener("click", () => { stack.pop(); load(stack[stack.length - 1]); });
      pager.append(prev);
    }
    if (d.nextBefore !== null) {
      const next = el("button", "secondary", "Halaman berikutnya");
      next.type = "button";
      next.id = "audit-next";
      next.addEventListener("click", () => { stack.push(d.nextBefore); load(d.nextBefore); });
      pager.append(next);
    }
  }
  form.addEventListener("submit", (ev) => { ev.preventDefault(); stack.length = 0; load(); });
  full.addEventListener("click", () => { stack.length = 0; load(undefined, true); });
  await load();
}

async function renderReleases(a, box, operators) {
  const base = `/api/v1/agreements/${encodeURIComponent(a.id)}/pattern-releases`;
  const blocks = el("div");
  const form = el("form", "release-form");
  form.setAttribute("aria-label", "Buka blokir pola");
  const who = field(form, { id: "sup-release-operator", label: "Operator", required: true,
    options: operators.filter((o) => o.role === "operator").map((o) => ({ value: o.userId, label: `${o.userId} — ${o.fullName}` })) });
  const reason = field(form, { id: "sup-release-reason", label: "Alasan (dicatat di log audit)", required: true, maxlength: 500,
    hint: "Mis. satu keluarga mendaftar bersama. Pencarian berikutnya operator ini yang tertahan pola diteruskan satu kali." });
  const submit = el("button", "primary", "Buka blokir satu kali");
  submit.type = "submit";
  const msg = el("p", "");
  msg.setAttribute("role", "status");
  form.append(submit, msg);
  const list = el("div");
  box.append(blocks, form, list);

  async function load() {
    const d = await api("GET", base);
    blocks.replaceChildren(el("h3", "", `Blokir pola hari ini (${formatDate(d.today)})`),
      d.blocksToday.length
        ? table(["No.", "Waktu", "Operator", "NIK (HMAC)", "Keterangan"],
            d.blocksToday.map((b) => [`#${b.seq}`, b.time, b.operator, b.nik ? `${b.nik}…` : "—", b.detail || "—"]))
        : el("p", "muted", "Tidak ada pencarian yang diblokir hari ini."));
    list.replaceChildren(el("h3", "", "Pembukaan blokir"),
      d.releases.length
        ? table(["Dicatat", "Operator", "Penanggung jawab", "Alasan", "Status"],
            d.releases.map((r) => [r.createdAt, r.operator, r.supervisor, r.reason,
              RELEASE_STATE[r.state] + (r.usedAt ? ` (${r.usedAt})` : "")]))
        : el("p", "muted", "Belum ada pembukaan blokir."));
  }
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    msg.className = "";
    try {
      const r = await api("POST", base, { operator: who.value, reason: reason.value });
      msg.textContent = r.message;
      reason.value = "";
      await load();
    } catch (e) {
      msg.className = "error";
      msg.textContent = e.message;
    }
  });
  await load();
}

function renderOperators(box, d) {
  const rows = d.operators.map((o) => [
    o.userId, o.fullName, o.role, o.active ? "Aktif" : "Nonaktif",
    o.nda ? `${o.nda.number} (${formatDate(o.nda.date)})` : "BELUM ADA — tidak boleh mencari",
    o.userIdFormComplete ? "Lengkap" : `Kurang: ${o.missingFields.join(", ")}`,
    o.webAccounts.length ? o.webAccounts.join(", ") : "—",
  ]);
  box.append(
    d.sptjm
      ? el("p", "", `SPTJM ${d.sptjm.number} tanggal ${formatDate(d.sptjm.date)}, ditandatangani ${d.sptjm.signerName} (${d.sptjm.signerPosition}).`)
      : el("p", "alert", "SPTJM perjanjian ini belum dicatat: belum ada yang boleh mencari."),
    table(["User ID", "Nama", "Peran", "Status", "NDA", "Formulir User ID", "Akun web"], rows, "checks operators"));
}

addScreen({
  key: "pengawasan",
  label: "Audit & pengawasan",
  roles: ["supervisor", "evaluator"],
  order: 60,
  async render(a, container) {
    const isSupervisor = state.session.role === "supervisor";
    if (!isSupervisor)
      container.append(el("p", "notice", "Tampilan penilai: angka kepatuhan saja, tanpa nama operator, rujukan layanan, atau samaran NIK."));
    await renderAudit(a, section(container, "Log audit"), isSupervisor);
    if (!isSupervisor) return;
    const ops = await api("GET", `/api/v1/agreements/${encodeURIComponent(a.id)}/operators`);
    await renderReleases(a, section(container, "Blokir pola"), ops.operators);
    renderOperators(section(container, "Operator, NDA dan SPTJM"), ops);
  },
});
