// Browser test: sign in, see the agreement picker, move through it by keyboard, open an
// agreement, and check that the page cannot cross agencies or skip CSRF.
// Usage: node login_picker.test.mjs <web_browser_server binary> <artefact dir>
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PASSWORD, browserTest, startChild, step } from "./harness.mjs";

await browserTest("login_picker.test.mjs", ["server binary", "artefact dir"], async (t) => {
  // The server's store (accounts only) in a temporary directory, removed at the end.
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "gerbang-login-state-"));
  t.defer(() => fs.rmSync(stateDir, { recursive: true, force: true }));  // runs last
  const server = await startChild(t.args["server binary"], [stateDir], /LISTENING (\S+)/);
  t.defer(() => server.child.kill("SIGTERM"));
  const base = server.url;
  // Loopback only (rule 2: closed network).
  assert.match(base, /^http:\/\/127\.0\.0\.1:\d+$/);
  await t.launchChromium();
  const page = await t.newPage();
  const context = page.context();
  const problems = t.problems;
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
  const shot = (name) => t.shot(page, name);

  await step("the login screen opens with the cursor in the username box", async () => {
    await page.goto(base + "/");
    await page.locator("#view-login").waitFor({ state: "visible" });
    assert.equal(await page.evaluate(() => document.activeElement.id), "login-username");
    assert.equal(await page.locator("html").getAttribute("lang"), "id");
    // Before signing in there is no navigation and nothing to sign out of.
    assert.equal(await page.locator("#nav").isVisible(), false);
    assert.equal(await page.locator("#logout").isVisible(), false);
    await shot("01-login");
  });

  await step("a wrong password shows the refusal in Indonesian", async () => {
    await page.keyboard.type("operator1");
    await page.keyboard.press("Tab");
    await page.keyboard.type("bukan-sandinya");
    await page.keyboard.press("Enter");
    const err = page.locator("#login-error");
    await err.waitFor({ state: "visible" });
    assert.equal(await err.textContent(), "Nama pengguna atau kata sandi salah.");
    await shot("02-login-wrong-password");
    problems.length = 0;  // the 401 itself is logged by the browser as a failed resource
  });

  await step("signing in by keyboard shows the agreement picker", async () => {
    // The failed attempt left the focus in the password box.
    assert.equal(await page.evaluate(() => document.activeElement.id), "login-password");
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press("Enter");
    await page.locator("#view-picker").waitFor({ state: "visible" });
    await page.locator('#picker-list[aria-busy="false"] button').first().waitFor();
    await shot("03-picker");
  });

  await step("the picker lists the user's agreements with status and days left", async () => {
    const items = await page.locator("#picker-list button").evaluateAll((bs) =>
      bs.map((b) => ({ id: b.dataset.id, text: b.innerText })));
    assert.deepEqual(items.map((i) => i.id),
      ["jabar-disnakertrans", "karanganyar-ak1", "purbalingga-dinnaker"]);
    const byId = Object.fromEntries(items.map((i) => [i.id, i.text]));
    // 2026-11-23 → 2027-09-16 is 297 days; Jawa Barat ended 2023-06-18.
    assert.match(byId["purbalingga-dinnaker"], /Aktif/);
    assert.match(byId["purbalingga-dinnaker"], /Sisa 297 hari/);
    assert.match(byId["jabar-disnakertrans"], /Berakhir — akses ditutup/);
    assert.match(byId["jabar-disnakertrans"], /Berakhir 1\.254 hari lalu/);
    assert.match(byId["karanganyar-ak1"], /Berakhir/);
    assert.match(await page.locator("#picker-today").textContent(), /23-11-2026/);
    assert.match(await page.locator("#nav-user").textContent(), /operator1 · Operator/);
  });

  await step("arrow keys, Home and End move through the picker; Enter opens", async () => {
    const focused = () => page.evaluate(() => document.activeElement.dataset.id || document.activeElement.id);
    assert.equal(await focused(), "jabar-disnakertrans");
    await page.keyboard.press("ArrowDown");
    assert.equal(await focused(), "karanganyar-ak1");
    await page.keyboard.press("End");
    assert.equal(await focused(), "purbalingga-dinnaker");
    await page.keyboard.press("ArrowUp");
    assert.equal(await focused(), "karanganyar-ak1");
    await page.keyboard.press("Home");
    assert.equal(await focused(), "jabar-disnakertrans");
    await page.keyboard.press("End");
    await page.keyboard.press("Enter");
    await page.locator("#view-agreement").waitFor({ state: "visible" });
    assert.equal(await page.locator("#agreement-title").textContent(), "Dinnaker Kabupaten Purbalingga");
    assert.equal(await page.locator("#agreement-closed").isHidden(), true);
    assert.match(await page.locator("#agreement-facts").innerText(), /500\.15\/1564\/2025/);
    await shot("04-agreement-active");
  });

  await step("an expired agreement says plainly that access is closed", async () => {
    await page.locator("#nav-links a", { hasText: "Ganti perjanjian" }).click();
    await page.locator("#view-picker").waitFor({ state: "visible" });
    // While the list loads it is empty and busy, so a quick Enter cannot pick a stale entry.
    await page.locator('#picker-list[aria-busy="false"] button').first().waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.dataset.id), "jabar-disnakertrans");
    await page.keyboard.press("Enter");  // the first entry has the focus: Jawa Barat
    await page.locator("#view-agreement").waitFor({ state: "visible" });
    const closed = page.locator("#agreement-closed");
    await closed.waitFor({ state: "visible" });
    assert.match(await closed.textContent(), /Akses ditutup/);
    assert.match(await closed.textContent(), /Adendum/);
    await shot("05-agreement-expired");
  });

  await step("the page cannot skip CSRF or read another agency's agreement", async () => {
    const r = await page.evaluate(async () => {
      const noCsrf = await fetch("/api/v1/session", { method: "DELETE", credentials: "same-origin" });
      const session = await (await fetch("/api/v1/session")).json();
      return { noCsrf: noCsrf.status, stillIn: session.authenticated };
    });
    assert.equal(r.noCsrf, 403);
    assert.equal(r.stillIn, true);
    // The session cookie is HttpOnly: page script cannot read it.
    assert.equal(await page.evaluate(() => document.cookie.includes("gerbang_session")), false);
    const cookies = await context.cookies();
    const sc = cookies.find((c) => c.name === "gerbang_session");
    assert.ok(sc, "session cookie set");
    assert.equal(sc.httpOnly, true);
    assert.equal(sc.sameSite, "Strict");
  });

  await step("signing out by the header button returns to the login screen", async () => {
    await page.locator("#logout").click();
    // Signing out reloads the page: the message comes after the reload.
    await page.locator("#status", { hasText: "Anda telah keluar." }).waitFor();
    await page.locator("#view-login").waitFor({ state: "visible" });
    assert.equal(await page.locator("#logout").isVisible(), false);
    // Nothing of the previous user stays in the page for the next one at the counter.
    assert.equal(await page.locator("#picker-list button").count(), 0);
    assert.equal(await page.locator("#agreement-title").textContent(), "");
    const s = await page.evaluate(async () => (await fetch("/api/v1/session")).json());
    assert.equal(s.authenticated, false);
    await shot("06-logged-out");
  });

  await step("another agency's operator sees only their own agreement", async () => {
    await page.locator("#login-username").fill("operator2");
    await page.locator("#login-password").fill(PASSWORD);
    await page.locator("#login-submit").click();
    await page.locator('#picker-list[aria-busy="false"] button').first().waitFor();
    const ids = await page.locator("#picker-list button").evaluateAll((bs) => bs.map((b) => b.dataset.id));
    assert.deepEqual(ids, ["karanganyar-ak1"]);
    const status = await page.evaluate(async () =>
      (await fetch("/api/v1/agreements/purbalingga-dinnaker")).status);
    assert.equal(status, 404);
    // Typing another agency's agreement into the address bar leads back to the picker.
    await page.goto(base + "/#/perjanjian/purbalingga-dinnaker");
    await page.locator("#status", { hasText: "Perjanjian tidak ditemukan." }).waitFor();
    assert.equal(await page.locator("#view-picker").isVisible(), true);
    assert.equal(await page.locator("#view-agreement").isHidden(), true);
    await shot("07-other-agency-refused");
    problems.length = 0;  // the deliberate 403/404 fetches above are logged as failed resources
  });

  await step("no script errors and no Content-Security-Policy violations", async () => {
    assert.deepEqual(problems, []);
  });
});
