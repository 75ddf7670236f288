// Manual campaigns in the browser, through the console's proxy to Engage: the list (with each
// campaign's statistics), one campaign followed until its sends are decided, each customer's
// outcome, creating one, and its audience — collected from Engage's customer search — previewed
// and sent. A request names where it acts (a location, or the group for an Owner): a campaign of
// Silverton is sent with Silverton's key whatever location the user works at now.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { z } from "zod";
import type { Campaign, CampaignRecipient, CampaignStats } from "@/lib/engage/campaigns";
import { MAX_SEND, type CampaignInput, type SkipReason } from "@/lib/engage/schemas/campaign";
import type { Customer } from "@/lib/engage/schemas/customer";
import { MAX_PAGE_SIZE } from "@/lib/engage/schemas/query";
import { apiFetch, apiFetchPage, type Paged } from "./fetch";
import { invalidateThen, type MutationOptions } from "./mutation";
import { queryKeysFactory } from "./query-keys";

export type { Campaign, CampaignRecipient, CampaignStats, SkipReason };
export type ListedCampaign = Campaign & { Stats: CampaignStats };
export type CampaignWithStats = Campaign & { Stats: CampaignStats };

export interface CampaignPreview {
  CampaignID: number;
  Requested: number;
  WouldOffer: number;
  Skipped: Record<SkipReason, number>;
}

export { MAX_SEND };

export const campaignKeys = queryKeysFactory("campaigns");

/** Where a request acts: a LocationID, or "group" (an Owner, with the group key). */
export type ActAt = number | "group";

/** The proxy's header (lib/console/proxy-rules ACT_AT_HEADER); without it, where the user works. */
export function actAtHeaders(actAt: ActAt | null | undefined): Record<string, string> | undefined {
  return actAt === null || actAt === undefined ? undefined : { "x-engage-act-at": String(actAt) };
}

/** A campaign is sent with its location's key, or the group key for a group campaign. */
export function campaignActAt(campaign: Pick<Campaign, "LocationID">): ActAt {
  return campaign.LocationID ?? "group";
}

export const CAMPAIGNS_PAGE_SIZE = 25;
export const RECIPIENTS_PAGE_SIZE = 50;
/** While anything is pending, the campaign's page asks again this often. */
export const FOLLOW_INTERVAL_MS = 1000;

// ── The list ──────────────────────────────────────────────────────────────────────────────

/** The list's filter, as its URL holds it (?scope=group|{LocationID}&page=). */
export interface CampaignListView {
  scope: "all" | "group" | number;
  page: number;
}

const WHOLE = /^[1-9]\d{0,14}$/;

export function campaignListViewFrom(params: URLSearchParams): CampaignListView {
  const scope = params.get("scope")?.trim().toLowerCase();
  const page = params.get("page")?.trim();
  return {
    scope: scope === "group" ? "group" : scope && WHOLE.test(scope) ? Number(scope) : "all",
    page: page && WHOLE.test(page) && Number(page) <= 1_000_000 ? Number(page) : 1,
  };
}

export function campaignListQuery(view: CampaignListView): string {
  const params = new URLSearchParams();
  if (view.scope !== "all") params.set("scope", String(view.scope));
  if (view.page > 1) params.set("page", String(view.page));
  const text = params.toString();
  return text ? `?${text}` : "";
}

/**
 * The Engage request for a view. An Owner lists with the group key (every campaign, or one
 * location's); anyone else with a location's key, which sees group campaigns and its own.
 */
export function campaignListRequest(view: CampaignListView, mayActForGroup: boolean): { actAt: ActAt | null; search: string } {
  const params = new URLSearchParams({ Page: String(view.page), PageSize: String(CAMPAIGNS_PAGE_SIZE) });
  let actAt: ActAt | null = mayActForGroup ? "group" : null;
  if (view.scope === "group") params.set("Scope", "Group");
  else if (typeof view.scope === "number") {
    params.set("LocationID", String(view.scope));
    if (!mayActForGroup) actAt = view.scope;
  }
  return { actAt, search: params.toString() };
}

export function useCampaigns(view: CampaignListView, mayActForGroup: boolean) {
  const { actAt, search } = campaignListRequest(view, mayActForGroup);
  return useQuery({
    queryKey: campaignKeys.list({ actAt, search }),
    queryFn: ({ signal }) => apiFetchPage<ListedCampaign>(`/api/engage/Campaigns?${search}`, { signal, headers: actAtHeaders(actAt) }),
    placeholderData: keepPreviousData,
  });
}

// ── One campaign ──────────────────────────────────────────────────────────────────────────

export function useCampaign(campaignId: number, actAt: ActAt, initial?: { campaign: CampaignWithStats; fetchedAt: number }) {
  return useQuery({
    queryKey: campaignKeys.detail(campaignId),
    queryFn: ({ signal }) => apiFetch<CampaignWithStats>(`/api/engage/Campaigns/${campaignId}`, { signal, headers: actAtHeaders(actAt) }),
    initialData: initial?.campaign,
    initialDataUpdatedAt: initial?.fetchedAt,
    // Follow the send worker until nothing is pending.
    refetchInterval: (query) => ((query.state.data?.Stats.Pending ?? 0) > 0 ? FOLLOW_INTERVAL_MS : false),
  });
}

export function useCampaignRecipients(campaignId: number, actAt: ActAt, page: number, following: boolean) {
  return useQuery({
    queryKey: [...campaignKeys.detail(campaignId), "recipients", { page }],
    queryFn: ({ signal }) =>
      apiFetchPage<CampaignRecipient>(`/api/engage/Campaigns/${campaignId}/Offers?Page=${page}&PageSize=${RECIPIENTS_PAGE_SIZE}`, {
        signal,
        headers: actAtHeaders(actAt),
      }),
    placeholderData: keepPreviousData,
    refetchInterval: following ? FOLLOW_INTERVAL_MS : false,
  });
}

export interface CreateCampaignInput {
  /** "group" for a group campaign (an Owner), or the location it belongs to. */
  scope: ActAt;
  input: CampaignInput;
}

export function useCreateCampaign(options: MutationOptions<Campaign, CreateCampaignInput> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    ...options,
    mutationFn: ({ scope, input }) =>
      apiFetch<Campaign>(`/api/engage/Campaigns/${scope === "group" ? "Group" : "Location"}`, {
        method: "POST",
        body: input,
        headers: scope === "group" ? undefined : actAtHeaders(scope),
      }),
    onSuccess: invalidateThen(queryClient, () => [campaignKeys.lists()], options.onSuccess),
  });
}

export function usePreviewCampaign(options: MutationOptions<CampaignPreview, { campaign: Campaign; customerIds: number[] }> = {}) {
  return useMutation({
    ...options,
    mutationFn: ({ campaign, customerIds }) =>
      apiFetch<CampaignPreview>(`/api/engage/Campaigns/${campaign.CampaignID}/Preview`, {
        method: "POST",
        body: customerIds,
        headers: actAtHeaders(campaignActAt(campaign)),
      }),
  });
}

export interface SendInput {
  campaign: Campaign;
  customerIds: number[];
  /** One per confirmed send: a retry of the same send is then answered, not stored twice. */
  idempotencyKey: string;
}

export function useSendCampaign(options: MutationOptions<void, SendInput> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    ...options,
    mutationFn: async ({ campaign, customerIds, idempotencyKey }) => {
      await apiFetch<void>(`/api/engage/Campaigns/${campaign.CampaignID}/Offers`, {
        method: "POST",
        body: customerIds,
        headers: { ...actAtHeaders(campaignActAt(campaign)), "idempotency-key": idempotencyKey },
      });
    },
    onSuccess: invalidateThen(queryClient, (_, { campaign }) => [campaignKeys.detail(campaign.CampaignID), campaignKeys.lists()], options.onSuccess),
  });
}

// ── The audience ──────────────────────────────────────────────────────────────────────────

const optionalWhole = (max: number, what: string) =>
  z
    .string()
    .trim()
    .refine((v) => v === "" || (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= max), `Enter a whole number of ${what} from 1 to ${max}`);

/** The audience builder's fields, as its inputs hold them (text), checked before anything is asked. */
export const audienceSchema = z
  .object({
    Mode: z.enum(["everyone", "filters", "list"]),
    PurchasedAtLocationID: z.string(),
    VisitedWithinDays: optionalWhole(3650, "days"),
    NotVisitedWithinDays: optionalWhole(3650, "days"),
    MinLifetimeSpend: z
      .string()
      .trim()
      .refine((v) => v === "" || /^\d+(\.\d{1,2})?$/.test(v), "Enter an amount such as 100 or 49.50"),
    MinVisits: optionalWhole(1_000_000, "visits"),
    BirthdayMonth: z.string(),
    AcceptsSMS: z.boolean(),
    AcceptsEmail: z.boolean(),
    CustomerIDs: z.string(),
  })
  .superRefine((value, ctx) => {
    if (value.Mode === "list" && parseCustomerIds(value.CustomerIDs).ids.length === 0) {
      ctx.addIssue({ code: "custom", path: ["CustomerIDs"], message: "Paste or upload at least one CustomerID" });
    }
    if (value.Mode === "filters" && !hasAudienceFilters(value)) {
      ctx.addIssue({ code: "custom", path: ["Mode"], message: "Choose at least one filter, or send to everyone" });
    }
  });

export type AudienceValues = z.infer<typeof audienceSchema>;

export const BLANK_AUDIENCE: AudienceValues = {
  Mode: "everyone",
  PurchasedAtLocationID: "",
  VisitedWithinDays: "",
  NotVisitedWithinDays: "",
  MinLifetimeSpend: "",
  MinVisits: "",
  BirthdayMonth: "",
  AcceptsSMS: false,
  AcceptsEmail: false,
  CustomerIDs: "",
};

export function hasAudienceFilters(v: AudienceValues): boolean {
  return Boolean(
    v.PurchasedAtLocationID || v.VisitedWithinDays || v.NotVisitedWithinDays || v.MinLifetimeSpend || v.MinVisits || v.BirthdayMonth || v.AcceptsSMS || v.AcceptsEmail,
  );
}

/** The customer search's query for the filters (GET /v1/Customers [extension] parameters). */
export function audienceSearch(v: AudienceValues): URLSearchParams {
  const params = new URLSearchParams();
  if (v.Mode !== "filters") return params;
  if (v.PurchasedAtLocationID) params.set("PurchasedAtLocationID", v.PurchasedAtLocationID);
  if (v.VisitedWithinDays) params.set("VisitedWithinDays", v.VisitedWithinDays.trim());
  if (v.NotVisitedWithinDays) params.set("NotVisitedWithinDays", v.NotVisitedWithinDays.trim());
  if (v.MinLifetimeSpend) params.set("MinLifetimeSpend", v.MinLifetimeSpend.trim());
  if (v.MinVisits) params.set("MinVisits", v.MinVisits.trim());
  if (v.BirthdayMonth) params.set("BirthdayMonth", v.BirthdayMonth);
  if (v.AcceptsSMS) params.set("AcceptsSMS", "true");
  if (v.AcceptsEmail) params.set("AcceptsEmail", "true");
  return params;
}

/**
 * CustomerIDs from pasted text or a file: any separators (commas, spaces, lines); a CSV with a
 * header row uses its CustomerID column. Duplicates count once; anything that is not a
 * CustomerID is counted, not sent.
 */
export function parseCustomerIds(text: string): { ids: number[]; rejected: number; duplicates: number } {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  let tokens: string[];
  const header = lines[0]?.split(/[,;\t]/).map((h) => h.trim().replace(/^"|"$/g, "").toLowerCase());
  const column = header && header.some((h) => /[a-z]/.test(h)) ? header.indexOf("customerid") : -1;
  if (column >= 0) {
    tokens = lines.slice(1).map((l) => (l.split(/[,;\t]/)[column] ?? "").trim().replace(/^"|"$/g, ""));
  } else {
    tokens = text.split(/[\s,;]+/).filter(Boolean);
  }
  const seen = new Set<number>();
  let rejected = 0;
  let duplicates = 0;
  for (const token of tokens) {
    if (!/^\d{1,15}$/.test(token) || Number(token) === 0) {
      rejected++;
      continue;
    }
    const id = Number(token);
    if (seen.has(id)) duplicates++;
    else seen.add(id);
  }
  return { ids: [...seen], rejected, duplicates };
}

/** Who the audience is: their CustomerIDs, and (when known) how many each channel reaches. */
export interface Audience {
  customerIds: number[];
  /** Matching customers in all, which may be more than a send takes (MAX_SEND). */
  total: number;
  /** Of the collected customers: SMS consent with a phone, email consent with an email; null for a pasted list. */
  reach: { sms: number; email: number } | null;
  capped: boolean;
  /** A pasted list: entries that were not CustomerIDs, and repeats. */
  rejected?: number;
  duplicates?: number;
}

export function reachOf(customers: Pick<Customer, "AcceptsSMS" | "AcceptsEmail" | "Phone" | "Email">[]): { sms: number; email: number } {
  let sms = 0;
  let email = 0;
  for (const c of customers) {
    if (c.AcceptsSMS && c.Phone) sms++;
    if (c.AcceptsEmail && c.Email) email++;
  }
  return { sms, email };
}

/**
 * Pages through the customer search (200 at a time) for up to MAX_SEND customers: what one
 * send takes. `onProgress` hears how many are collected of how many match.
 */
export async function collectAudience(
  values: AudienceValues,
  { actAt, signal, onProgress }: { actAt: ActAt | null; signal?: AbortSignal; onProgress?: (collected: number, total: number) => void },
): Promise<Audience> {
  if (values.Mode === "list") {
    const parsed = parseCustomerIds(values.CustomerIDs);
    return {
      customerIds: parsed.ids.slice(0, MAX_SEND),
      total: parsed.ids.length,
      reach: null,
      capped: parsed.ids.length > MAX_SEND,
      rejected: parsed.rejected,
      duplicates: parsed.duplicates,
    };
  }
  const search = audienceSearch(values);
  search.set("PageSize", String(MAX_PAGE_SIZE));
  // A stable order, so pages neither skip nor repeat anyone.
  search.set("Sort", "name");
  const customers: Customer[] = [];
  let total = 0;
  for (let page = 1; customers.length < MAX_SEND; page++) {
    search.set("Page", String(page));
    const result: Paged<Customer> = await apiFetchPage<Customer>(`/api/engage/Customers?${search}`, { signal, headers: actAtHeaders(actAt) });
    total = result.total;
    customers.push(...result.items);
    onProgress?.(Math.min(customers.length, total), total);
    if (result.items.length < MAX_PAGE_SIZE || customers.length >= total) break;
  }
  const kept = [...new Map(customers.map((c) => [c.CustomerID, c])).values()].slice(0, MAX_SEND);
  return { customerIds: kept.map((c) => c.CustomerID), total, reach: reachOf(kept), capped: total > MAX_SEND };
}

/** "never bought at this location" — why a customer got no offer. */
export const SKIP_REASON_WORDS: Record<SkipReason, string> = {
  NotRegistered: "not a registered customer",
  NoPurchaseAtLocation: "never bought at this location",
  AlreadyOffered: "already has this campaign's offer",
};

export function skipReasonInWords(reason: string | null): string {
  return reason && reason in SKIP_REASON_WORDS ? SKIP_REASON_WORDS[reason as SkipReason] : (reason ?? "");
}

/** The most a campaign could cost: every offer redeemed for its full amount. */
export function maximumCost(offers: number, amountOff: number): number {
  return Math.round(offers * amountOff * 10_000) / 10_000;
}
