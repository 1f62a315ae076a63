// Browser test of the supervisor and admin screens on the real application (gerbang serve +
// the registry stand-in, demo seed): an operator's lookups (one found, one blocked by the
// pattern guard) show up in the supervisor's pseudonymous audit view with the chain
// verified and no NIK on the page; the supervisor releases the block; the evaluator sees
// figures without operator names; the admin records an Adendum that reopens the expired
// Karanganyar agreement, sees the plugins and the health checks.
// Usage: node supervise.test.mjs <gerbang> <gerbang-portal-sim> <config dir> <artefact dir>
import assert from "node:assert/strict";
import { browserTest, nextNik as next, step } from "./harness.mjs";

const PBG = "purbalingga-dinnaker";
const KRA = "karanganyar-ak1";
const PURPOSE = "PLT-3303-2026-00017";

await browserTest("supervise.test.mjs", ["gerbang", "gerbang-portal-sim", "config dir", "artefact dir"], async (t) => {
  const app = await t.startApp({ prefix: "supervise" });
  app.account("loket1", "operator", PBG, "demo-purbalingga-01");
  app.account("spv1", "supervisor", PBG, "demo-supervisor");
  app.account("eval1", "evaluator", PBG);
  app.account("adm1", "admin", `${PBG},${KRA}`);
  const nik = app.sampleNik();
  const nextNik = next(nik);
  const base = await app.serve();
  await t.launchChromium();
  const { newPage, signIn } = t;
  // The whole screen is drawn (every section's answers are in) before anything is read or
  // used, so a check that something is absent looks at the full screen.
  const openScreen = (page, agreement, key) => t.openRoute(page, `${base}/#/perjanjian/${agreement}/${key}`);
  const shot = t.shot;

  await step("an operator looks up a NIK, then a sequential one is blocked", async () => {
    const page = await newPage();
    await signIn(page, "loket1");
    const outcomes = await page.evaluate(async ([a, b, p]) => {
      const s = await (await fetch("/api/v1/session")).json();
      const h = { "Content-Type": "application/json", "X-CSRF-Token": s.csrfToken };
      const out = [];
      for (const n of [a, b]) {
        const r = await fetch("/api/v1/agreements/purbalingga-dinnaker/lookups",
          { method: "POST", headers: h, body: JSON.stringify({ nik: n, purpose: p }), credentials: "same-origin" });
        out.push((await r.json()).outcome);
      }
      return out;
    }, [nik, nextNik, PURPOSE]);
    assert.deepEqual(outcomes, ["found", "pattern_blocked"]);
    await page.context().close();
  });

  await step("the supervisor's audit view: chain verified, both attempts, no NIK on the page", async () => {
    const page = await newPage();
    await signIn(page, "spv1");
    await openScreen(page, PBG, "pengawasan");
    assert.match(await page.locator("#chain-status").textContent(), /Rantai audit utuh/);
    const rows = page.locator("#audit-records tbody tr");
    assert.equal(await rows.count(), 2);
    const text = await page.locator("#audit-records").textContent();
    assert.match(text, /demo-purbalingga-01/);
    assert.match(text, /Diblokir pola/);
    const html = await page.content();
    assert.equal(html.includes(nik), false, "the NIK must not be on the page");
    assert.equal(html.includes(nextNik), false);
    // Filter: only the pattern block.
    await page.locator("#audit-outcome").selectOption("pattern_blocked");
    await page.getByRole("button", { name: "Tampilkan" }).click();
    await page.locator("#audit-records").getByText("Ditemukan").waitFor({ state: "detached" });
    assert.equal(await rows.count(), 1);
    await shot(page, "20-supervisor-audit");

    // Release the block for one lookup, with a reason.
    await page.locator("#sup-release-operator").selectOption("demo-purbalingga-01");
    await page.locator("#sup-release-reason").fill("Satu keluarga mendaftar bersama di loket");
    await page.getByRole("button", { name: "Buka blokir satu kali" }).click();
    await page.getByText("Menunggu").waitFor();
    assert.match(await page.locator("body").textContent(), /Satu keluarga mendaftar bersama/);
    assert.match(await page.locator("body").textContent(), /NDA/);
    await shot(page, "21-supervisor-release-operators");
    await page.context().close();
  });

  await step("the evaluator sees figures only: no operator names or NIK pseudonyms", async () => {
    const page = await newPage();
    await signIn(page, "eval1");
    await openScreen(page, PBG, "pengawasan");
    assert.equal(await page.locator("#audit-records tbody tr").count(), 2);
    const body = await page.locator("body").textContent();
    assert.equal(body.includes("demo-purbalingga-01"), false);
    assert.equal(body.includes(PURPOSE), false);
    assert.equal(await page.locator("#audit-operator").count(), 0);
    assert.equal(await page.locator("#sup-release-reason").count(), 0);
    await shot(page, "22-evaluator-audit");
    await page.context().close();
  });

  await step("the admin records an Adendum that reopens Karanganyar and sees plugins and health", async () => {
    const page = await newPage();
    await signIn(page, "adm1");
    await openScreen(page, KRA, "administrasi");
    assert.match(await page.locator("#adendum-terms").textContent(), /Berakhir — akses ditutup/);
    // A widening of the elements is refused with the reason.
    await page.locator("#ad-number").fill("DEMO/ADD-KRA/2026");
    await page.locator("#ad-date").fill("2026-11-20");
    await page.locator("#ad-elements").fill("NIK,AGAMA");
    await page.getByRole("button", { name: "Catat Adendum" }).click();
    await page.locator("#adendum-message.error").waitFor();
    await page.locator("#ad-elements").fill("");
    await page.locator("#ad-end").fill("2027-11-09");
    await page.getByRole("button", { name: "Catat Adendum" }).click();
    await page.locator("#adendum-message.ok-text").waitFor();
    assert.match(await page.locator("#adendum-message").textContent(), /Status sekarang: Aktif/);
    // The terms are fetched again after the message: wait for the new ones.
    await page.locator("#adendum-terms", { hasText: "09-11-2027" }).waitFor();
    const plugins = await page.locator("body").textContent();
    for (const id of ["jabar-disnakertrans", "purbalingga-dinnaker", "karanganyar-ak1"]) assert.match(plugins, new RegExp(id));
    const health = await page.locator("#health").textContent();
    assert.match(health, /Rantai audit/);
    assert.match(health, /Portal Dukcapil/);
    await shot(page, "23-admin");
    // The agreement list now shows Karanganyar open again.
    const status = await page.evaluate(async () => (await (await fetch("/api/v1/agreements/karanganyar-ak1")).json()).status);
    assert.equal(status, "aktif");
    await page.context().close();
  });
});
