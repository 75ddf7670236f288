// Registering and editing customers as Staff and as a Manager: the phone formatted as typed,
// Engage's refusals on their fields (a taken phone links to its customer), client-side
// validation, saving with a toast, the unsaved-changes guard (links, reload, the browser's Back),
// and the keyboard-only path.
import { expect, test, type Page } from "@playwright/test";
import { unique } from "./fixtures/console";
import { createCustomer, formattedPhone, tabTo, uniquePhone } from "./fixtures/customers";
import { storageStateOf } from "./fixtures/env";

const LEAVE_MESSAGE = "You have unsaved changes. Leave this page and lose them?";

const submit = (page: Page, name: string) => page.getByRole("main").getByRole("button", { name });

/** Whether the page asks before it is closed or reloaded: its beforeunload handler cancels the event. */
const beforeUnloadCancelled = (page: Page) =>
  page.evaluate(() => {
    const event = new Event("beforeunload", { cancelable: true });
    window.dispatchEvent(event);
    return event.defaultPrevented;
  });

for (const role of ["staff", "manager"] as const) {
  test.describe(`as the demo ${role}`, () => {
    test.use({ storageState: storageStateOf(role) });

    test("registers a customer, the phone formatted as it is typed", async ({ page }) => {
      const phone = uniquePhone();
      const email = `new-${unique()}@Example.com`;
      await page.goto("/customers");
      await page.getByRole("link", { name: "Register customer" }).click();
      await expect(page).toHaveURL("/customers/new");
      await page.getByLabel("First name").fill("Rita");
      await page.getByLabel("Last name").fill("Register");
      await page.getByLabel("Phone").pressSequentially(phone);
      await expect(page.getByLabel("Phone")).toHaveValue(formattedPhone(phone));
      await page.getByLabel("Email", { exact: true }).fill(email);
      await page.getByLabel("State").selectOption("CO");
      await page.getByLabel("Accepts marketing by SMS").check();
      await submit(page, "Register customer").click();

      const toast = page.getByText(/^Registered Rita Register as customer #\d+\.$/);
      await expect(toast).toBeVisible();
      const id = Number(/#(\d+)/.exec((await toast.textContent()) ?? "")![1]);
      await expect(page).toHaveURL(`/customers/${id}`);
      await expect(page.getByRole("heading", { level: 1, name: "Rita Register" })).toBeVisible();
      await expect(page.locator("dl").first()).toContainText(email.toLowerCase());
      await expect(page.getByRole("switch", { name: "SMS messages" })).toHaveAttribute("aria-checked", "true");
      // Stored as Engage stores it.
      const stored = await (await page.request.get(`/api/engage/Customers/${id}`)).json();
      expect(stored).toMatchObject({ Phone: phone, Email: email.toLowerCase(), State: "CO", AcceptsSMS: true, AcceptsEmail: false });
    });

    test("a phone that is taken names its customer, with a link to them", async ({ page }) => {
      const phone = uniquePhone();
      const existing = await createCustomer(page.request, { FirstName: "Tess", LastName: "Taken", Phone: phone });
      await page.goto("/customers/new");
      await page.getByLabel("First name").fill("Dana");
      await page.getByLabel("Phone").fill(`+1 ${phone}`);
      await submit(page, "Register customer").click();
      const phoneField = page.getByLabel("Phone");
      await expect(phoneField).toHaveAttribute("aria-invalid", "true");
      const error = page.getByText(`Already belongs to customer #${existing.CustomerID}`);
      await expect(error).toBeVisible();
      await expect(phoneField).toHaveAccessibleDescription(`Already belongs to customer #${existing.CustomerID}.`);
      await expect(page.getByText("Not registered: this customer may already exist.")).toBeVisible();
      // The form was filled in: following the link asks first.
      page.once("dialog", (dialog) => void dialog.accept());
      await error.getByRole("link", { name: `customer #${existing.CustomerID}` }).click();
      await expect(page).toHaveURL(`/customers/${existing.CustomerID}`);
      await expect(page.getByRole("heading", { level: 1, name: "Tess Taken" })).toBeVisible();
    });

    test("an invalid email is refused on its field before anything is sent", async ({ page }) => {
      await page.goto("/customers/new");
      let posted = false;
      page.on("request", (request) => {
        if (request.method() === "POST" && request.url().includes("/api/engage/Customers")) posted = true;
      });
      await page.getByLabel("Phone").fill(uniquePhone());
      await page.getByLabel("Email", { exact: true }).fill("rita@example");
      await submit(page, "Register customer").click();
      await expect(page.getByLabel("Email", { exact: true })).toHaveAttribute("aria-invalid", "true");
      await expect(page.getByLabel("Email", { exact: true })).toHaveAccessibleDescription("Must be a valid email address");
      await expect(page.getByLabel("Email", { exact: true })).toBeFocused();
      expect(posted).toBe(false);

      // Nor may a customer have no phone, email or POS id.
      await page.getByLabel("Phone").fill("");
      await page.getByLabel("Email", { exact: true }).fill("");
      await submit(page, "Register customer").click();
      await expect(page.getByLabel("Phone")).toHaveAccessibleDescription("Enter a phone number, an email or a POS customer id.");
      expect(posted).toBe(false);
    });

    test("edits the email: saved, with a toast, and still there after a reload", async ({ page }) => {
      const customer = await createCustomer(page.request, { FirstName: "Eddie", LastName: "Edit", Phone: uniquePhone(), Email: `old-${unique()}@example.com` });
      const email = `new-${unique()}@example.com`;
      await page.goto(`/customers/${customer.CustomerID}`);
      await page.getByRole("link", { name: "Edit customer" }).click();
      await expect(page).toHaveURL(`/customers/${customer.CustomerID}/edit`);
      await expect(page.getByLabel("Phone")).toHaveValue(formattedPhone(customer.Phone!));
      await page.getByLabel("Email", { exact: true }).fill(email);
      await submit(page, "Save changes").click();
      await expect(page.getByText("Saved Eddie Edit: email changed.")).toBeVisible();
      await expect(page).toHaveURL(`/customers/${customer.CustomerID}`);
      await expect(page.locator("dl").first()).toContainText(email);
      await page.reload();
      await expect(page.locator("dl").first()).toContainText(email);
      // Only the email was sent: nothing else changed.
      const stored = await (await page.request.get(`/api/engage/Customers/${customer.CustomerID}`)).json();
      expect(stored).toMatchObject({ Email: email, Phone: customer.Phone, FirstName: "Eddie", LastName: "Edit" });
    });

    test("an email that another customer has is refused on the field, and the profile is unchanged", async ({ page }) => {
      const taken = `taken-${unique()}@example.com`;
      const other = await createCustomer(page.request, { FirstName: "Olga", LastName: "Other", Email: taken });
      const customer = await createCustomer(page.request, { FirstName: "Sam", LastName: "Same", Phone: uniquePhone() });
      await page.goto(`/customers/${customer.CustomerID}/edit`);
      await page.getByLabel("Email", { exact: true }).fill(taken.toUpperCase());
      await submit(page, "Save changes").click();
      await expect(page.getByText(`Already belongs to customer #${other.CustomerID}`)).toBeVisible();
      await expect(page.getByText("Changes to Sam Same were not saved.")).toBeVisible();
      await expect(page).toHaveURL(`/customers/${customer.CustomerID}/edit`);
      const stored = await (await page.request.get(`/api/engage/Customers/${customer.CustomerID}`)).json();
      expect(stored.Email).toBeNull();
    });

    test("unsaved changes are not lost silently", async ({ page }) => {
      const customer = await createCustomer(page.request, { FirstName: "Gina", LastName: "Guard", Phone: uniquePhone() });
      await page.goto(`/customers/${customer.CustomerID}/edit`);
      const mainNav = page.getByRole("navigation", { name: "Main" });

      // Nothing changed: leaving does not ask.
      expect(await beforeUnloadCancelled(page)).toBe(false);
      await mainNav.getByRole("link", { name: "Customers" }).click();
      await expect(page).toHaveURL("/customers");
      await page.goBack();
      await expect(page).toHaveURL(`/customers/${customer.CustomerID}/edit`);

      await page.getByLabel("First name").fill("Georgina");
      // Following a link asks; staying keeps the edit.
      const dialogs: string[] = [];
      page.once("dialog", (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      await mainNav.getByRole("link", { name: "Customers" }).click();
      await expect.poll(() => dialogs).toEqual([LEAVE_MESSAGE]);
      await expect(page).toHaveURL(`/customers/${customer.CustomerID}/edit`);
      await expect(page.getByLabel("First name")).toHaveValue("Georgina");

      // Closing the tab or reloading asks too: the page cancels beforeunload (the browser then asks).
      expect(await beforeUnloadCancelled(page)).toBe(true);
      // Back to what is saved: nothing to lose, nothing to ask.
      await page.getByLabel("First name").fill("Gina");
      await expect.poll(() => beforeUnloadCancelled(page)).toBe(false);
    });

    for (const history of ["Navigation API", "no Navigation API"] as const) {
      test(`the browser's Back asks too (${history}): staying keeps the edit, leaving goes back`, async ({ page }) => {
        // A browser without the Navigation API (older Firefox and Safari) gets the guard entry in the history.
        if (history === "no Navigation API") await page.addInitScript(() => Object.defineProperty(window, "navigation", { value: undefined }));
        const customer = await createCustomer(page.request, { FirstName: "Bea", LastName: "Back", Phone: uniquePhone() });
        const profile = `/customers/${customer.CustomerID}`;
        await page.goto(profile);
        await page.getByRole("link", { name: "Edit customer" }).click();
        await expect(page).toHaveURL(`${profile}/edit`);

        // Nothing changed: Back does not ask.
        const dialogs: string[] = [];
        let answer: "stay" | "leave" = "stay";
        page.on("dialog", (dialog) => {
          dialogs.push(dialog.message());
          void (answer === "stay" ? dialog.dismiss() : dialog.accept());
        });
        await page.goBack();
        await expect(page).toHaveURL(profile);
        await expect(page.getByRole("heading", { level: 1, name: "Bea Back" })).toBeVisible();
        expect(dialogs).toEqual([]);
        await page.getByRole("link", { name: "Edit customer" }).click();
        await expect(page).toHaveURL(`${profile}/edit`);

        // Changed: Back asks; staying keeps the page and the edit, and Back asks again.
        await page.getByLabel("Last name").fill("Backwards");
        for (let press = 1; press <= 2; press++) {
          // A cancelled Back is no navigation: goBack waits for one in vain (and Playwright's
          // page.url() is left blank by it), so the page itself says where it is.
          await page.goBack({ timeout: 2_000 }).catch(() => null);
          await expect.poll(() => dialogs.length).toBe(press);
          await expect.poll(() => page.evaluate(() => location.pathname)).toBe(`${profile}/edit`);
          await expect(page.getByLabel("Last name")).toHaveValue("Backwards");
          // The user goes on editing between the two presses.
          await page.getByLabel("Last name").press("End");
        }
        expect(dialogs).toEqual([LEAVE_MESSAGE, LEAVE_MESSAGE]);

        // Leaving goes back to the profile, without asking again, and nothing was saved.
        answer = "leave";
        await page.goBack();
        await expect.poll(() => page.evaluate(() => location.pathname)).toBe(profile);
        await expect(page.getByRole("heading", { level: 1, name: "Bea Back" })).toBeVisible();
        expect(dialogs).toHaveLength(3);
        const stored = await (await page.request.get(`/api/engage/Customers/${customer.CustomerID}`)).json();
        expect(stored.LastName).toBe("Back");
      });
    }

    test("leaving with changes, once confirmed, discards them", async ({ page }) => {
      const customer = await createCustomer(page.request, { FirstName: "Lou", LastName: "Leave", Phone: uniquePhone() });
      await page.goto(`/customers/${customer.CustomerID}/edit`);
      await page.getByLabel("Last name").fill("Left");
      page.once("dialog", (dialog) => void dialog.accept());
      await page.getByRole("main").getByRole("link", { name: "Cancel" }).click();
      await expect(page).toHaveURL(`/customers/${customer.CustomerID}`);
      await expect(page.getByRole("heading", { level: 1, name: "Lou Leave" })).toBeVisible();
    });

    test("keyboard only: find by the phone's last 4 digits, open, edit and save with Tab and Enter", async ({ page }) => {
      const phone = uniquePhone();
      const customer = await createCustomer(page.request, { FirstName: "Kim", LastName: `Keys${unique().replace(/[^a-z]/g, "")}`, Phone: phone });
      const name = `Kim ${customer.LastName}`;
      await page.goto("/customers");

      await tabTo(page, page.getByRole("searchbox", { name: "Search customers" }));
      await page.keyboard.type(phone.slice(-4));
      await page.keyboard.press("Enter");
      const link = page.getByRole("table", { name: "Customers" }).getByRole("link", { name });
      await expect(link).toBeVisible();
      await tabTo(page, link);
      await page.keyboard.press("Enter");
      await expect(page).toHaveURL(`/customers/${customer.CustomerID}`);

      await tabTo(page, page.getByRole("link", { name: "Edit customer" }));
      await page.keyboard.press("Enter");
      await expect(page).toHaveURL(`/customers/${customer.CustomerID}/edit`);
      await tabTo(page, page.getByLabel("Email", { exact: true }));
      const email = `keys-${unique()}@example.com`;
      await page.keyboard.type(email);
      await page.keyboard.press("Enter");
      await expect(page.getByText(`Saved ${name}: email changed.`)).toBeVisible();
      await expect(page).toHaveURL(`/customers/${customer.CustomerID}`);
      await expect(page.locator("dl").first()).toContainText(email);

      // Consent from the keyboard too: Space on the switch.
      await tabTo(page, page.getByRole("switch", { name: "SMS messages" }));
      await page.keyboard.press("Space");
      await expect(page.getByRole("switch", { name: "SMS messages" })).toHaveAttribute("aria-checked", "true");
      await expect(page.getByRole("table", { name: "Consent history" }).locator("tbody tr").first()).toContainText("SMS consent given");
    });
  });
}
