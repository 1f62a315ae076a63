// Browser test of the agencies' own screens on the real application (gerbang serve with the
// three plugins + the registry stand-in): a Karanganyar counter operator checks an AK-I
// applicant on the plugin screen "Pemeriksaan Pemohon AK-I" (documents that do not match:
// Tidak Sesuai and no balikan; corrected: Sesuai and the register number recorded as the
// person's balikan, the obligation closed), then the Purbalingga training-participant and
// Jawa Barat job-seeker screens do the same; a CSRF-less POST and another agency's route
// fail. A screenshot of each agency screen is saved.
// Usage: node agency.test.mjs <gerbang> <gerbang-portal-sim> <config dir> <artefact dir>
import assert from "node:assert/strict";
import { browserTest, step } from "./harness.mjs";

// The birth date a NIK encodes (DDMMYY, +40 on the day for women), as a date input's value.
function birthDateOf(nik) {
  let day = Number(nik.slice(6, 8));
  if (day > 40) day -= 40;
  const yy = Number(nik.slice(10, 12));
  const year = yy > 26 ? 1900 + yy : 2000 + yy;
  return `${year}-${nik.slice(8, 10)}-${String(day).padStart(2, "0")}`;
}

await browserTest("agency.test.mjs", ["gerbang", "gerbang-portal-sim", "config dir", "artefact dir"], async (t) => {
  // The store holds balikan records with their NIK until the registry acknowledges them (the
  // outbox), so it lives outside the artefact directory and is removed at the end.
  const app = await t.startApp({ prefix: "agency" });
  // The Karanganyar PKS ended on 2022-11-09: an Adendum extends it for this test.
  app.run(["adendum", "add", "--agreement", "karanganyar-ak1", "--number", "UJI/ADD/KRA/2026",
           "--date", "2026-01-05", "--end", "2028-01-04", "--by", "uji-browser"]);
  const accounts = {
    "karanganyar-ak1": ["loketkra", "demo-karanganyar-01"],
    "purbalingga-dinnaker": ["loketpbg", "demo-purbalingga-01"],
    "jabar-disnakertrans": ["loketjabar", "demo-jabar-01"],
  };
  for (const [ag, [user, op]] of Object.entries(accounts)) app.account(user, "operator", ag, op);
  const niks = app.sampleNiks(3);
  const base = await app.serve();
  await t.launchChromium();

  // A signed-in page on the agreement's lookup screen with its plugin screen visible.
  const open = async (ag, screenId) => {
    const page = await t.newPage();
    await t.signIn(page, accounts[ag][0]);
    // The lookup view is busy until the agreement's own screens are drawn.
    await t.openRoute(page, `${base}/#/perjanjian/${ag}/cari`);
    const form = page.locator(`form[data-screen="${screenId}"]`);
    await form.waitFor({ state: "visible" });
    return { page, form };
  };
  const submit = async (page, form, routeSuffix) => {
    const answer = page.waitForResponse((r) => r.url().endsWith(routeSuffix));
    await form.locator('button[type="submit"]').click();
    const res = await answer;
    // This answer, not the previous one: the box is hidden and busy from the submit until
    // the answer is drawn.
    await form.locator('.plugin-result[aria-busy="false"]').waitFor({ state: "visible" });
    return res;
  };
  const shot = t.shot;

  let kra;
  await step("Karanganyar: the AK-I screen comes from the plugin with its route", async () => {
    kra = await open("karanganyar-ak1", "pemeriksaan-pemohon-ak1");
    assert.equal(await kra.form.locator("h2").textContent(), "Pemeriksaan Pemohon AK-I");
    assert.equal(await kra.form.locator('button[type="submit"]').textContent(), "Periksa dan catat");
  });

  const fillKra = async (birth) => {
    const f = kra.form;
    await f.locator('[name="nomor_register"]').fill("AK1-3313-202611-000457");
    await f.locator('[name="nik"]').fill(niks[0]);
    await f.locator('[name="tanggal_lahir"]').fill(birth);
    await f.locator('[name="nomor_id_kartu_pencari_kerja"]').fill("3313-2026-000031");
    await f.locator('[name="jenis_usaha"]').fill("Bengkel");
    await f.locator('[name="class_usaha"]').selectOption("mikro");
  };

  await step("Karanganyar: documents that do not match → Tidak Sesuai, balikan not recorded", async () => {
    await fillKra("1901-01-01");
    const res = await submit(kra.page, kra.form, "/api/v1/agencies/karanganyar-ak1/ak1/pemeriksaan");
    assert.equal(res.status(), 200);
    const result = kra.form.locator(".plugin-result");
    assert.equal(await result.locator('[data-key="outcome"]').textContent(), "Data ditemukan");
    assert.equal(await result.locator('[data-key="checks"] tbody td span').first().textContent(), "Tidak Sesuai");
    assert.equal(await result.locator('[data-key="balikan"]').getAttribute("data-status"), "not_recorded");
    // The NIK is not left on the counter screen.
    assert.equal(await kra.form.locator('[name="nik"]').inputValue(), "");
  });

  await step("Karanganyar: corrected documents → Sesuai, register number recorded as balikan", async () => {
    // Juknis: not "dalam waktu yang berdekatan" (the pattern guard's minimum interval).
    await kra.page.waitForTimeout(5500);
    await fillKra(birthDateOf(niks[0]));
    const res = await submit(kra.page, kra.form, "/api/v1/agencies/karanganyar-ak1/ak1/pemeriksaan");
    const body = await res.json();
    assert.equal(res.status(), 200, JSON.stringify(body));
    assert.equal(body.sesuai, true, JSON.stringify(body));
    assert.equal(body.balikan.status, "accepted", JSON.stringify(body));
    assert.equal(body.balikan.host.obligation_closed, true);
    assert.equal(body.register.nomor, "AK1-3313-202611-000457");
    // No registry value travels back: neither the NIK nor a data object.
    assert.equal(JSON.stringify(body).includes(niks[0]), false);
    assert.equal(body.data, undefined);
    const result = kra.form.locator(".plugin-result");
    assert.equal(await result.locator('[data-key="checks"] tbody td span').first().textContent(), "Sesuai");
    assert.equal(await result.locator('[data-key="balikan"]').getAttribute("data-status"), "accepted");
    assert.match(await result.locator('[data-key="balikan"]').textContent(), /Data balikan dicatat/);
    await shot(kra.page, "agency-karanganyar-ak1");
  });

  await step("CSRF-less POST and another agency's route are refused", async () => {
    const r = await kra.page.evaluate(async () => {
      const post = (p, headers) => fetch(p, { method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", ...headers }, body: "{}" });
      const noCsrf = await post("/api/v1/agencies/karanganyar-ak1/ak1/pemeriksaan", {});
      const s = await (await fetch("/api/v1/session", { credentials: "same-origin" })).json();
      const other = await post("/api/v1/agencies/purbalingga-dinnaker/pelatihan/pemeriksaan",
        { "X-CSRF-Token": s.csrfToken });
      return { noCsrf: noCsrf.status, other: other.status };
    });
    assert.equal(r.noCsrf, 403);
    assert.equal(r.other, 404);
  });

  await step("Purbalingga: training participant checked, certificate recorded as balikan", async () => {
    const { page, form } = await open("purbalingga-dinnaker", "pemeriksaan-peserta-pelatihan");
    await form.locator('[name="nomor_peserta"]').fill("PLT-3303-2026-00017");
    await form.locator('[name="nik"]').fill(niks[1]);
    await form.locator('[name="tanggal_lahir"]').fill(birthDateOf(niks[1]));
    await form.locator('[name="nomor_sertifikat_pelatihan"]').fill("SRT-3303-2026-00017");
    await form.locator('[name="jenis_pelatihan"]').fill("Menjahit");
    await form.locator('[name="penempatan_kerja"]').selectOption("dalam_negeri");
    const res = await submit(page, form, "/api/v1/agencies/purbalingga-dinnaker/pelatihan/pemeriksaan");
    const body = await res.json();
    assert.equal(body.balikan.status, "accepted", JSON.stringify(body));
    assert.equal(await form.locator('.plugin-result [data-key="checks"] tbody td span').first().textContent(), "Sesuai");
    await shot(page, "agency-purbalingga-dinnaker");
  });

  await step("Jawa Barat: job seeker checked, keterangan recorded as balikan", async () => {
    const { page, form } = await open("jabar-disnakertrans", "pemeriksaan-pencari-kerja");
    await form.locator('[name="nomor_pendaftaran"]').fill("AK1-3273-2026-000123");
    await form.locator('[name="nik"]').fill(niks[2]);
    await form.locator('[name="jenis_layanan"]').selectOption("pencari_kerja");
    await form.locator('[name="keterangan_pencari_kerja"]').fill("Terdaftar sebagai pencari kerja");
    const res = await submit(page, form, "/api/v1/agencies/jabar-disnakertrans/pemohon/pemeriksaan");
    const body = await res.json();
    assert.equal(body.outcome, "found", JSON.stringify(body));
    assert.equal(body.balikan.status, "accepted", JSON.stringify(body));
    await shot(page, "agency-jabar-disnakertrans");
  });
});
