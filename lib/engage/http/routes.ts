// Every Engage endpoint (ENGAGE_API.md §3–6): which verb it calls, with what input.
import "server-only";
import {
  createCampaign,
  getCampaign,
  listCampaignRecipients,
  listCampaigns,
  previewCampaign,
  sendCampaign,
} from "../campaigns";
import {
  getCustomer,
  listConsentHistory,
  registerCustomer,
  requireCustomerRow,
  searchCustomers,
  updateCustomer,
} from "../customers";
import { listAutomations, saveAutomation } from "../automations";
import { eraseCustomer, exportCustomer } from "../data-rights";
import { notFound, validationFailed } from "../errors";
import { getOffer, getOfferByCode, listCustomerOffers } from "../offers";
import { getNotification, listNotifications } from "../notifications/outbox";
import { notificationSearchSchema } from "../schemas/notification";
import { getReceipt, listCustomerReceipts, searchReceipts, submitReceipt, voidReceipt } from "../receipts";
import { getReportDaily, getReportSummary } from "../reports";
import { reportQuerySchema } from "../schemas/report";
import { campaignCreateSchema, campaignSendSchema } from "../schemas/campaign";
import { customerRegisterSchema, customerUpdateSchema } from "../schemas/customer";
import { campaignListSchema, customerSearchSchema, offerCodeSchema, offerStatusSchema, pagingSchema, receiptSearchSchema } from "../schemas/query";
import { receiptSubmitSchema } from "../schemas/receipt";
import {
  automationListQuerySchema,
  automationUpdateSchema,
  automationUpdateSchemaFor,
  parseTemplateName,
} from "../schemas/automation";
import { bind } from "../schemas/bind";
import { createEngageHandler, pagingHeaders, type AnyRoute, type RouteDef } from "./core";
import type { Router } from "./router";

/** An id in the path: anything but a positive integer names nothing, so 404. */
function pathId(value: string | undefined, what: string): number {
  if (!value || !/^\d{1,15}$/.test(value) || Number(value) === 0) throw notFound(`${what} ${value ?? ""}`.trim());
  return Number(value);
}

function route<Q, B>(def: RouteDef<Q, B>): AnyRoute {
  return def as AnyRoute;
}

export function engageRoutes(router: Router<AnyRoute>): void {
  router.add(
    "GET",
    "/Customers",
    route({
      name: "searchCustomers",
      query: customerSearchSchema,
      handler: async ({ ctx, query, request }) => {
        const result = await searchCustomers({ ctx, search: query });
        return { status: 200, body: result.items, headers: pagingHeaders(request, result) };
      },
    }),
  );
  router.add(
    "POST",
    "/Customers",
    route({
      name: "registerCustomer",
      body: customerRegisterSchema,
      idempotent: true,
      handler: async ({ ctx, body }) => {
        const customer = await registerCustomer({ ctx, input: body });
        return { status: 201, body: customer, headers: { location: `/v1/Customers/${customer.CustomerID}` } };
      },
    }),
  );
  router.add(
    "GET",
    "/Customers/{CustomerID}",
    route({
      name: "getCustomer",
      handler: async ({ ctx, params }) => ({
        status: 200,
        body: await getCustomer({ ctx, customerId: pathId(params.CustomerID, "Customer") }),
      }),
    }),
  );
  router.add(
    "PUT",
    "/Customers/{CustomerID}",
    route({
      name: "updateCustomer",
      body: customerUpdateSchema,
      handler: async ({ ctx, params, body }) => ({
        status: 200,
        body: await updateCustomer({ ctx, customerId: pathId(params.CustomerID, "Customer"), input: body }),
      }),
    }),
  );
  router.add(
    "GET",
    "/Customers/{CustomerID}/Offers",
    route({
      name: "listCustomerOffers",
      query: offerStatusSchema,
      handler: async ({ ctx, params, query }) => {
        const customer = await requireCustomerRow(ctx, pathId(params.CustomerID, "Customer"));
        return { status: 200, body: await listCustomerOffers({ ctx, customerPk: customer.id, status: query.Status }) };
      },
    }),
  );
  router.add(
    "GET",
    "/Customers/{CustomerID}/ConsentHistory",
    route({
      name: "listConsentHistory",
      handler: async ({ ctx, params }) => ({
        status: 200,
        body: await listConsentHistory({ ctx, customerId: pathId(params.CustomerID, "Customer") }),
      }),
    }),
  );
  router.add(
    "GET",
    "/Customers/{CustomerID}/Export",
    route({
      name: "exportCustomer",
      handler: async ({ ctx, params }) => ({
        status: 200,
        body: await exportCustomer({ ctx, customerId: pathId(params.CustomerID, "Customer") }),
      }),
    }),
  );
  router.add(
    "POST",
    "/Customers/{CustomerID}/Erase",
    route({
      name: "eraseCustomer",
      handler: async ({ ctx, params }) => ({
        status: 200,
        body: await eraseCustomer({ ctx, customerId: pathId(params.CustomerID, "Customer") }),
      }),
    }),
  );
  router.add(
    "GET",
    "/Customers/{CustomerID}/Receipts",
    route({
      name: "listCustomerReceipts",
      query: pagingSchema,
      handler: async ({ ctx, params, query, request }) => {
        const result = await listCustomerReceipts({ ctx, customerId: pathId(params.CustomerID, "Customer"), search: query });
        return { status: 200, body: result.items, headers: pagingHeaders(request, result) };
      },
    }),
  );

  router.add(
    "GET",
    "/Receipts",
    route({
      name: "searchReceipts",
      query: receiptSearchSchema,
      handler: async ({ ctx, query, request }) => {
        const result = await searchReceipts({ ctx, search: query });
        return { status: 200, body: result.items, headers: pagingHeaders(request, result) };
      },
    }),
  );
  router.add(
    "POST",
    "/Receipts",
    route({
      name: "submitReceipt",
      body: receiptSubmitSchema,
      idempotent: true,
      handler: async ({ ctx, body }) => {
        const receipt = await submitReceipt({ ctx, input: body });
        return { status: 201, body: receipt, headers: { location: `/v1/Receipts/${receipt.ReceiptID}` } };
      },
    }),
  );
  router.add(
    "GET",
    "/Receipts/{ReceiptID}",
    route({
      name: "getReceipt",
      handler: async ({ ctx, params }) => ({ status: 200, body: await getReceipt({ ctx, receiptId: params.ReceiptID }) }),
    }),
  );
  router.add(
    "POST",
    "/Receipts/{ReceiptID}/Void",
    route({
      name: "voidReceipt",
      handler: async ({ ctx, params }) => ({ status: 200, body: await voidReceipt({ ctx, receiptId: params.ReceiptID }) }),
    }),
  );

  // Reports (docs/API-EXTENSIONS.md): a period of whole UTC days, From and To inclusive.
  router.add(
    "GET",
    "/Reports/Summary",
    route({
      name: "getReportSummary",
      query: reportQuerySchema,
      handler: async ({ ctx, query }) => ({ status: 200, body: await getReportSummary({ ctx, query }) }),
    }),
  );
  router.add(
    "GET",
    "/Reports/Daily",
    route({
      name: "getReportDaily",
      query: reportQuerySchema,
      handler: async ({ ctx, query }) => ({ status: 200, body: await getReportDaily({ ctx, query }) }),
    }),
  );

  router.add(
    "GET",
    "/Offers",
    route({
      name: "getOfferByCode",
      query: offerCodeSchema,
      handler: async ({ ctx, query }) => ({ status: 200, body: await getOfferByCode({ ctx, code: query.Code }) }),
    }),
  );
  router.add(
    "GET",
    "/Offers/{OfferID}",
    route({
      name: "getOffer",
      handler: async ({ ctx, params }) => ({
        status: 200,
        body: await getOffer({ ctx, offerId: pathId(params.OfferID, "Offer") }),
      }),
    }),
  );

  for (const level of ["Location", "Group"] as const) {
    router.add(
      "POST",
      `/Campaigns/${level}`,
      route({
        name: `create${level}Campaign`,
        body: campaignCreateSchema,
        handler: async ({ ctx, body }) => {
          const campaign = await createCampaign({ ctx, input: body, level: level === "Location" ? "location" : "group" });
          return { status: 201, body: campaign, headers: { location: `/v1/Campaigns/${campaign.CampaignID}` } };
        },
      }),
    );
  }
  router.add(
    "GET",
    "/Campaigns",
    route({
      name: "listCampaigns",
      query: campaignListSchema,
      handler: async ({ ctx, query, request }) => {
        const result = await listCampaigns({
          ctx,
          page: query.Page,
          pageSize: query.PageSize,
          filter: { Scope: query.Scope, LocationID: query.LocationID },
        });
        return { status: 200, body: result.items, headers: pagingHeaders(request, result) };
      },
    }),
  );
  router.add(
    "GET",
    "/Campaigns/{CampaignID}",
    route({
      name: "getCampaign",
      handler: async ({ ctx, params }) => ({
        status: 200,
        body: await getCampaign({ ctx, campaignId: pathId(params.CampaignID, "Campaign") }),
      }),
    }),
  );
  router.add(
    "POST",
    "/Campaigns/{CampaignID}/Offers",
    route({
      name: "sendCampaign",
      body: campaignSendSchema,
      idempotent: true,
      handler: async ({ ctx, params, body, deps }) => {
        await sendCampaign({ ctx, campaignId: pathId(params.CampaignID, "Campaign"), customerIds: body });
        return { status: 204, after: () => deps.worker?.kick() };
      },
    }),
  );
  router.add(
    "GET",
    "/Campaigns/{CampaignID}/Offers",
    route({
      name: "listCampaignRecipients",
      query: pagingSchema,
      handler: async ({ ctx, params, query, request }) => {
        const result = await listCampaignRecipients({
          ctx,
          campaignId: pathId(params.CampaignID, "Campaign"),
          page: query.Page,
          pageSize: query.PageSize,
        });
        return { status: 200, body: result.items, headers: pagingHeaders(request, result) };
      },
    }),
  );
  router.add(
    "POST",
    "/Campaigns/{CampaignID}/Preview",
    route({
      name: "previewCampaign",
      body: campaignSendSchema,
      handler: async ({ ctx, params, body }) => ({
        status: 200,
        body: await previewCampaign({ ctx, campaignId: pathId(params.CampaignID, "Campaign"), customerIds: body }),
      }),
    }),
  );

  // The outbox (ENGAGE_API.md §8) [extension]: a location key sees its location's offers' messages.
  router.add(
    "GET",
    "/Notifications",
    route({
      name: "listNotifications",
      query: notificationSearchSchema,
      handler: async ({ ctx, query, request }) => {
        const result = await listNotifications({ ctx, search: query });
        return { status: 200, body: result.items, headers: pagingHeaders(request, result) };
      },
    }),
  );
  router.add(
    "GET",
    "/Notifications/{NotificationID}",
    route({
      name: "getNotification",
      handler: async ({ ctx, params }) => ({
        status: 200,
        body: await getNotification({ ctx, notificationId: pathId(params.NotificationID, "Notification") }),
      }),
    }),
  );

  router.add(
    "GET",
    "/Automations",
    route({
      name: "listAutomations",
      query: automationListQuerySchema,
      handler: async ({ ctx, query }) => ({
        status: 200,
        body: await listAutomations({ ctx, locationId: query.LocationID }),
      }),
    }),
  );
  router.add(
    "PUT",
    "/Automations/{TemplateName}",
    route({
      name: "saveAutomation",
      body: automationUpdateSchema,
      handler: async ({ ctx, params, body }) => {
        const template = parseTemplateName(params.TemplateName);
        if (!template) throw notFound(`Automation template ${params.TemplateName}`);
        // The template's own parameter is required to turn it on: a rule of this template's.
        const bound = bind(automationUpdateSchemaFor(template), body);
        if (!bound.ok) throw validationFailed(bound.modelState);
        return { status: 200, body: await saveAutomation({ ctx, template, input: bound.value }) };
      },
    }),
  );
}

export const engage = createEngageHandler(engageRoutes);
export const handleEngageRequest = engage.handleEngageRequest;
