// Browser test of the KTP-el reader on the lookup screen (issue 7: "baca KTP-el with live
// reader status and card-inserted events") on the real application with pcscd + vpcd and the
// virtual card: the status shows the virtual reader and no card, "Baca KTP-el" is disabled;
// putting the card on the reader enables it without a reload (long-poll event); the card
// lookup shows the registry's answer with permitted fields only (Purbalingga: no NO_KK) and
// the card's data; lifting the card disables the button again. Screenshots of each state.
// Usage: node reader.test.mjs <gerbang> <gerbang-portal-sim> <gerbang-vcard> <source dir> <artefact dir>
import { spawn, spawnSync } from "node:child_process";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";

const [gerbang, simBin, vcardBin, srcDir, outDir] = process.argv.slice(2);
if (!gerbang || !simBin || !vcardBin || !srcDir || !outDir) {
  console.error("usage: node reader.test.mjs <gerbang> <gerbang-portal-sim> <gerbang-vcard> <source dir> <artefact dir>");
  process.exit(2);
}
const AGREEMENT = "purbalingga-dinnaker";
const PURPOSE = "PLT-3303-2026-00017";
const SAM_UID = "5A4D000100000001";  // vcard.sam.uid in sim/vcard/test-sam.properties
const CARD_SLOT = "Virtual PCD 00 00";

const PASSWORD = "sandi-uji-0123";

// A child process; resolves once its stdout matches `ready` (with the match), so tests wait
// for the stand-ins and the server to listen. send() writes one command line to its stdin.
function launch(bin, args, ready) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ["pipe", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d.toString();
      const m = out.match(ready);
      if (m) resolve({ child, match: m, send: (line) => child.stdin.write(line + "\n") });
    });
    child.on("exit", (code) => reject(new Error(`${path.basename(bin)} stopped (code ${code})`)));
    child.on("error", reject);
  });
}

const passed = [];
async function check(what, body) {
  process.stdout.write(`- ${what} ... `);
  await body();
  passed.push(what);
  console.log("ok");
}

const children = [];
let browser;
let failed = false;
try {
  const state = fs.mkdtempSync(path.join(outDir, "reader-state-"));
  const sim = await launch(simBin, ["--port", "0", "--today", "2026-11-23", "--access-log", "none"],
    /listening (http:\/\/\S+)/);
  children.push(sim);
  const conf = [
    "--config", path.join(srcDir, "config", "demo.properties"),
    "-D", `store.uri=sqlite:${path.join(state, "gerbang.db")}`,
    "-D", `log.dir=${path.join(state, "log")}`,
    "-D", `audit.key_file=${path.join(state, "audit.key")}`,
    "-D", `portal.url=${sim.match[1]}`,
    "-D", "clock.today=2026-11-23",
  ];
  const cli = (args, stdin = "") => {
    const r = spawnSync(gerbang, [...conf, ...args], { input: stdin, encoding: "utf8" });
    assert.equal(r.status, 0, `gerbang ${args[0]} ${args[1] || ""}: ${r.stderr}`);
  };
  cli(["demo", "seed"]);
  cli(["accounts", "add", "--username", "loket-kartu", "--role", "operator", "--agreement", AGREEMENT,
       "--operator", "demo-purbalingga-01"], PASSWORD + "\n");
  cli(["sam", "activate", "--agreement", AGREEMENT, "--uid", SAM_UID, "--date", "2025-10-01"]);
  const nik = spawnSync(simBin, ["--print-sample", "1", "--kind", "found"], { encoding: "utf8" })
    .stdout.trim().split("\n")[0];
  assert.match(nik, /^\d{16}$/);
  // The virtual KTP-el of that resident, off the reader ("insert"/"remove" on its stdin).
  const vcard = await launch(vcardBin, ["--config", path.join(srcDir, "sim", "vcard", "test-sam.properties"),
                                        "--nik", nik, "--no-insert"], /^ready /m);
  children.push(vcard);
  const server = await launch(gerbang, [...conf, "serve", "--port", "0"], /melayani di (http:\/\/\S+?)\/ /);
  children.push(server);
  const base = server.match[1];
  assert.match(base, /^http:\/\/127\.0\.0\.1:\d+$/);

  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
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

  await check("sign in and open the lookup screen", async () => {
    await page.goto(base + "/");
    await page.locator("#login-username").fill("loket-kartu");
    await page.locator("#login-password").fill(PASSWORD);
    await page.locator("#login-submit").click();
    await page.locator("#view-picker").waitFor({ state: "visible" });
    await page.goto(`${base}/#/perjanjian/${AGREEMENT}/cari`);
    await page.locator("#view-lookup").waitFor({ state: "visible" });
  });

  await check("the reader status shows the virtual reader, no card, the SAM active", async () => {
    await page.locator("#reader-facts dd", { hasText: CARD_SLOT }).waitFor();
    assert.equal(await page.locator("#reader-card-state").textContent(), "Tidak ada");
    assert.match(await page.locator("#reader-status").textContent(), /Tempelkan KTP-el/);
    assert.match(await page.locator("#reader-facts").textContent(), /SAM aktif untuk perjanjian ini/);
    assert.equal(await page.locator("#reader-read").isDisabled(), true);
    await shot("30-reader-no-card");
  });

  await check("putting the card on the reader enables Baca KTP-el without a reload", async () => {
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

  await check("the card lookup shows the registry's answer with permitted fields only", async () => {
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

  await check("lifting the card disables the button again", async () => {
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
  for (const c of children.reverse()) c.child.kill("SIGTERM");
}
console.log(`${passed.length} check(s) passed${failed ? ", then a failure" : ""}; screenshots in ${outDir}`);
process.exit(failed ? 1 : 0);
