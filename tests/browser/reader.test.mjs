// Browser test of the KTP-el reader on the lookup screen (issue 7: "baca KTP-el with live
// reader status and card-inserted events") on the real application with pcscd + vpcd and the
// virtual card: the status shows the virtual reader and no card, "Baca KTP-el" is disabled;
// putting the card on the reader enables it without a reload (long-poll event); the card
// lookup shows the registry's answer with permitted fields only (Purbalingga: no NO_KK) and
// the card's data; lifting the card disables the button again. Screenshots of each state.
// Usage: node reader.test.mjs <gerbang> <gerbang-portal-sim> <gerbang-vcard> <source dir> <artefact dir>
import { spawn } from "node:child_process";
import assert from "node:assert/strict";
import path from "node:path";
import { PASSWORD, step, steps, startApp, launchChromium } from "./harness.mjs";

const [gerbang, simBin, vcardBin, srcDir, outDir] = process.argv.slice(2);
if (!gerbang || !simBin || !vcardBin || !srcDir || !outDir) {
  console.error("usage: node reader.test.mjs <gerbang> <gerbang-portal-sim> <gerbang-vcard> <source dir> <artefact dir>");
  process.exit(2);
}
const AGREEMENT = "purbalingga-dinnaker";
const PURPOSE = "PLT-3303-2026-00017";
const SAM_UID = "5A4D000100000001";  // vcard.sam.uid in sim/vcard/test-sam.properties
const CARD_SLOT = "Virtual PCD 00 00";

// The virtual KTP-el: commands on stdin ("insert", "remove"), answers on stdout.
function startVcard(nik) {
  return new Promise((resolve, reject) => {
    const child = spawn(vcardBin, ["--config", path.join(srcDir, "sim", "vcard", "test-sam.properties"),
                                   "--nik", nik, "--no-insert"], { stdio: ["pipe", "pipe", "inherit"] });
    let buf = "";
    child.stdout.on("data", (d) => {
      buf += d.toString();
      if (/^ready /m.test(buf)) resolve({ child, send: (cmd) => child.stdin.write(cmd + "\n") });
    });
    child.on("exit", (code) => reject(new Error(`gerbang-vcard exited early (code ${code})`)));
    child.on("error", reject);
  });
}

let app, vcard, browser;
let failed = false;
try {
  app = await startApp({ gerbang, simBin, confDir: path.join(srcDir, "config"), outDir, prefix: "reader" });
  app.account("loket-kartu", "operator", AGREEMENT, "demo-purbalingga-01");
  app.run(["sam", "activate", "--agreement", AGREEMENT, "--uid", SAM_UID, "--date", "2025-10-01"]);
  const nik = app.sampleNik("found");
  assert.match(nik, /^\d{16}$/);
  vcard = await startVcard(nik);
  const base = await app.serve();
  assert.match(base, /^http:\/\/127\.0\.0\.1:\d+$/);

  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: "id-ID" });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  // Personal data (synthetic, still) stays out of the artefacts: values are blanked on the
  // page before a screenshot (after the assertions).
  const shot = async (name) => {
    await page.evaluate(() => {
      for (const dd of document.querySelectorAll("#reader-card-data dd, #lookup-data dd")) dd.textContent = "(disamarkan)";
    });
    await page.screenshot({ path: path.join(outDir, `${name}.png`), fullPage: true });
  };

  await step("sign in and open the lookup screen", async () => {
    await page.goto(base + "/");
    await page.locator("#login-username").fill("loket-kartu");
    await page.locator("#login-password").fill(PASSWORD);
    await page.locator("#login-submit").click();
    await page.locator("#view-picker").waitFor({ state: "visible" });
    await page.goto(`${base}/#/perjanjian/${AGREEMENT}/cari`);
    await page.locator("#view-lookup").waitFor({ state: "visible" });
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
    await page.locator("#lookup-result").waitFor({ state: "visible" });
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
    await shot("32-reader-card-lookup");
  });

  await step("lifting the card disables the button again", async () => {
    vcard.send("remove");
    await page.locator("#reader-read:disabled").waitFor({ timeout: 30000 });
    assert.equal(await page.locator("#reader-card-state").textContent(), "Tidak ada");
    assert.match(await page.locator("#reader-last-event").textContent(), /Kartu dicabut/);
  });

  assert.deepEqual(problems, []);
} catch (e) {
  failed = true;
  console.log("FAILED");
  console.error(e);
} finally {
  if (browser) await browser.close();
  if (vcard) vcard.child.kill("SIGTERM");
  if (app) app.stop();
}
console.log(`${steps.length} step(s) passed${failed ? ", then a failure" : ""}; screenshots in ${outDir}`);
process.exit(failed ? 1 : 0);
