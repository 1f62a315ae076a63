// Browser test of the data-balikan screens on the real application (gerbang serve with its
// delivery worker + gerbang-portal-sim as registry and data-balikan receiver): an operator
// looks up two people (each opens a balikan obligation), sees them in the backlog, submits
// the balikan form (a wrong value first: the field's error, without the value), uploads a CSV
// with an error row and sees the row error report (and downloads it: rows, columns and
// reasons, no NIK), the backlog shrinks, and the worker delivers to the receiver.
// Usage: node balikan.test.mjs <gerbang> <gerbang-portal-sim> <config dir> <artefact dir>
import assert from "node:assert/strict";
import fs from "node:fs";
import { browserTest, step } from "./harness.mjs";

const AGREEMENT = "purbalingga-dinnaker";
const PURPOSE = "PLT-3303-2026-00017";
const TOKEN = "uji-token-balikan-browser";

await browserTest("balikan.test.mjs", ["gerbang", "gerbang-portal-sim", "config dir", "artefact dir"], async (t) => {
  // The store (its outbox holds NIKs until the receiver acknowledges them, the audit holds
  // HMACs) lives outside the artefacts and is removed at the end, after serve stopped (its
  // delivery worker is joined on SIGTERM).
  const app = await t.startApp({
    prefix: "balikan", simArgs: ["--balikan-token", TOKEN],
    conf: (simUrl) => [`balikan.url=${simUrl}/balikan`, `balikan.token=${TOKEN}`,
                       "balikan.delivery.interval_seconds=1"],
  });
  const sim = app.sim;
  app.account("loket1", "operator", AGREEMENT, "demo-purbalingga-01");
  const niks = app.sampleNiks(20);
  const [nikA, nikB] = [niks[0], niks[10]];
  assert.notEqual(nikA.slice(0, 6), nikB.slice(0, 6));
  const base = await app.serve();
  await t.launchChromium();
  const page = await t.newPage({ acceptDownloads: true });
  // Artefacts hold no NIK (synthetic or not): a NIK typed into the form is masked.
  const shot = (name) => t.shot(page, name, { mask: [page.locator("#balikan-nik")] });
  // Opens a screen drawn afresh (the same screen again is reloaded: see openRoute), so its
  // content is never the previous render's.
  const screen = (key) => t.openRoute(page, `${base}/#/perjanjian/${AGREEMENT}/${key}`);
  const backlog = async () => {
    await screen("kewajiban-balikan");
    return page.locator(".backlog-counts").textContent();
  };
  const pageHasNoNik = async () => {
    const text = await page.locator("#view-screen").textContent();
    for (const n of [nikA, nikB]) assert.equal(text.includes(n), false, "a NIK is on the page");
  };

  await step("sign in as a Purbalingga counter operator", async () => {
    await t.signIn(page, "loket1");
  });

  await step("the menu has the three balikan screens", async () => {
    await backlog();
    for (const label of ["Data balikan", "Unggah berkas", "Kewajiban balikan"])
      assert.equal(await page.locator("#nav").getByRole("link", { name: label, exact: true }).count(), 1, label);
    assert.match(await page.locator(".backlog-counts").textContent(), /Belum dipenuhi: 0/);
  });

  await step("two lookups open two obligations, listed without any NIK", async () => {
    for (const [i, n] of [nikA, nikB].entries()) {
      // The pattern guard refuses entries "dalam waktu yang berdekatan": let time pass.
      if (i > 0) await page.waitForTimeout(6500);
      await t.openRoute(page, `${base}/#/perjanjian/${AGREEMENT}/cari`);
      await page.locator("#mode-data").check();
      await page.locator("#lookup-nik").fill(n);
      await page.locator("#lookup-purpose").fill(PURPOSE);
      await Promise.all([page.waitForResponse((r) => r.url().endsWith("/lookups")),
                         page.locator("#lookup-submit").click()]);
      // This answer, not the previous one: the box is hidden and busy until it is drawn.
      await page.locator('#lookup-result[aria-busy="false"]').waitFor({ state: "visible" });
      assert.equal(await page.locator("#lookup-outcome").textContent(), "Data ditemukan");
    }
    assert.match(await backlog(), /Belum dipenuhi: 2 · terlambat: 0/);
    const rows = page.locator(".backlog-table tbody tr");
    assert.equal(await rows.count(), 2);
    assert.equal(await rows.nth(0).locator("td").nth(5).textContent(), PURPOSE);
    assert.equal(await rows.nth(0).locator("td").nth(6).textContent(), "demo-purbalingga-01");
    assert.match(await rows.nth(0).locator("td").nth(0).textContent(), /^[0-9a-f]{12}$/);
    await pageHasNoNik();
    await shot("30-balikan-backlog-before");
  });

  await step("the balikan form shows a field's error without its value, then accepts", async () => {
    await screen("data-balikan");
    assert.equal(await page.locator('label[for="balikan-nomor_sertifikat_pelatihan"]').textContent(),
                 "Nomor sertifikat peserta pelatihan kerja");
    await page.locator("#balikan-nik").fill(nikA);
    await page.locator("#balikan-keterangan_pencari_kerja").fill("Terdaftar");
    await page.locator("#balikan-nomor_sertifikat_pelatihan").fill("SERTIFIKAT-SALAH");
    await page.locator("#balikan-jenis_pelatihan").fill("Menjahit");
    await page.locator("#balikan-penempatan_kerja").selectOption("dalam_negeri");
    await page.locator("#balikan-submit").click();
    const err = page.locator("#balikan-nomor_sertifikat_pelatihan-error");
    await err.waitFor({ state: "visible" });
    assert.match(await err.textContent(), /Nomor sertifikat peserta pelatihan kerja: /);
    assert.equal((await page.locator("#view-screen").textContent()).includes("SERTIFIKAT-SALAH"), false);
    assert.equal(await page.locator("#balikan-nomor_sertifikat_pelatihan").getAttribute("aria-invalid"), "true");
    await shot("31-balikan-form-error");
    await page.locator("#balikan-nomor_sertifikat_pelatihan").fill("SRT-3303-2025-00017");
    await page.locator("#balikan-submit").click();
    await page.locator(".balikan-result .notice").waitFor();
    assert.match(await page.locator(".balikan-result").textContent(), /diterima.*Kewajiban balikan orang ini selesai/);
    assert.equal(await err.isVisible(), false);
    assert.equal(await page.locator("#balikan-nik").inputValue(), "");
    await shot("32-balikan-form-ok");
    assert.match(await backlog(), /Belum dipenuhi: 1 · /);
  });

  await step("a CSV with an error row: the valid row is accepted, the row error report shown", async () => {
    await screen("unggah-balikan");
    const csv = "nik;keterangan_pencari_kerja;nomor_sertifikat_pelatihan;jenis_pelatihan;penempatan_kerja\r\n" +
      `${nikB};Terdaftar;SRT-3303-2025-00018;Las;luar_negeri\r\n` +
      `${nikA};Terdaftar;SRT-3303-2025-00019;Las;ke_bulan\r\n`;
    await page.locator("#balikan-file").setInputFiles({ name: "balikan.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    const [answer] = await Promise.all([page.waitForResponse((r) => r.url().endsWith("/balikan/uploads")),
                                        page.locator("#balikan-upload-submit").click()]);
    assert.equal(answer.status(), 200);
    const table = page.locator(".row-errors");
    await table.waitFor();
    assert.equal(await table.locator("tbody tr").count(), 1);
    const cells = await table.locator("tbody tr td").allTextContents();
    assert.equal(cells[0], "3");
    assert.equal(cells[1], "Penempatan kerja");
    assert.equal(cells[2].includes("ke_bulan"), false);
    assert.match(await page.locator(".upload-summary").textContent(), /Diterima1/);
    await pageHasNoNik();
    await shot("33-balikan-upload-errors");
    const [download] = await Promise.all([page.waitForEvent("download"), page.locator("a.download").click()]);
    const file = await download.path();
    const report = fs.readFileSync(file, "utf8");
    assert.match(report, /baris;kolom;alasan/);
    assert.match(report, /\r\n3;Penempatan kerja;/);
    for (const n of [nikA, nikB]) assert.equal(report.includes(n), false, "a NIK in the error report");
  });

  await step("the backlog is empty and the worker delivered both records", async () => {
    let text = "";
    for (let i = 0; i < 40; i++) {
      await backlog();
      text = await page.locator(".delivery").textContent();
      if (/Terkirim ke Dukcapil2/.test(text)) break;
      await page.waitForTimeout(500);
    }
    assert.match(await page.locator(".backlog-counts").textContent(), /Belum dipenuhi: 0 · /);
    assert.match(text, /Terkirim ke Dukcapil2/);
    assert.match(text, /Pengiriman otomatisaktif/);
    const count = await (await fetch(`${sim.url}/sim/balikan/count`)).json();
    assert.equal(count.records, 2);
    await shot("34-balikan-backlog-after");
  });
});
