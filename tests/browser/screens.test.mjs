// Every screen, as every role sees it, on the real application (gerbang serve + the registry
// stand-in, `gerbang demo seed`): sign in as operator, supervisor, admin and evaluator, open
// each entry of the menu for an agreement, and save a full-page screenshot per role and
// screen (<role>-<screen>.png). Fails when a screen shows an error status, an API call of
// the screen is refused, the page throws, or an evaluator's screen holds a NIK-like number.
// Usage: node screens.test.mjs <gerbang> <gerbang-portal-sim> <config dir> <artefact dir>
import assert from "node:assert/strict";
import { browserTest, step } from "./harness.mjs";

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

await browserTest("screens.test.mjs", ["gerbang", "gerbang-portal-sim", "config dir", "artefact dir"], async (t) => {
  // The store and logs live outside the artefact directory and are removed at the end.
  const app = await t.startApp({ prefix: "screens" });
  for (const r of ROLES) app.account(r.username, r.role, r.agreement || AGREEMENT, r.operator);
  // A synthetic resident the stand-in knows: one lookup gives the dashboard and the audit
  // something to show (and the evaluator's screens a NIK they must not reveal).
  const nik = app.sampleNik();
  const base = await app.serve();
  await t.launchChromium();
  const problems = t.problems;

  for (const r of ROLES) {
    const agreement = r.agreement || AGREEMENT;
    const prefix = r.agreement ? `${r.role}-${r.agreement}` : r.role;
    // A fresh context per role: no cookie of the previous role survives.
    const page = await t.newPage();
    page.on("response", (res) => {
      const u = new URL(res.url());
      if (u.pathname.startsWith("/api/") && res.status() >= 400)
        problems.push(`${res.request().method()} ${u.pathname} → HTTP ${res.status()}`);
    });
    const shot = (screen) => t.shot(page, `${prefix}-${screen}`);

    await step(`${prefix}: sign in`, async () => {
      if (r === ROLES[0]) {
        await page.goto(base + "/");
        await page.locator("#login-username").waitFor({ state: "visible" });
        await shot("masuk");
      }
      await t.signIn(page, r.username);
      await page.waitForLoadState("networkidle");
      await shot("pilih");
    });
    if (r.role === "operator" && !r.agreement) await step(`${r.role}: one lookup`, async () => {
      const status = await page.evaluate(async ([n, p, ag]) => {
        const s = await (await fetch("/api/v1/session")).json();
        const res = await fetch(`/api/v1/agreements/${ag}/lookups`, {
          method: "POST", credentials: "same-origin", body: JSON.stringify({ nik: n, purpose: p, mode: "data" }),
          headers: { "Content-Type": "application/json", "X-CSRF-Token": s.csrfToken },
        });
        return res.status;
      }, [nik, PURPOSE, AGREEMENT]);
      assert.equal(status, 200);
    });

    // The menu this role gets for the agreement.
    await t.openRoute(page, `${base}/#/perjanjian/${agreement}`);
    const entries = await page.locator("#nav-links a").evaluateAll((as) =>
      as.map((a) => ({ href: a.getAttribute("href"), label: a.textContent })));
    const menu = entries.filter((e) => e.href.startsWith(`#/perjanjian/${agreement}`));
    assert.ok(menu.length >= 2, `${prefix}: menu ${JSON.stringify(entries)}`);
    if (r.role === "evaluator")
      assert.ok(!menu.some((e) => e.href.endsWith("/cari")), "an evaluator has no NIK lookup");

    for (const entry of menu) {
      const key = entry.href.split("/")[3] || "ringkasan";
      await step(`${prefix}: ${entry.label} (${key})`, async () => {
        problems.length = 0;
        // Waits for this entry's view, drawn afresh: a goto only changes the hash (the page
        // stays, with the previous entry's view until the new one is drawn) and the load
        // state was reached long before, so networkidle alone would look at the previous view.
        await t.openRoute(page, `${base}/${entry.href}`);
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
      });
    }
    await page.context().close();
  }
});
