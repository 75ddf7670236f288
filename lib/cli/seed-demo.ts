// Demo data for the quick start: the franchise group "Bark & Meow" with three stores, ~500
// loyalty customers and a year of receipts, campaigns and redemptions. Made through the same
// verbs the API uses (so statistics and offers are what a real history would give), seeded
// so every run makes the same data.
import "server-only";
import type { DatabaseHandle } from "../db";
import { createStaffUser } from "../console/users";
import { campaignTrigger, decide } from "../engage/campaign-sends";
import { createCampaign } from "../engage/campaigns";
import type { EngageContext, Scope } from "../engage/context";
import { registerCustomer } from "../engage/customers";
import { submitReceipt } from "../engage/receipts";
import { createGroup, createLocation } from "../engage/tenancy";

import { issueOffers } from "../engage/offers";

const DAY = 86_400_000;

/** mulberry32: small, fast and seeded. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ["Olivia", "Liam", "Emma", "Noah", "Ava", "Elijah", "Sophia", "James", "Isabella", "Lucas", "Mia", "Mason", "Amelia", "Ethan", "Harper", "Logan", "Evelyn", "Aiden", "Abigail", "Jackson", "Emily", "Sebastian", "Ella", "Mateo", "Avery", "Jack", "Sofia", "Owen", "Camila", "Daniel", "Aria", "Henry", "Scarlett", "Wyatt", "Chloe", "José", "Zoë", "Renée"];
const LAST = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Nguyen", "Baggens"];
const PRODUCTS: [string, string, number][] = [
  ["DOG-FOOD-30", "Grain-free dog food, 30 lb", 54.99],
  ["CAT-FOOD-12", "Salmon cat food, 12 cans", 21.49],
  ["LITTER-20", "Clumping litter, 20 lb", 17.99],
  ["TREATS-DOG", "Peanut butter dog treats", 8.99],
  ["TREATS-CAT", "Catnip crunchies", 5.49],
  ["TOY-ROPE", "Rope tug toy", 11.5],
  ["TOY-MOUSE", "Feather mouse toy", 4.25],
  ["LEASH-6FT", "Reflective leash, 6 ft", 19.95],
  ["BED-M", "Orthopedic pet bed, medium", 64.0],
  ["GROOM-BATH", "Grooming: bath and brush", 45.0],
  ["SOCKS", "AWESOME 80s Socks!", 10.5],
];
const CITIES: [string, string, string][] = [
  ["Durango", "CO", "81301"],
  ["Silverton", "CO", "81433"],
  ["Cortez", "CO", "81321"],
];

export interface DemoResult {
  GroupID: number;
  GroupKey: string;
  Locations: { LocationID: number; Name: string; Key: string }[];
  Customers: number;
  Receipts: number;
  Campaigns: number;
  Logins: { Role: string; Email: string; Password: string; Locations: string }[];
}

/** The demo's sign-ins: printed by the quick start, known to the README. */
export const DEMO_LOGINS = [
  { role: "owner" as const, email: "owner@barkandmeow.example", password: "bark-owner-2026", stores: [] as number[] },
  { role: "manager" as const, email: "manager@barkandmeow.example", password: "bark-manager-2026", stores: [0, 1] },
  { role: "staff" as const, email: "staff@barkandmeow.example", password: "bark-staff-2026", stores: [2] },
];

export async function seedDemo(handle: DatabaseHandle, { customers = 500, now = Date.now() } = {}): Promise<DemoResult> {
  const rand = random(20261126);
  const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)];
  const group = await createGroup(handle.db, { name: "Bark & Meow" });
  const locations: DemoResult["Locations"] = [];
  for (const name of ["Bark & Meow Durango", "Bark & Meow Silverton", "Bark & Meow Cortez"]) {
    const l = await createLocation(handle.db, { groupId: group.GroupID, name });
    locations.push({ LocationID: l.LocationID, Name: l.Name, Key: l.Key });
  }
  let receiptCount = 0;
  let campaignCount = 0;

  await handle.db.transaction().execute(async (trx) => {
    const ctxFor = (scope: Scope, at: number): EngageContext => ({
      db: trx,
      dialect: handle.dialect,
      scope,
      actor: { type: "system", id: null, label: "demo seed" },
      now: () => at,
    });
    const groupScope: Scope = { groupId: group.GroupID, locationId: null, keyId: null };
    const yearAgo = now - 365 * DAY;

    // Customers join over the year, each at a home store, and shop there (mostly).
    const people: { id: number; home: number; joined: number }[] = [];
    for (let i = 0; i < customers; i++) {
      const home = Math.floor(rand() * locations.length);
      const joined = yearAgo + Math.floor(rand() * 330 * DAY);
      const first = pick(FIRST);
      const last = pick(LAST);
      const [city, state, zip] = CITIES[home];
      const scope: Scope = { groupId: group.GroupID, locationId: locations[home].LocationID, keyId: null };
      const c = await registerCustomer({
        ctx: ctxFor(scope, joined),
        input: {
          FirstName: first,
          LastName: last,
          Phone: `970${String(2000000 + i * 7919).slice(-7)}`,
          Email: rand() < 0.85 ? `${first}.${last}.${i}@example.com`.toLowerCase().normalize("NFD").replace(/\p{M}/gu, "") : null,
          City: city,
          State: state,
          Zipcode: zip,
          Birthday: rand() < 0.7 ? `${1950 + Math.floor(rand() * 55)}-${String(1 + Math.floor(rand() * 12)).padStart(2, "0")}-${String(1 + Math.floor(rand() * 28)).padStart(2, "0")}` : null,
          AcceptsSMS: rand() < 0.6,
          AcceptsEmail: rand() < 0.7,
        },
      });
      people.push({ id: c.CustomerID, home, joined });
    }

    // A year of visits: regulars every week or two, others now and then.
    const visits: { at: number; person: (typeof people)[number] }[] = [];
    for (const person of people) {
      const every = rand() < 0.3 ? 7 + rand() * 10 : 25 + rand() * 60;
      for (let at = person.joined + rand() * DAY; at < now - DAY; at += (every * (0.5 + rand())) * DAY) {
        visits.push({ at: Math.floor(at), person });
      }
    }
    visits.sort((a, b) => a.at - b.at);
    for (const { at, person } of visits) {
      const store = rand() < 0.85 ? person.home : Math.floor(rand() * locations.length);
      const lines = [];
      for (let n = 1 + Math.floor(rand() * 3); n > 0; n--) {
        const [sku, description, amount] = pick(PRODUCTS);
        lines.push({ SKU: sku, Description: description, Amount: amount, Quantity: 1 + Math.floor(rand() * 2) });
      }
      const subtotal = Math.round(lines.reduce((s, l) => s + l.Amount * l.Quantity, 0) * 100) / 100;
      const taxes = Math.round(subtotal * 0.0775 * 100) / 100;
      await submitReceipt({
        ctx: ctxFor({ groupId: group.GroupID, locationId: locations[store].LocationID, keyId: null }, at),
        input: { CustomerID: person.id, Skus: lines, Discounts: [], SubTotal: subtotal, Taxes: taxes, Total: Math.round((subtotal + taxes) * 100) / 100 },
      });
      receiptCount++;
    }

    // Campaigns: a group-wide spring offer and a store's own, sent to their customers.
    const campaigns = [
      { level: "group" as const, scope: groupScope, at: now - 60 * DAY, input: { AmountOff: 5, MinimumPurchase: 25, DaysTillExpiration: 30, Name: "Spring treats", Message: "Spring is here: $5 off $25 at any Bark & Meow." } },
      { level: "location" as const, scope: { groupId: group.GroupID, locationId: locations[0].LocationID, keyId: null }, at: now - 20 * DAY, input: { AmountOff: 10, MinimumPurchase: 50, DaysTillExpiration: 45, Name: "Durango grooming week", Message: "$10 off grooming over $50 in Durango." } },
    ];
    for (const c of campaigns) {
      const ctx = ctxFor(c.scope, c.at);
      const campaign = await createCampaign({ ctx, input: c.input, level: c.level });
      campaignCount++;
      const row = await trx.selectFrom("campaigns").selectAll().where("id", "=", campaign.CampaignID).executeTakeFirstOrThrow();
      const decisions = await decide(ctx, row, people.filter(() => rand() < 0.5).map((p) => p.id));
      await issueOffers(
        ctx,
        decisions
          .filter((d) => d.reason === null && d.customerPk !== null)
          .map((d) => ({
            group_id: row.group_id,
            campaign_id: row.id,
            customer_pk: d.customerPk!,
            customer_id: d.customerId,
            template_name: row.template_name,
            amount_off_e4: row.amount_off_e4,
            minimum_purchase_e4: row.minimum_purchase_e4,
            is_location_specific: row.is_location_specific,
            location_id: row.location_id,
            created_at: c.at,
            expires_at: c.at + row.days_till_expiration * DAY,
            redeemed_at: null,
            redeemed_receipt_id: null,
            redeemed_location_id: null,
            trigger_key: campaignTrigger(row.id, d.customerPk!),
          })),
      );
    }

    // Some of those offers come back at the till.
    const offers = await trx
      .selectFrom("offers")
      .selectAll()
      .where("group_id", "=", group.GroupID)
      .where("redeemed_at", "is", null)
      .execute();
    for (const offer of offers) {
      if (rand() > 0.3) continue;
      const at = Math.min(now - 3600_000, offer.created_at + Math.floor(rand() * 14 * DAY));
      const store = offer.location_id ?? pick(locations).LocationID;
      const [sku, description, amount] = PRODUCTS[9];
      const quantity = 2;
      const subtotal = amount * quantity;
      const discount = offer.amount_off_e4 / 10_000;
      const taxes = Math.round((subtotal - discount) * 0.0775 * 100) / 100;
      await submitReceipt({
        ctx: ctxFor({ groupId: group.GroupID, locationId: store, keyId: null }, at),
        input: {
          CustomerID: offer.customer_id,
          Skus: [{ SKU: sku, Description: description, Amount: amount, Quantity: quantity }],
          Discounts: [{ Code: offer.code, Description: "Loyalty offer", Amount: discount }],
          SubTotal: subtotal,
          Taxes: taxes,
          Total: Math.round((subtotal - discount + taxes) * 100) / 100,
        },
      });
      receiptCount++;
    }
  });

  const logins = [];
  for (const login of DEMO_LOGINS) {
    await createStaffUser(handle, {
      groupId: group.GroupID,
      email: login.email,
      name: { owner: "Olivia Owner", manager: "Manny Manager", staff: "Sam Staff" }[login.role],
      role: login.role,
      locationIds: login.stores.map((i) => locations[i].LocationID),
      password: login.password,
    });
    logins.push({
      Role: login.role,
      Email: login.email,
      Password: login.password,
      Locations: login.stores.length ? login.stores.map((i) => locations[i].Name).join(", ") : "all locations",
    });
  }

  return {
    Logins: logins,
    GroupID: group.GroupID,
    GroupKey: group.Key,
    Locations: locations,
    Customers: customers,
    Receipts: receiptCount,
    Campaigns: campaignCount,
  };
}
