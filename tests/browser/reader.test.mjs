// Browser test of the KTP-el reader on the lookup screen (issue 7: "baca KTP-el with live
// reader status and card-inserted events") on the real application with pcscd + vpcd and the
// virtual card: the status shows the virtual reader and no card, "Baca KTP-el" is disabled;
// putting the card on the reader enables it without a reload (long-poll event); the card
// lookup shows the registry's answer with permitted fields only (Purbalingga: no NO_KK) and
// the card's data; lifting the card disables the button again. Screenshots of each state.
// Usage: node reader.test.mjs <gerbang> <gerbang-portal-sim> <gerbang-vcard> <source dir> <artefact dir>
import assert from "node:assert/strict";
import path from "node:path";
import { browserTest, startChild, step } from "./harness.mjs";

const AGREEMENT = "purbalingga-dinnaker";
const PURPOSE = "PLT-3303-2026-00017";
const SAM_UID = "5A4D000100000001";  // vcard.sam.uid in sim/vcard/test-sam.properties
const CARD_SLOT = "Virtual PCD 00 00";

await browserTest("reader.test.mjs",
                  ["gerbang", "gerbang-portal-sim", "gerbang-vcard", "source dir", "artefact dir"], async (t) => {
  const srcDir = t.args["source dir"];
  const app = await t.startApp({ prefix: "reader", confDir: path.join(srcDir, "config") });
  app.account("loket-kartu", "operator", AGREEMENT, "demo-purbalingga-01");
  app.run(["sam", "activate", "--agreement", AGREEMENT, "--uid", SAM_UID, "--date", "2025-10-01"]);
  const nik = app.sampleNik();
  // The virtual KTP-el of that resident, off the reader ("insert"/"remove" on its stdin).
  const vcard = await startChild(t.args["gerbang-vcard"],
    ["--config", path.join(srcDir, "sim", "vcard", "test-sam.properties"), "--nik", nik, "--no-insert"], /^ready /m);
  t.defer(() => vcard.child.kill("SIGTERM"));
  const base = await app.serve();
  await t.launchChromium();
  const page = await t.newPage();
  // Personal data (synthetic, still) stays out of the artefacts: values are blanked on the
  // page before a screenshot (after the assertions).
  const shot = async (name) => {
    await page.evaluate(() => {
      for (const dd of document.querySelectorAll("#reader-card-data dd, #lookup-data dd")) dd.textContent = "(disamarkan)";
    });
    await t.shot(page, name);
  };

  await step("sign in and open the lookup screen", async () => {
    await t.signIn(page, "loket-kartu");
    await t.openRoute(page, `${base}/#/perjanjian/${AGREEMENT}/cari`);
  });

  await step("the reader status shows the virtual reader, no card, the SAM active", async () => {
    await page.locator("#reader-facts dd", { hasText: CARD_SLOT }).waitFor();
    assert.equal(await page.locator("#reader-card-state").textContent(), "Tidak ada");
    assert.match(await page.locator("#reader-status").textContent(), /Tempelkan KTP-el/);
    assert.match(await page.locator("#reader-facts").textContent(), /SAM aktif untuk perjanjian ini/);
    assert.equal(await page.locator("#reader-read").isDisabled(), true);
    await shot("30-reader-no-card");
  });

  await step("putting the card on the reader enables Baca KTP-el without a reload", async () => {
    const marker = await page.evaluate(() => { window.__sameDocument = true; return true; });
    assert.ok(marker);
    vcard.send("insert");
    await page.locator("#reader-read:enabled").waitFor({ timeout: 30000 });
    assert.equal(await page.locator("#reader-card-state").textContent(), "Ada");
    assert.match(await page.locator("#reader-last-event").textContent(), /Kartu dimasukkan/);
    // The same document: the event came through the long-poll, not a page load.
    assert.equal(await page.evaluate(() => window.__sameDocument === true), true);
    await shot("31-reader-card-inserted");
  });

  await step("the card lookup shows the registry's answer with permitted fields only", async () => {
    await page.locator("#mode-data").check();
    await page.locator("#lookup-purpose").fill(PURPOSE);
    const answer = page.waitForResponse((r) => r.url().endsWith("/card-lookups"));
    await page.locator("#reader-read").click();
    const res = await answer;
    assert.equal(res.status(), 200);
    // This answer: the box is hidden and busy from the read until the answer is drawn.
    await page.locator('#lookup-result[aria-busy="false"]').waitFor({ state: "visible" });
    assert.equal(await page.locator("#lookup-outcome").textContent(), "Data ditemukan");
    const keys = await page.locator("#lookup-data dt").allTextContents();
    assert.ok(keys.includes("NAMA_LGKP"), keys.join(","));
    assert.ok(!keys.includes("NO_KK"), "Purbalingga may not receive NO_KK");
    assert.ok(!keys.includes("AGAMA"));
    const cardKeys = await page.locator("#reader-card-data dt").allTextContents();
    assert.ok(cardKeys.includes("NIK"), cardKeys.join(","));
    assert.ok(!cardKeys.includes("NO_KK") && !cardKeys.includes("AGAMA") && !cardKeys.includes("GOL_DARAH"));
    const nikAt = cardKeys.indexOf("NIK");
    assert.equal(await page.locator("#reader-card-data dd").nth(nikAt).textContent(), nik);
    assert.match(await page.locator("#reader-result").textContent(), /Data kartu sesuai dengan data Dukcapil/);
    assert.match(await page.locator("#reader-result").textContent(), /tidak ada data kartu yang disimpan/);
    // The read is over once the panel has asked for the reader status again: the button was
    // disabled while reading and is enabled again (the card is still on the reader).
    await page.locator("#reader-read:enabled").waitFor({ timeout: 30000 });
    await shot("32-reader-card-lookup");
  });

  await step("lifting the card disables the button again", async () => {
    vcard.send("remove");
    // Wait for the removal itself: the button may still be disabled from the read, or the
    // status may still say "Ada", for a moment.
    await page.locator("#reader-last-event", { hasText: "Kartu dicabut" }).waitFor({ timeout: 30000 });
    await page.locator("#reader-card-state", { hasText: /^Tidak ada$/ }).waitFor({ timeout: 30000 });
    assert.equal(await page.locator("#reader-read").isDisabled(), true);
  });
});
