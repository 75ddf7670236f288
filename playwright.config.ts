// End-to-end tests in a real browser against the production server (server.ts: the Engage
// API at /v1 plus the Next console). `next build` must have run first; scripts/test.sh does it.
import { defineConfig, devices } from "@playwright/test";
import { E2E_SMS_TOKEN, MAIN_PORT, SECOND_PORT } from "./e2e/fixtures/env";
import { MAIL_SINK_HTTP_PORT, MAIL_SINK_SMTP_PORT } from "./e2e/fixtures/mail";

const port = MAIN_PORT;
const baseURL = `http://127.0.0.1:${port}`;

const chromium = {
  ...devices["Desktop Chrome"],
  // Debian's Chromium, not a Playwright-downloaded browser (no internet here).
  launchOptions: {
    executablePath: "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  },
};

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  workers: 1,
  // Per port, so two suites can run side by side (E2E_PORT).
  outputDir: port === 3100 ? "test-results" : `test-results-${port}`,
  reporter: [["list"], ["json", { outputFile: port === 3100 ? ".test-output/playwright.json" : `.test-output/playwright-${port}.json` }]],
  use: {
    baseURL,
    trace: "retain-on-failure",
  },
  projects: [
    // Signs in each demo role once and saves its session (storageState).
    { name: "setup", testMatch: /auth\.setup\.ts/, use: chromium },
    { name: "chromium", testIgnore: /auth\.setup\.ts/, dependencies: ["setup"], use: chromium },
  ],
  webServer: [
    {
      // An SMTP server that keeps what it receives, readable over HTTP (e2e/fixtures/mail.ts).
      command: "node scripts/mail-sink.mjs",
      url: `http://127.0.0.1:${MAIL_SINK_HTTP_PORT}/`,
      env: { MAIL_SINK_SMTP_PORT: String(MAIL_SINK_SMTP_PORT), MAIL_SINK_HTTP_PORT: String(MAIL_SINK_HTTP_PORT) },
      reuseExistingServer: false,
      gracefulShutdown: { signal: "SIGTERM", timeout: 5_000 },
      timeout: 30_000,
      stdout: "pipe",
      stderr: "pipe",
    },
    {
      // The main instance: the demo group "Bark & Meow" with its owner, manager and staff.
      command: "node scripts/e2e-server.mjs",
      url: `${baseURL}/sign-in`,
      // Email goes to the local SMTP sink (the first web server): a real SMTP conversation, kept for the specs to read.
      // SMS_TOKEN alone sends no text (no SMS_API_URL) but lets the inbound-SMS webhook check signatures.
      env: { PORT: String(port), E2E_SEED: "demo", SMTP_URL: `smtp://127.0.0.1:${MAIL_SINK_SMTP_PORT}`, SMTP_FROM: "Bark & Meow <offers@barkandmeow.example>", SMS_TOKEN: E2E_SMS_TOKEN },
      reuseExistingServer: false,
      gracefulShutdown: { signal: "SIGTERM", timeout: 5_000 },
      timeout: 180_000,
      stdout: "pipe",
      stderr: "pipe",
    },
    {
      // A second instance on an empty database: the first-run setup, and a remote Engage.
      command: "node scripts/e2e-server.mjs",
      url: `http://127.0.0.1:${SECOND_PORT}/sign-in`,
      env: { PORT: String(SECOND_PORT) },
      reuseExistingServer: false,
      gracefulShutdown: { signal: "SIGTERM", timeout: 5_000 },
      timeout: 180_000,
      stdout: "pipe",
      stderr: "pipe",
    },
  ],
});
