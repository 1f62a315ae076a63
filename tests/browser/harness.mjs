// Shared by the browser tests that run the real application: start the registry stand-in,
// seed a temporary store with `gerbang demo seed`, add web accounts, start `gerbang serve`
// on 127.0.0.1 (free ports, the demo day 2026-11-23), launch Debian's Chromium, and report
// steps. Each test imports what it needs.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";

export const PASSWORD = "sandi-uji-0123";
export const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--disable-quic",
];

// Starts a child and resolves with the first match of `re` on its stdout.
export function startChild(bin, args, re) {
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

export const steps = [];
export async function step(name, fn) {
  process.stdout.write(`- ${name} ... `);
  await fn();
  steps.push(name);
  console.log("ok");
}

// The application on a fresh store under outDir/<prefix>-XXXX: { sim, server, base, run,
// account, sampleNik, stop }. run(args, stdin) runs the gerbang CLI on the same store.
export async function startApp({ gerbang, simBin, confDir, outDir, prefix }) {
  const state = fs.mkdtempSync(path.join(outDir, `${prefix}-state-`));
  const sim = await startChild(simBin, ["--port", "0", "--today", "2026-11-23", "--access-log", "none"],
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
  const account = (username, role, agreements, operator) =>
    run(["accounts", "add", "--username", username, "--role", role, "--agreement", agreements,
         ...(operator ? ["--operator", operator] : [])], PASSWORD + "\n");
  const sampleNik = (kind = "found") =>
    spawnSync(simBin, ["--print-sample", "1", "--kind", kind], { encoding: "utf8" }).stdout.trim().split("\n")[0];
  run(["demo", "seed"]);
  const app = { sim, server: null, base: null, run, account, sampleNik };
  app.serve = async () => {
    app.server = await startChild(gerbang, [...conf, "serve", "--port", "0"], /melayani di (http:\/\/\S+?)\/ /);
    app.base = app.server.url;
    return app.base;
  };
  app.stop = () => { for (const c of [app.server, sim]) if (c) c.child.kill("SIGTERM"); };
  return app;
}

export function launchChromium() {
  return chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
}
