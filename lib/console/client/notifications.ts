// The outbox in the browser: every notification of an offer, with its channel, the masked
// recipient, status, attempts and last error; filters and page in the URL.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { Notification } from "@/lib/engage/notifications/outbox";
import { NOTIFICATION_CHANNELS, NOTIFICATION_STATUSES } from "@/lib/engage/schemas/notification";
import { actAtHeaders, type ActAt } from "./campaigns";
import { apiFetchPage } from "./fetch";
import { queryKeysFactory } from "./query-keys";

export type { Notification };
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];
export { NOTIFICATION_CHANNELS, NOTIFICATION_STATUSES };

export const notificationKeys = queryKeysFactory("notifications");
export const OUTBOX_PAGE_SIZE = 25;

/** The outbox's filters as its URL holds them (?status=&channel=&campaign=&page=). */
export interface OutboxView {
  status?: NotificationStatus;
  channel?: NotificationChannel;
  campaign?: number;
  page: number;
}

const WHOLE = /^[1-9]\d{0,14}$/;

export function outboxViewFrom(params: URLSearchParams): OutboxView {
  const status = NOTIFICATION_STATUSES.find((s) => s.toLowerCase() === params.get("status")?.toLowerCase());
  const channel = NOTIFICATION_CHANNELS.find((c) => c.toLowerCase() === params.get("channel")?.toLowerCase());
  const campaign = params.get("campaign")?.trim();
  const page = params.get("page")?.trim();
  return {
    status,
    channel,
    campaign: campaign && WHOLE.test(campaign) ? Number(campaign) : undefined,
    page: page && WHOLE.test(page) && Number(page) <= 1_000_000 ? Number(page) : 1,
  };
}

export function outboxQuery(view: OutboxView): string {
  const params = new URLSearchParams();
  if (view.status) params.set("status", view.status);
  if (view.channel) params.set("channel", view.channel);
  if (view.campaign !== undefined) params.set("campaign", String(view.campaign));
  if (view.page > 1) params.set("page", String(view.page));
  const text = params.toString();
  return text ? `?${text}` : "";
}

export function useNotifications(view: OutboxView, actAt: ActAt | null) {
  const params = new URLSearchParams({ Page: String(view.page), PageSize: String(OUTBOX_PAGE_SIZE) });
  if (view.status) params.set("Status", view.status);
  if (view.channel) params.set("Channel", view.channel);
  if (view.campaign !== undefined) params.set("CampaignID", String(view.campaign));
  const search = params.toString();
  return useQuery({
    queryKey: notificationKeys.list({ search, actAt }),
    queryFn: ({ signal }) => apiFetchPage<Notification>(`/api/engage/Notifications?${search}`, { signal, headers: actAtHeaders(actAt) }),
    placeholderData: keepPreviousData,
    // Messages are delivered in the background: keep the page current while any is pending.
    refetchInterval: (query) => (query.state.data?.items.some((n) => n.Status === "Pending") ? 3000 : false),
  });
}
