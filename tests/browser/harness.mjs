// The one harness of the browser tests. browserTest() reads the arguments, runs the test's
// steps, reports them, and tears everything down; t.startApp() starts the registry stand-in,
// seeds a temporary store with `gerbang demo seed` and starts `gerbang serve` on 127.0.0.1
// (free ports, the demo day 2026-11-23); t.launchChromium() starts Debian's Chromium.
// A test file holds only its own steps and assertions.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

export const PASSWORD = "sandi-uji-0123";
export const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--disable-quic",
];

// Starts a child and resolves with the first match of `re` on its stdout: { child, url (the
// first group), match, send(line) (one line on its stdin) }.
export function startChild(bin, args, re) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ["pipe", "pipe", "inherit"] });
    let buf = "";
    child.stdout.on("data", (d) => {
      buf += d.toString();
      const m = buf.match(re);
      if (m) resolve({ child, url: m[1], match: m, send: (line) => child.stdin.write(line + "\n") });
    });
    child.on("exit", (code) => reject(new Error(`${path.basename(bin)} exited early (code ${code})`)));
    child.on("error", reject);
  });
}

// SIGTERM, and wait until the child is gone.
export function stopChild(c) {
  if (!c) return Promise.resolve();
  return new Promise((resolve) => {
    if (c.child.exitCode !== null || c.child.signalCode !== null) return resolve();
    c.child.on("exit", resolve);
    c.child.kill("SIGTERM");
  });
}

export const steps = [];
export async function step(name, fn) {
  process.stdout.write(`- ${name} ... `);
  await fn();
  steps.push(name);
  console.log("ok");
}

// The application on a fresh store: { sim, server, base, run, account, sampleNiks, sampleNik,
// serve, stop }. The store is $TMPDIR/gerbang-<prefix>-state-XXXX, removed by stop(): the
// artefact directory holds screenshots only (no store, log or key that could carry anything
// of a resident, e.g. the balikan outbox before delivery). simArgs and conf are
// extra arguments of the stand-in and extra "-D key=value" settings; conf may be a function of
// the stand-in's URL. run(args, stdin) runs the gerbang CLI on the same store.
export async function startApp({ gerbang, simBin, confDir, prefix, simArgs = [],
                                 conf: extra = [] }) {
  const state = fs.mkdtempSync(path.join(os.tmpdir(), `gerbang-${prefix}-state-`));
  const app = { state, sim: null, server: null, base: null };
  app.stop = async () => {
    await stopChild(app.server);
    await stopChild(app.sim);
    fs.rmSync(state, { recursive: true, force: true });
  };
  try {
    await startAppIn(app, { gerbang, simBin, confDir, simArgs, extra });
  } catch (e) {
    await app.stop();
    throw e;
  }
  return app;
}

async function startAppIn(app, { gerbang, simBin, confDir, simArgs, extra }) {
  const state = app.state;
  app.sim = await startChild(simBin, ["--port", "0", "--today", "2026-11-23", "--access-log", "none", ...simArgs],
    /listening (http:\/\/\S+)/);
  const settings = typeof extra === "function" ? extra(app.sim.url) : extra;
  const conf = [
    "--config", path.join(confDir, "demo.properties"),
    "-D", `store.uri=sqlite:${path.join(state, "gerbang.db")}`,
    "-D", `log.dir=${path.join(state, "log")}`,
    "-D", `audit.key_file=${path.join(state, "audit.key")}`,
    "-D", `portal.url=${app.sim.url}`,
    "-D", "clock.today=2026-11-23",
    ...settings.flatMap((s) => ["-D", s]),
  ];
  app.run = (args, input) => {
    const r = spawnSync(gerbang, [...conf, ...args], { input: input || "", encoding: "utf8" });
    if (r.status !== 0) throw new Error(`gerbang ${args.join(" ")}: ${r.stderr}`);
    return r.stdout;
  };
  app.account = (username, role, agreements, operator) =>
    app.run(["accounts", "add", "--username", username, "--role", role, "--agreement", agreements,
             ...(operator ? ["--operator", operator] : [])], PASSWORD + "\n");
  // count synthetic residents the stand-in knows, each checked to be a NIK.
  app.sampleNiks = (count, kind = "found") => {
    const niks = spawnSync(simBin, ["--print-sample", String(count), "--kind", kind], { encoding: "utf8" })
      .stdout.trim().split("\n");
    assert.equal(niks.length, count);
    for (const n of niks) assert.match(n, /^\d{16}$/);
    return niks;
  };
  app.sampleNik = (kind = "found") => app.sampleNiks(1, kind)[0];
  app.serve = async () => {
    app.server = await startChild(gerbang, [...conf, "serve", "--port", "0"], /melayani di (http:\/\/\S+?)\/ /);
    app.base = app.server.url;
    assert.match(app.base, /^http:\/\/127\.0\.0\.1:\d+$/);
    return app.base;
  };
  app.run(["demo", "seed"]);
}

export function launchChromium() {
  return chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
}

// Opens a route of the app (base + "#/...") and waits until its view is drawn by this
// navigation, not an earlier render still on the page. A goto to the URL the page is on
// already does nothing (no load, no hashchange: nothing is drawn again), so the page is
// reloaded then. The picker, the lookup view and the module screens are aria-busy until
// drawn (a module screen also names itself in data-screen); the agreement and dashboard
// views are drawn in one go when shown, so their being visible is enough when the page
// came from another view.
export async function openRoute(page, url) {
  if (page.url() === url) await page.reload();
  else await page.goto(url);
  const hash = new URL(url).hash;
  const screen = hash.match(/^#\/perjanjian\/[^/]+\/([a-z0-9-]+)$/);
  if (/^#\/perjanjian\/[^/]+$/.test(hash)) {
    await page.locator("#view-agreement").waitFor();
  } else if (screen && screen[1] === "cari") {
    await page.locator('#view-lookup[aria-busy="false"]').waitFor();
  } else if (screen && screen[1] === "dasbor") {
    await page.locator("#view-dashboard").waitFor();
  } else if (screen) {
    await page.locator(`#view-screen[data-screen="${screen[1]}"]:not([hidden]) > #screen-body[aria-busy="false"]`)
      .waitFor({ state: "attached" });
  } else {
    await page.locator('#view-picker:not([hidden]) > #picker-list[aria-busy="false"]').waitFor({ state: "attached" });
  }
}

// The next NIK in the same village and birth date: sequential entry (juknis).
export function nextNik(nik) {
  const serial = (Number(nik.slice(12)) % 9999) + 1;
  return nik.slice(0, 12) + String(serial).padStart(4, "0");
}

// Runs one browser test: `node <file> <argNames...>`. body(t) gets t.args (by name), t.outDir
// (the last argument), t.problems (page errors of every t.newPage; must be empty at the end),
// and t.startApp, t.launchChromium, t.newPage, t.signIn, t.openRoute, t.shot, t.defer
// (teardown, last first). Prints "- step ... ok" per step and a summary; exits 1 on a
// failure, 2 on usage.
export async function browserTest(file, argNames, body) {
  const argv = process.argv.slice(2);
  if (argNames.some((_, i) => !argv[i])) {
    console.error(`usage: node ${file} ${argNames.map((n) => `<${n}>`).join(" ")}`);
    process.exit(2);
  }
  const args = Object.fromEntries(argNames.map((n, i) => [n, argv[i]]));
  const outDir = argv[argNames.length - 1];
  const teardown = [];
  const t = {
    args, outDir, problems: [], browser: null, base: null,
    defer: (fn) => teardown.push(fn),
    startApp: async (opts) => {
      const app = await startApp({ gerbang: args.gerbang, simBin: args["gerbang-portal-sim"],
                                   confDir: args["config dir"], outDir, ...opts });
      teardown.push(() => app.stop());
      const serve = app.serve;
      app.serve = async () => (t.base = await serve());
      return app;
    },
    launchChromium: async () => {
      const browser = await launchChromium();
      teardown.push(() => browser.close());
      t.browser = browser;
      return browser;
    },
    // A page in a fresh context (1024×768, id-ID); its page errors go to t.problems.
    newPage: async (contextOptions = {}) => {
      const context = await t.browser.newContext({ viewport: { width: 1024, height: 768 }, locale: "id-ID",
                                                   ...contextOptions });
      const page = await context.newPage();
      page.on("pageerror", (e) => t.problems.push(`page error: ${e.message}`));
      return page;
    },
    signIn: async (page, username, base = t.base) => {
      await page.goto(base + "/");
      await page.locator("#login-username").fill(username);
      await page.locator("#login-password").fill(PASSWORD);
      await page.locator("#login-submit").click();
      // The picker is shown at once, empty and busy until the agreements arrive.
      await page.locator('#view-picker:not([hidden]) > #picker-list[aria-busy="false"]').waitFor({ state: "attached" });
    },
    openRoute,
    // A full-page screenshot <name>.png in the artefact directory.
    shot: (page, name, options = {}) =>
      page.screenshot({ path: path.join(outDir, `${name}.png`), fullPage: true, ...options }),
  };
  let failed = false;
  try {
    await body(t);
    assert.deepEqual(t.problems, []);
  } catch (e) {
    failed = true;
    console.log("FAILED");
    console.error(e && e.stack ? e.stack : e);
  } finally {
    for (const fn of teardown.reverse()) {
      try { await fn(); } catch (e) { console.error(`teardown: ${e.message}`); }
    }
  }
  console.log(`${steps.length} step(s) passed${failed ? ", then a failure" : ""}; screenshots in ${outDir}`);
  process.exit(failed ? 1 : 0);
}
