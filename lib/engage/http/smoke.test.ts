import { afterAll, beforeAll, expect, test } from "vitest";
import { startTestServer, type TestServer } from "../testing/harness";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

test("the guide's walkthrough: register Bob, submit his receipt", async () => {
  const tenant = await server.createTenant(1);
  const key = tenant.locations[0].key;
  const customer = await server.call("POST", "/v1/Customers", {
    key,
    body: { CustomerID: 123, ExternalID: "GGBilbo", Phone: "5551231234", Email: "bbaggens@fictionalEmail.com" },
  });
  expect(customer.status).toBe(201);
  const receipt = await server.call<{ ReceiptID: string; Tip: number }>("POST", "/v1/Receipts", {
    key,
    body: { CustomerID: 123, Skus: [{ SKU: "SOCKS", Amount: 10.5, Quantity: 2 }], Discounts: [], SubTotal: 21, Taxes: 1.58, Total: 22.58 },
  });
  expect(receipt.status).toBe(201);
  expect(receipt.json.ReceiptID).toMatch(/^[0-9a-f]{32}$/);
  expect(receipt.json.Tip).toBe(0);
});
