// Browser test of the counter flow on the real application (gerbang serve + the registry
// stand-in): look up a found NIK (only permitted fields: Purbalingga has no NO_KK), cross-
// check Sesuai / Tidak Sesuai, get blocked by the pattern guard (a sequential NIK), see the
// dashboard move, and fail a CSRF-less POST and a cross-agency lookup.
// Usage: node lookup.test.mjs <gerbang> <gerbang-portal-sim> <config dir> <artefact dir>
import assert from "node:assert/strict";
import { browserTest, nextNik as next, step } from "./harness.mjs";

const AGREEMENT = "purbalingga-dinnaker";
const PURPOSE = "PLT-3303-2026-00017";

await browserTest("lookup.test.mjs", ["gerbang", "gerbang-portal-sim", "config dir", "artefact dir"], async (t) => {
  const app = await t.startApp({ prefix: "lookup" });
  app.account("loket1", "operator", AGREEMENT, "demo-purbalingga-01");
  app.account("loketkra", "operator", "karanganyar-ak1", "demo-karanganyar-01");
  const nik = app.sampleNik();
  const nextNik = next(nik);
  const base = await app.serve();
  await t.launchChromium();
  const page = await t.newPage();
  const shot = (name) => t.shot(page, name);
  const dash = async () => {
    await t.openRoute(page, `${base}/#/perjanjian/${AGREEMENT}/dasbor`);
    return {
      used: await page.locator('#dashboard-facts dd[data-key="used"]').textContent(),
      blocks: await page.locator('#dashboard-facts dd[data-key="blocks"]').textContent(),
    };
  };
  // Each lookup on a freshly drawn lookup screen; the answer is read once it is drawn (the
  // box is hidden and busy from the submit on, so no earlier answer can be read as this one).
  const lookup = async (n, mode, fill) => {
    await t.openRoute(page, `${base}/#/perjanjian/${AGREEMENT}/cari`);
    await page.locator(mode === "check" ? "#mode-check" : "#mode-data").check();
    await page.locator("#lookup-nik").fill(n);
    await page.locator("#lookup-purpose").fill(PURPOSE);
    if (fill) await fill();
    const answer = page.waitForResponse((r) => r.url().endsWith("/lookups"));
    await page.locator("#lookup-submit").click();
    await answer;
    await page.locator('#lookup-result[aria-busy="false"]').waitFor({ state: "visible" });
  };

  await step("sign in as a Purbalingga counter operator", async () => {
    await t.signIn(page, "loket1");
  });

  let before;
  await step("the dashboard shows today's figures", async () => {
    before = await dash();
    assert.equal(before.used, "0");
    await shot("10-dashboard-before");
  });

  let name;
  await step("a found NIK shows only the permitted elements (no NO_KK) and quota left", async () => {
    await lookup(nik, "data");
    assert.equal(await page.locator("#lookup-outcome").textContent(), "Data ditemukan");
    const keys = await page.locator("#lookup-data dt").allTextContents();
    assert.ok(keys.includes("NAMA_LGKP"), keys.join(","));
    assert.ok(!keys.includes("NO_KK"), "Purbalingga may not receive NO_KK");
    assert.ok(!keys.includes("AGAMA"));
    assert.match(await page.locator("#lookup-quota").textContent(), /Sisa kuota hari ini: /);
    // The NIK is cleared from the form once answered.
    assert.equal(await page.locator("#lookup-nik").inputValue(), "");
    const i = keys.indexOf("NAMA_LGKP");
    name = await page.locator("#lookup-data dd").nth(i).textContent();
    await shot("11-lookup-data");
  });

  await step("cross-check: the typed name is Sesuai, a wrong birth place Tidak Sesuai", async () => {
    // The juknis forbids entries "dalam waktu yang berdekatan": the server's clock runs, so
    // let more than the 5-second minimum interval pass before the next lookup.
    await page.waitForTimeout(6500);
    await lookup(nik, "check", async () => {
      await page.locator("#check-NAMA_LGKP").fill(`  ${name.toLowerCase()} `);
      await page.locator("#check-TMPT_LHR").fill("KOTA YANG SALAH");
    });
    const rows = page.locator("#lookup-checks tbody tr");
    assert.equal(await rows.count(), 2);
    assert.equal(await page.locator('#lookup-checks tr[data-field="NAMA_LGKP"] td').nth(1).textContent(), "Sesuai");
    assert.equal(await page.locator('#lookup-checks tr[data-field="TMPT_LHR"] td').nth(1).textContent(), "Tidak Sesuai");
    // In this mode no registry value is on the page.
    assert.equal(await page.locator("#lookup-data").isVisible(), false);
    assert.equal((await page.locator("#lookup-result").textContent()).includes(name), false);
    await shot("12-lookup-crosscheck");
  });

  await step("a sequential NIK straight after is blocked by the pattern guard", async () => {
    await lookup(nextNik, "data");
    assert.equal(await page.locator("#lookup-outcome").textContent(), "Ditahan: pola pencarian tidak wajar");
    assert.match(await page.locator("#lookup-result").getAttribute("class"), /blocked/);
    assert.match(await page.locator("#lookup-message").textContent(), /penanggung jawab/);
    await shot("13-lookup-blocked");
  });

  await step("the dashboard moved: quota used and a pattern block", async () => {
    const after = await dash();
    assert.equal(after.used, "2");
    assert.equal(after.blocks, "1");
    await shot("14-dashboard-after");
  });

  await step("a CSRF-less POST and a cross-agency lookup fail", async () => {
    const r = await page.evaluate(async ([n, p]) => {
      const body = JSON.stringify({ nik: n, purpose: p });
      const h = { "Content-Type": "application/json" };
      const noCsrf = await fetch("/api/v1/agreements/purbalingga-dinnaker/lookups",
        { method: "POST", headers: h, body, credentials: "same-origin" });
      const s = await (await fetch("/api/v1/session")).json();
      const other = await fetch("/api/v1/agreements/karanganyar-ak1/lookups",
        { method: "POST", headers: { ...h, "X-CSRF-Token": s.csrfToken }, body, credentials: "same-origin" });
      return { noCsrf: noCsrf.status, other: other.status };
    }, [nik, PURPOSE]);
    assert.equal(r.noCsrf, 403);
    assert.equal(r.other, 404);
  });
});
