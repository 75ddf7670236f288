// The outbox in the console: the messages a campaign's offer queued — the email delivered to
// the local SMTP server, the SMS not sent (no SMS provider is configured here) — with the
// recipient masked, status, attempts and reason, filtered by status and campaign in the URL.
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { unique } from "./fixtures/console";
import { engage, registerCustomer, sale, uniqueContact } from "./fixtures/campaign-data";
import { DEMO_LOCATION, locationKey } from "./fixtures/engage-api";
import { storageStateOf } from "./fixtures/env";
import { waitForMail } from "./fixtures/mail";

test.describe("as the demo owner", () => {
  test.use({ storageState: storageStateOf("owner") });

  test("a campaign's messages: email sent, SMS not sent, masked recipients, filters by status and campaign", async ({ page, request }) => {
    test.setTimeout(90_000);
    const u = unique();
    const key = locationKey(DEMO_LOCATION.durango);
    const contact = uniqueContact(`olive${u}`);
    const olive = await registerCustomer(request, key, {
      FirstName: "Olive",
      LastName: `Outbox${u}`,
      Email: contact.Email,
      Phone: contact.Phone,
      AcceptsEmail: true,
      AcceptsSMS: true,
    });
    await sale(request, key, olive.CustomerID, 30);
    const campaign = await engage<{ CampaignID: number }>(request, key, "POST", "/Campaigns/Location", { AmountOff: 2, DaysTillExpiration: 7, Name: `Outbox ${u}` });
    await engage(request, key, "POST", `/Campaigns/${campaign.CampaignID}/Offers`, [olive.CustomerID], 204);
    await waitForMail(contact.Email);

    await page.goto(`/outbox?campaign=${campaign.CampaignID}`);
    await expect(page.getByRole("heading", { level: 1, name: "Outbox" })).toBeVisible();
    await expect(page.getByLabel("Campaign")).toHaveValue(String(campaign.CampaignID));
    const table = page.getByRole("table", { name: "Notifications" });
    const body = table.getByRole("row").filter({ has: page.getByRole("cell") });
    await expect(body).toHaveCount(2, { timeout: 20_000 });
    const email = body.filter({ hasText: "Email" });
    await expect(email).toContainText("Sent", { timeout: 20_000 });
    // Masked: the first letter and the domain only.
    await expect(email).toContainText(`${contact.Email[0]}•••@example.com`);
    await expect(email).not.toContainText(contact.Email);
    const sms = body.filter({ hasText: "SMS" });
    await expect(sms).toContainText(`•••• ${contact.Phone.slice(-4)}`);
    await expect(sms).toContainText("Not sent");
    await expect(body.first()).toContainText(`Olive Outbox${u}`);

    // Filter by status: the URL holds it, and only the email is left.
    await page.getByLabel("Status").selectOption({ label: "Sent" });
    await expect(page).toHaveURL(new RegExp(`status=Sent.*campaign=${campaign.CampaignID}|campaign=${campaign.CampaignID}.*status=Sent`));
    await expect(body).toHaveCount(1);
    await expect(body.first()).toContainText("Email");
    const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    expect(results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);

    // A link from the row goes to the campaign.
    await body.first().getByRole("link", { name: `Outbox ${u}` }).click();
    await expect(page.getByRole("heading", { level: 1, name: `Outbox ${u}` })).toBeVisible();
  });
});

test.describe("as the demo manager", () => {
  test.use({ storageState: storageStateOf("manager") });

  test("sees the messages of their store's offers", async ({ page }) => {
    await page.goto("/outbox");
    await expect(page.getByRole("main")).toContainText("Messages of offers for Bark & Meow Durango.");
    await expect(page.getByRole("table", { name: "Notifications" }).or(page.getByText("No messages yet"))).toBeVisible();
  });
});
