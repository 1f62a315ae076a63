// Browser test of the counter flow on the real application (gerbang serve + the registry
// stand-in): look up a found NIK (only permitted fields: Purbalingga has no NO_KK), cross-
// check Sesuai / Tidak Sesuai, get blocked by the pattern guard (a sequential NIK), see the
// dashboard move, and fail a CSRF-less POST and a cross-agency lookup.
// Usage: node lookup.test.mjs <gerbang> <gerbang-portal-sim> <config dir> <artefact dir>
import { spawn, spawnSync } from "node:child_process";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";

const [gerbang, simBin, confDir, outDir] = process.argv.slice(2);
if (!gerbang || !simBin || !confDir || !outDir) {
  console.error("usage: node lookup.test.mjs <gerbang> <gerbang-portal-sim> <config dir> <artefact dir>");
  process.exit(2);
}
const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--disable-quic",
];
const PASSWORD = "sandi-uji-0123";
const AGREEMENT = "purbalingga-dinnaker";
const PURPOSE = "PLT-3303-2026-00017";
const state = fs.mkdtempSync(path.join(outDir, "lookup-state-"));

// Starts a child and resolves with the first match of `re` on its stdout.
function startChild(bin, args, re) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ["pipe", "pipe", "inherit"] });
    let buf = "";
    child.stdout.on("data", (d) => {
      buf += d.toString();
      const m = buf.match(re);
      if (m) resolve({ child, url: m[1] });
    });
    child.on("exit", (code) => reject(new Error(`${path.basename(bin)} exited early (code ${code})`)));
    child.on("error", reject);
  });
}

const steps = [];
async function step(name, fn) {
  process.stdout.write(`- ${name} ... `);
  await fn();
  steps.push(name);
  console.log("ok");
}

let sim, server, browser;
let failed = false;
try {
  sim = await startChild(simBin, ["--port", "0", "--today", "2026-11-23", "--access-log", "none"],
    /listening (http:\/\/\S+)/);
  const conf = [
    "--config", path.join(confDir, "demo.properties"),
    "-D", `store.uri=sqlite:${path.join(state, "gerbang.db")}`,
    "-D", `log.dir=${path.join(state, "log")}`,
    "-D", `audit.key_file=${path.join(state, "audit.key")}`,
    "-D", `portal.url=${sim.url}`,
    "-D", "clock.today=2026-11-23",
  ];
  const run = (args, input) => {
    const r = spawnSync(gerbang, [...conf, ...args], { input: input || "", encoding: "utf8" });
    if (r.status !== 0) throw new Error(`gerbang ${args.join(" ")}: ${r.stderr}`);
    return r.stdout;
  };
  run(["demo", "seed"]);
  run(["accounts", "add", "--username", "loket1", "--role", "operator", "--agreement", AGREEMENT,
       "--operator", "demo-purbalingga-01"], PASSWORD + "\n");
  run(["accounts", "add", "--username", "loketkra", "--role", "operator", "--agreement", "karanganyar-ak1",
       "--operator", "demo-karanganyar-01"], PASSWORD + "\n");
  const sample = spawnSync(simBin, ["--print-sample", "1", "--kind", "found"], { encoding: "utf8" });
  const nik = sample.stdout.trim().split("\n")[0];
  assert.match(nik, /^\d{16}$/);
  // The next NIK in the same village and birth date: sequential entry (juknis).
  const serial = (Number(nik.slice(12)) % 9999) + 1;
  const nextNik = nik.slice(0, 12) + String(serial).padStart(4, "0");

  server = await startChild(gerbang, [...conf, "serve", "--port", "0"], /melayani di (http:\/\/\S+?)\/ /);
  const base = server.url;
  assert.match(base, /^http:\/\/127\.0\.0\.1:\d+$/);
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: "id-ID" });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  const shot = (name) => page.screenshot({ path: path.join(outDir, `${name}.png`), fullPage: true });
  const dash = async () => {
    await page.goto(`${base}/#/perjanjian/${AGREEMENT}/dasbor`);
    await page.locator("#view-dashboard").waitFor({ state: "visible" });
    await page.locator('#dashboard-facts dd[data-key="used"]').waitFor();
    return {
      used: await page.locator('#dashboard-facts dd[data-key="used"]').textContent(),
      blocks: await page.locator('#dashboard-facts dd[data-key="blocks"]').textContent(),
    };
  };
  const lookup = async (n, mode, fill) => {
    await page.goto(`${base}/#/perjanjian/${AGREEMENT}/cari`);
    await page.locator("#view-lookup").waitFor({ state: "visible" });
    await page.locator(mode === "check" ? "#mode-check" : "#mode-data").check();
    await page.locator("#lookup-nik").fill(n);
    await page.locator("#lookup-purpose").fill(PURPOSE);
    if (fill) await fill();
    const answer = page.waitForResponse((r) => r.url().endsWith("/lookups"));
    await page.locator("#lookup-submit").click();
    await answer;
    await page.locator("#lookup-result").waitFor({ state: "visible" });
  };

  await step("sign in as a Purbalingga counter operator", async () => {
    await page.goto(base + "/");
    await page.locator("#login-username").fill("loket1");
    await page.locator("#login-password").fill(PASSWORD);
    await page.locator("#login-submit").click();
    await page.locator("#view-picker").waitFor({ state: "visible" });
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

  assert.deepEqual(problems, []);
} catch (e) {
  failed = true;
  console.log("FAILED");
  console.error(e);
} finally {
  if (browser) await browser.close();
  for (const c of [server, sim]) if (c) c.child.kill("SIGTERM");
}
console.log(`${steps.length} step(s) passed${failed ? ", then a failure" : ""}; screenshots in ${outDir}`);
process.exit(failed ? 1 : 0);
