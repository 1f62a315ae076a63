// Every screen, as every role sees it, on the real application (gerbang serve + the registry
// stand-in, `gerbang demo seed`): sign in as operator, supervisor, admin and evaluator, open
// each entry of the menu for an agreement, and save a full-page screenshot per role and
// screen (<role>-<screen>.png). Fails when a screen shows an error status, an API call of
// the screen is refused, the page throws, or an evaluator's screen holds a NIK-like number.
// Usage: node screens.test.mjs <gerbang> <gerbang-portal-sim> <config dir> <artefact dir>
import { spawn, spawnSync } from "node:child_process";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

const [gerbang, simBin, confDir, outDir] = process.argv.slice(2);
if (!gerbang || !simBin || !confDir || !outDir) {
  console.error("usage: node screens.test.mjs <gerbang> <gerbang-portal-sim> <config dir> <artefact dir>");
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
// The web accounts, one per role, all on the Purbalingga agreement; operator and supervisor
// are linked to the demo seed's operators (NDA on file).
const ROLES = [
  { role: "operator", username: "layar-operator", operator: "demo-purbalingga-01" },
  { role: "supervisor", username: "layar-supervisor", operator: "demo-supervisor" },
  { role: "admin", username: "layar-admin" },
  { role: "evaluator", username: "layar-evaluator" },
  // The other two agreements' counter screens (their plugins' own screens):
  // <role>-<agreement>-<screen>.png. Karanganyar's PKS has ended: its screens say so.
  { role: "operator", username: "layar-operator-jabar", operator: "demo-jabar-01",
    agreement: "jabar-disnakertrans" },
  { role: "operator", username: "layar-operator-kra", operator: "demo-karanganyar-01",
    agreement: "karanganyar-ak1" },
];
// The store and logs live outside the artefact directory and are removed at the end.
const state = fs.mkdtempSync(path.join(os.tmpdir(), "gerbang-screens-"));

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

const shots = [];
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
  for (const r of ROLES) {
    const args = ["accounts", "add", "--username", r.username, "--role", r.role, "--agreement", r.agreement || AGREEMENT];
    if (r.operator) args.push("--operator", r.operator);
    run(args, PASSWORD + "\n");
  }

  // A synthetic resident the stand-in knows: one lookup gives the dashboard and the audit
  // something to show (and the evaluator's screens a NIK they must not reveal).
  const sample = spawnSync(simBin, ["--print-sample", "1", "--kind", "found"], { encoding: "utf8" });
  const nik = sample.stdout.trim().split("\n")[0];
  assert.match(nik, /^\d{16}$/);

  server = await startChild(gerbang, [...conf, "serve", "--port", "0"], /melayani di (http:\/\/\S+?)\/ /);
  const base = server.url;
  assert.match(base, /^http:\/\/127\.0\.0\.1:\d+$/);
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });

  for (const r of ROLES) {
    const agreement = r.agreement || AGREEMENT;
    const prefix = r.agreement ? `${r.role}-${r.agreement}` : r.role;
    // A fresh context per role: no cookie of the previous role survives.
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: "id-ID" });
    const page = await context.newPage();
    const problems = [];
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("response", (res) => {
      const u = new URL(res.url());
      if (u.pathname.startsWith("/api/") && res.status() >= 400)
        problems.push(`${res.request().method()} ${u.pathname} → HTTP ${res.status()}`);
    });
    const shot = async (screen) => {
      const file = path.join(outDir, `${prefix}-${screen}.png`);
      await page.screenshot({ path: file, fullPage: true });
      shots.push(path.basename(file));
    };

    process.stdout.write(`- ${prefix}: sign in ... `);
    await page.goto(base + "/");
    await page.locator("#login-username").waitFor({ state: "visible" });
    if (r === ROLES[0]) await shot("masuk");
    await page.locator("#login-username").fill(r.username);
    await page.locator("#login-password").fill(PASSWORD);
    await page.locator("#login-submit").click();
    await page.locator("#view-picker").waitFor({ state: "visible" });
    await page.waitForLoadState("networkidle");
    await shot("pilih");
    console.log("ok");
    if (r.role === "operator" && !r.agreement) {
      process.stdout.write(`- ${r.role}: one lookup ... `);
      const status = await page.evaluate(async ([n, p, ag]) => {
        const s = await (await fetch("/api/v1/session")).json();
        const res = await fetch(`/api/v1/agreements/${ag}/lookups`, {
          method: "POST", credentials: "same-origin", body: JSON.stringify({ nik: n, purpose: p, mode: "data" }),
          headers: { "Content-Type": "application/json", "X-CSRF-Token": s.csrfToken },
        });
        return res.status;
      }, [nik, PURPOSE, AGREEMENT]);
      assert.equal(status, 200);
      console.log("ok");
    }

    // The menu this role gets for the agreement.
    await page.goto(`${base}/#/perjanjian/${agreement}`);
    await page.locator("#view-agreement").waitFor({ state: "visible" });
    const entries = await page.locator("#nav-links a").evaluateAll((as) =>
      as.map((a) => ({ href: a.getAttribute("href"), label: a.textContent })));
    const menu = entries.filter((e) => e.href.startsWith(`#/perjanjian/${agreement}`));
    assert.ok(menu.length >= 2, `${prefix}: menu ${JSON.stringify(entries)}`);
    if (r.role === "evaluator")
      assert.ok(!menu.some((e) => e.href.endsWith("/cari")), "an evaluator has no NIK lookup");

    for (const entry of menu) {
      const key = entry.href.split("/")[3] || "ringkasan";
      process.stdout.write(`- ${prefix}: ${entry.label} (${key}) ... `);
      problems.length = 0;
      await page.goto(`${base}/${entry.href}`);
      await page.waitForLoadState("networkidle");
      // The view the route drew: the agreement, dashboard, lookup or a module's screen.
      const visible = await page.locator("section.view:not([hidden])").evaluateAll((v) => v.map((x) => x.id));
      assert.equal(visible.length, 1, `${prefix} ${key}: visible views ${visible}`);
      assert.notEqual(visible[0], "view-picker", `${prefix} ${key}: sent back to the picker`);
      assert.notEqual(visible[0], "view-login", `${prefix} ${key}: signed out`);
      const status = (await page.locator("#status").textContent()).trim();
      assert.equal(status, "", `${prefix} ${key}: status says "${status}"`);
      assert.deepEqual(problems, [], `${prefix} ${key}`);
      if (r.role === "evaluator") {
        const text = await page.locator("body").innerText();
        assert.ok(!/(^|\D)\d{16}(\D|$)/.test(text), `${prefix} ${key}: a 16-digit number is on the page`);
        assert.ok(!text.includes(nik), `${prefix} ${key}: the looked-up NIK is on the page`);
      }
      await shot(key);
      console.log("ok");
    }
    await context.close();
  }
} catch (e) {
  failed = true;
  console.log("FAILED");
  console.error(e);
} finally {
  if (browser) await browser.close();
  for (const c of [server, sim]) if (c) c.child.kill("SIGTERM");
  fs.rmSync(state, { recursive: true, force: true });
}
console.log(`${shots.length} screenshot(s) in ${outDir}${failed ? "; FAILED" : ""}`);
process.exit(failed ? 1 : 0);
