// The console works the same against a remote Engage: a second instance of the app serves as
// the remote server, and an Owner points the console at it with its keys.
import { expect, test } from "@playwright/test";
import { admin, MAIN_PORT, MAIN_URL, SECOND_PORT, SECOND_URL } from "./fixtures/env";

test("an Owner connects the console to a remote Engage, and what it shows comes from there", async ({ browser, playwright }) => {
  const stamp = Date.now();
  // The remote Engage: its own group, location and keys, and a customer registered by a POS.
  const remoteGroup = admin<{ GroupID: number; Key: string }>(SECOND_PORT, ["group", "create", "--name", `Remote ${stamp}`, "--json"]);
  const remoteLocation = admin<{ LocationID: number; Key: string }>(SECOND_PORT, [
    "location", "create", "--group", String(remoteGroup.GroupID), "--name", "Remote store", "--json",
  ]);
  const pos = await playwright.request.newContext({ baseURL: SECOND_URL });
  const phone = `555${String(stamp).slice(-7)}`;
  const registered = await pos.post("/v1/Customers", {
    headers: { authorization: remoteLocation.Key, "content-type": "application/json" },
    data: { Phone: phone, FirstName: "Remote", LastName: "Customer" },
  });
  expect(registered.status()).toBe(201);

  // The console: a group of its own on the main instance, with an Owner.
  const group = admin<{ GroupID: number }>(MAIN_PORT, ["group", "create", "--name", `Console ${stamp}`, "--json"]);
  const location = admin<{ LocationID: number }>(MAIN_PORT, ["location", "create", "--group", String(group.GroupID), "--name", "Main street", "--json"]);
  const email = `remote-owner-${stamp}@example.com`;
  admin(MAIN_PORT, ["user", "create", "--email", email, "--role", "owner", "--group", String(group.GroupID), "--password-stdin", "--json"], "remote-owner-pass\n");

  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${MAIN_URL}/sign-in`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("remote-owner-pass");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();

  const headers = { "content-type": "application/json", origin: MAIN_URL };
  // Embedded first: the console's own Engage has no such customer.
  const before = await page.request.get(`/api/engage/Customers?Phone=${phone}`);
  expect(await before.json()).toEqual([]);

  const saved = await page.request.put("/api/settings/connection", {
    headers,
    data: {
      Mode: "remote",
      RemoteURL: SECOND_URL,
      GroupKey: remoteGroup.Key,
      LocationKeys: [{ LocationID: location.LocationID, Key: remoteLocation.Key }],
    },
  });
  expect(saved.status(), await saved.text()).toBe(200);
  const connection = await saved.json();
  expect(connection).toMatchObject({ Mode: "remote", RemoteURL: SECOND_URL });
  // The keys are stored, and only their last four characters come back.
  expect(JSON.stringify(connection)).not.toContain(remoteGroup.Key);

  const after = await page.request.get(`/api/engage/Customers?Phone=${phone}`);
  expect(after.status()).toBe(200);
  expect(await after.json()).toMatchObject([{ Phone: phone, FirstName: "Remote" }]);

  // Registering through the console lands on the remote server.
  const created = await page.request.post("/api/engage/Customers", {
    headers,
    data: { Phone: `556${String(stamp).slice(-7)}`, FirstName: "Through", LastName: "Console" },
  });
  expect(created.status()).toBe(201);
  const onRemote = await pos.get(`/v1/Customers?Phone=556${String(stamp).slice(-7)}`, { headers: { authorization: remoteGroup.Key } });
  expect(await onRemote.json()).toMatchObject([{ FirstName: "Through" }]);

  // The settings page shows the remote connection.
  await page.goto("/settings/connection");
  await expect
    .poll(() =>
      page.evaluate(
        (url) => document.body.innerText.includes(url) || [...document.querySelectorAll("input")].some((i) => i.value === url),
        SECOND_URL,
      ),
    )
    .toBe(true);

  // A remote server that is down: a clear message, not a blank page or a 500.
  const down = await page.request.put("/api/settings/connection", { headers, data: { Mode: "remote", RemoteURL: "http://127.0.0.1:3999" } });
  expect(down.status()).toBe(200);
  const unreachable = await page.request.get("/api/engage/Customers");
  expect(unreachable.status()).toBe(502);
  expect(await unreachable.json()).toMatchObject({ Code: "engage_unavailable", Message: expect.stringContaining("could not be reached") });

  await pos.dispose();
  await context.close();
});
