// The KTP-el reader on the lookup screen (issue 7: "baca KTP-el with live reader status and
// card-inserted events"). app.js calls mountReaderPanel() when it draws the lookup view; the
// panel shows the reader status (GET /api/v1/readers), follows reader and card events by
// long-poll (GET /api/v1/readers/events) so a card put on the reader enables "Baca KTP-el"
// without a reload, and reads the card through the same lookup pipeline
// (POST /api/v1/agreements/{id}/card-lookups). Values go on the page with textContent only.
import { api, el } from "../js/base.js";

const SAM_CLASS = { aktif: "ok", belum_diaktifkan: "warn", pks_berakhir: "bad",
                    belum_berlaku: "warn", tidak_diizinkan: "bad" };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Draws the reader panel after `anchor` (the typed-NIK form).
//   agreement   the agreement shown ({id, title, ...})
//   canLookup   the account has a linked operator
//   purpose     () => the service-reference input of the lookup form
//   mode        () => "check" or "data" (the lookup form's choice)
//   pending     () => empties the lookup view's result box while a card lookup is on its way
//   showResult  (answer) => draws a lookup answer (the lookup view's result box)
export function mountReaderPanel({ agreement, anchor, canLookup, purpose, mode, pending, showResult }) {
  const old = document.getElementById("reader-panel");
  if (old) old.remove();
  const panel = el("section", "card reader-panel");
  panel.id = "reader-panel";
  panel.setAttribute("aria-labelledby", "reader-title");
  const title = el("h2", "", "Baca KTP-el");
  title.id = "reader-title";
  const status = el("p", "reader-status", "Memeriksa pembaca kartu…");
  status.id = "reader-status";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  const facts = el("dl", "facts reader-facts");
  facts.id = "reader-facts";
  const lastEvent = el("p", "hint");
  lastEvent.id = "reader-last-event";

  const consentLabel = el("label", "inline");
  const consent = el("input");
  consent.type = "checkbox";
  consent.id = "reader-consent";
  consentLabel.htmlFor = consent.id;
  consentLabel.append(consent, document.createTextNode(
    " Pemohon menyetujui data KTP-el disimpan (tanpa persetujuan, data kartu tidak disimpan)"));
  const button = el("button", "primary", "Baca KTP-el");
  button.type = "button";
  button.id = "reader-read";
  button.disabled = true;
  const error = el("p", "error");
  error.id = "reader-error";
  error.setAttribute("role", "alert");
  error.hidden = true;
  const result = el("div", "reader-result");
  result.id = "reader-result";
  result.hidden = true;
  panel.append(title, status, facts, lastEvent, consentLabel, button, error, result);
  anchor.after(panel);

  const ctx = { pair: null, busy: false, ready: false };

  async function refresh() {
    let s;
    try {
      s = await api("GET", `/api/v1/readers?agreement=${encodeURIComponent(agreement.id)}`);
    } catch (e) {
      if (e.status === 401) throw e;
      status.textContent = e.message;
      ctx.ready = false;
      sync();
      return null;
    }
    ctx.pair = s.pair;
    const rows = [];
    if (!s.service) {
      status.textContent = s.serviceMessage;
      status.className = "reader-status bad";
    } else if (!s.pair) {
      status.textContent = `Pembaca KTP-el tidak ditemukan. ${s.pairMessage || ""}`.trim();
      status.className = "reader-status bad";
    } else if (s.cardPresent) {
      status.textContent = "Kartu terdeteksi pada pembaca. Tekan \"Baca KTP-el\".";
      status.className = "reader-status ok";
    } else {
      status.textContent = "Pembaca siap. Tempelkan KTP-el pemohon pada pembaca.";
      status.className = "reader-status";
    }
    if (s.pair) {
      rows.push(["Pembaca", s.pair.card]);
      rows.push(["Kartu", s.cardPresent ? "Ada" : "Tidak ada"]);
      rows.push(["Slot SAM", s.samPresent ? "SAM terpasang" : "SAM tidak terpasang"]);
    }
    rows.push(["SAM perjanjian", s.sam.label + (s.sam.uid ? ` (UID ${s.sam.uid})` : "")]);
    if (!s.cardLookupAvailable) rows.push(["Konfigurasi", s.configMessage]);
    facts.replaceChildren();
    for (const [k, v] of rows) {
      const dd = el("dd", "", v);
      if (k === "SAM perjanjian") dd.className = `sam-${SAM_CLASS[s.sam.state] || "warn"}`;
      if (k === "Kartu") dd.id = "reader-card-state";
      facts.append(el("dt", "", k), dd);
    }
    ctx.ready = !!(s.service && s.pair && s.cardPresent && s.cardLookupAvailable);
    sync();
    return s;
  }

  function sync() {
    button.disabled = !canLookup || !ctx.ready || ctx.busy;
    button.title = canLookup ? "" : "Akun ini belum ditautkan ke data operator (NDA).";
  }

  async function follow(after) {
    // Long-poll while this panel is on the screen: each answer returns at once when an
    // event is already there, or after the server's bounded wait.
    while (panel.isConnected && !panel.closest("[hidden]")) {
      let r;
      try {
        r = await api("GET", `/api/v1/readers/events?after=${after}`);
      } catch (e) {
        if (e.status === 401 || !panel.isConnected) return;
        await sleep(3000);
        continue;
      }
      if (!panel.isConnected) return;
      // Too many screens are waiting on this host: poll again in a moment.
      if (r.busy && !r.events.length) await sleep(3000);
      after = r.latest;
      if (r.events.length || r.gap) {
        const last = r.events[r.events.length - 1];
        if (last) {
          lastEvent.textContent = `Peristiwa terakhir: ${last.label}${last.reader ? ` (${last.reader})` : ""}`;
          lastEvent.dataset.type = last.type;
        }
        await refresh();
      }
    }
  }

  async function read() {
    error.hidden = true;
    result.hidden = true;
    const purposeInput = purpose();
    const ref = purposeInput.value.trim();
    if (!ref) {
      error.textContent = "Isi rujukan layanan pada formulir di atas sebelum membaca kartu.";
      error.hidden = false;
      purposeInput.focus();
      return;
    }
    ctx.busy = true;
    sync();
    status.textContent = "Membaca KTP-el… jangan angkat kartu dari pembaca.";
    // The previous answer (another resident's, perhaps) goes before this card is read.
    pending();
    const wantData = mode() === "data";
    try {
      const r = await api("POST", `/api/v1/agreements/${encodeURIComponent(agreement.id)}/card-lookups`,
        { reader: ctx.pair ? ctx.pair.card : "", purpose: ref, consent: consent.checked,
          mode: wantData ? "data" : "check" });
      renderCard(r);
      showResult(r);
    } catch (e) {
      if (e.status === 401) throw e;
      error.textContent = e.message;
      error.dataset.code = e.code || "";
      error.hidden = false;
    } finally {
      ctx.busy = false;
      consent.checked = false;
      await refresh();
    }
  }

  function renderCard(r) {
    result.replaceChildren();
    if (r.card) {
      result.append(el("h3", "", "Data pada kartu (hanya elemen yang diizinkan PKS)"));
      const dl = el("dl", "facts");
      dl.id = "reader-card-data";
      for (const k of Object.keys(r.card).sort()) dl.append(el("dt", "", k), el("dd", "", r.card[k]));
      result.append(dl);
    }
    if (r.outcome === "found" && r.cardCode === "ok") {
      result.append(el("p", r.matches ? "ok" : "bad", r.matches
        ? "Data kartu sesuai dengan data Dukcapil."
        : "Data kartu TIDAK sesuai dengan data Dukcapil pada kolom yang ditandai."));
    }
    if (r.cardMessage) result.append(el("p", "hint", r.cardMessage));
    if (r.cardCode === "ok") {
      result.append(el("p", "hint", r.consentRecorded
        ? "Persetujuan pemohon dicatat; data kartu yang diizinkan disimpan."
        : "Tanpa persetujuan pemohon: tidak ada data kartu yang disimpan."));
      if (r.obligationId) result.append(el("p", "hint", `Kewajiban data balikan #${r.obligationId} dibuka (sumber: kartu).`));
    }
    result.hidden = !result.childNodes.length;
  }

  button.addEventListener("click", () => read().catch((e) => {
    error.textContent = e.message;
    error.hidden = false;
  }));
  refresh().then((s) => follow(s ? s.eventSeq : 0)).catch(() => {});
  return panel;
}
