// The database's tables as Kysely sees them. Money is integer ten-thousandths ("_e4"),
// times are integer milliseconds since the epoch, booleans are 0/1: the same on both dialects.
import type { ColumnType, Generated, Insertable, Selectable } from "kysely";

export interface GroupTable {
  id: Generated<number>;
  name: string;
  created_at: number;
  customer_seq: Generated<number>;
}

export interface LocationTable {
  id: Generated<number>;
  group_id: number;
  name: string;
  created_at: number;
}

export interface ApiKeyTable {
  id: Generated<number>;
  group_id: number;
  location_id: number | null;
  hash: string;
  last4: string;
  label: string | null;
  created_at: number;
  revoked_at: number | null;
  /** This key's own rate limit ("1200/60s"), or null for ENGAGE_RATE_LIMIT's. */
  rate_limit: Generated<string | null>;
}

/** Requests counted per key in the current window, shared by the instances on PostgreSQL. */
export interface EngageRateLimitTable {
  key_id: number;
  window_start: number;
  used: number;
}

export interface CustomerTable {
  id: Generated<number>;
  group_id: number;
  customer_id: number;
  external_id: string | null;
  phone: string | null;
  phone_last4: string | null;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  first_name_norm: string | null;
  last_name_norm: string | null;
  address: string | null;
  city: string | null;
  state: string | null;
  zipcode: string | null;
  birthday: string | null;
  accepts_sms: number;
  accepts_email: number;
  registered_location_id: number | null;
  created_at: number;
  updated_at: number;
  visit_count: Generated<number>;
  lifetime_spend_e4: Generated<number>;
  first_visit_at: number | null;
  last_visit_at: number | null;
  /** Set when the customer's personal data was erased (lib/engage/data-rights.ts). */
  erased_at: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface ConsentChangeTable {
  id: Generated<number>;
  group_id: number;
  customer_pk: number;
  channel: "SMS" | "Email";
  accepted: number;
  changed_at: number;
  actor_type: "key" | "user" | "system";
  actor_id: string | null;
  actor_label: string | null;
}

export interface ReceiptTable {
  id: string;
  group_id: number;
  location_id: number;
  customer_pk: number;
  customer_id: number;
  subtotal_e4: number;
  taxes_e4: number;
  tip_e4: number;
  shipping_e4: number;
  total_e4: number;
  created_at: number;
  voided_at: number | null;
}

export interface ReceiptLineTable {
  receipt_id: string;
  line_no: number;
  sku: string;
  description: string | null;
  amount_e4: number;
  quantity_e4: number;
}

export interface ReceiptDiscountTable {
  receipt_id: string;
  line_no: number;
  code: string | null;
  description: string | null;
  amount_e4: number;
  offer_id: number | null;
  redemption_status: "Redeemed" | "Rejected" | null;
  redemption_reason: string | null;
}

export interface CampaignTable {
  id: Generated<number>;
  group_id: number;
  location_id: number | null;
  template_name: string;
  is_location_specific: number;
  amount_off_e4: number;
  minimum_purchase_e4: number;
  days_till_expiration: number;
  name: string | null;
  message: string | null;
  created_at: number;
  created_by_key_id: number | null;
}

export interface OfferTable {
  id: Generated<number>;
  group_id: number;
  campaign_id: number | null;
  customer_pk: number;
  customer_id: number;
  code: string;
  template_name: string;
  amount_off_e4: number;
  minimum_purchase_e4: number;
  is_location_specific: number;
  location_id: number | null;
  created_at: number;
  expires_at: number;
  redeemed_at: number | null;
  redeemed_receipt_id: string | null;
  redeemed_location_id: number | null;
  /** What caused this offer, unique: one offer per trigger whatever the retries. */
  trigger_key: string;
  /** The automation that issued it (automated campaigns only). */
  automation_id: number | null;
  /** The receipt whose automations spawned it, listed in that receipt's Offers. */
  source_receipt_id: string | null;
}

export type AutomationTemplate = "welcome" | "spend-milestone" | "visit-milestone" | "birthday" | "win-back";

/** One template's configuration, group-wide (location_id null, scope_id 0) or for one location. */
export interface AutomationTable {
  id: Generated<number>;
  group_id: number;
  location_id: number | null;
  scope_id: number;
  template_name: AutomationTemplate;
  enabled: number;
  amount_off_e4: number;
  minimum_purchase_e4: number;
  days_till_expiration: number;
  spend_threshold_e4: number | null;
  visit_interval: number | null;
  days_before: number | null;
  lapse_days: number | null;
  message: string | null;
  created_at: number;
  updated_at: number;
  updated_by_key_id: number | null;
}

/** The daily run of one day: its lease, and whether it completed. */
export interface AutomationRunTable {
  run_date: string;
  started_at: number;
  lease_until: number | null;
  completed_at: number | null;
  offers_issued: Generated<number>;
}

export interface CampaignSendTable {
  id: Generated<number>;
  group_id: number;
  campaign_id: number;
  key_id: number | null;
  created_at: number;
  item_count: number;
  completed_at: number | null;
  lease_until: number | null;
}

export interface CampaignSendItemTable {
  id: Generated<number>;
  send_id: number;
  campaign_id: number;
  customer_id: number;
  status: "Pending" | "Offered" | "Skipped";
  reason: string | null;
  offer_id: number | null;
  decided_at: number | null;
}

export type NotificationChannel = "SMS" | "Email" | "App";
export type NotificationStatus = "Pending" | "Sent" | "Failed" | "NotSent";

/** The outbox: one message per offer and channel, delivered by lib/engage/notifications/worker.ts. */
export interface NotificationTable {
  id: Generated<number>;
  group_id: number;
  offer_id: number;
  campaign_id: number | null;
  location_id: number | null;
  customer_pk: number;
  customer_id: number;
  template_name: string;
  channel: NotificationChannel;
  /** The phone, email or webhook host it was (last) addressed to. */
  recipient: string | null;
  status: NotificationStatus;
  reason: string | null;
  attempts: Generated<number>;
  last_error: string | null;
  provider_id: string | null;
  created_at: number;
  next_attempt_at: number | null;
  last_attempt_at: number | null;
  sent_at: number | null;
  lease_until: number | null;
  lease_owner: string | null;
}

export interface NotificationAttemptTable {
  id: Generated<number>;
  notification_id: number;
  attempt_no: number;
  attempted_at: number;
  duration_ms: number;
  outcome: "Sent" | "Retry" | "Failed";
  error: string | null;
  provider_id: string | null;
}

export interface IdempotencyKeyTable {
  key_id: number;
  idem_key: string;
  request_hash: string;
  status_code: number | null;
  response_headers: string | null;
  response_body: string | null;
  created_at: number;
}

export interface StaffLocationTable {
  user_id: string;
  location_id: number;
}

export interface ConsoleConnectionTable {
  group_id: number;
  mode: "embedded" | "remote";
  remote_url: string | null;
  updated_at: number;
}

export interface ConsoleKeyTable {
  id: Generated<number>;
  group_id: number;
  /** Null for the group key. */
  location_id: number | null;
  /** The connection the key is for: keys of the embedded Engage and of a remote one are kept apart. */
  mode: "embedded" | "remote";
  sealed_key: string;
  last4: string;
  /** The embedded Engage's api_keys row, when the console made the key itself. */
  api_key_id: number | null;
  created_at: number;
}

/** better-auth's user, with the console's fields. */
export interface UserTable {
  id: string;
  name: string;
  email: string;
  emailVerified: number | boolean;
  image: string | null;
  createdAt: unknown;
  updatedAt: unknown;
  role: string;
  groupId: number;
  active: number | boolean;
}

export interface SessionTable {
  id: string;
  userId: string;
  token: string;
  expiresAt: unknown;
}

export interface SignInFailureTable {
  email: string;
  failures: number;
  first_failure_at: number;
}

/** Append-only (a trigger refuses UPDATE and DELETE): lib/console/audit.ts. */
export interface AuditLogTable {
  id: Generated<number>;
  group_id: number;
  at: number;
  actor: string;
  actor_id: string | null;
  actor_role: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  details: string | null;
  source: "console" | "cli";
  ip: string | null;
  user_agent: string | null;
}

/** Receipts summed per group, location and UTC day, kept in the receipt's transaction (lib/engage/reports.ts). */
export interface ReportDailyTable {
  group_id: number;
  location_id: number;
  /** Days since 1970-01-01, UTC. */
  day: number;
  receipts: number;
  revenue_e4: number;
  new_customers: number;
  repeat_receipts: number;
  offers_redeemed: number;
  redeemed_revenue_e4: number;
  /**
   * Which of the day's rows (0009_report_shards): on PostgreSQL a transaction adds to one of
   * several, so receipts of one store wait on no common row lock; SQLite keeps 0. Read summed.
   */
  shard: Generated<number>;
}

/** Redemptions per campaign (0: offers of no campaign, by template), location and UTC day. */
export interface ReportCampaignDailyTable {
  group_id: number;
  location_id: number;
  day: number;
  campaign_id: number;
  template_name: string;
  offers_redeemed: number;
  redeemed_revenue_e4: number;
}

export interface Database {
  groups: GroupTable;
  locations: LocationTable;
  api_keys: ApiKeyTable;
  customers: CustomerTable;
  consent_changes: ConsentChangeTable;
  receipts: ReceiptTable;
  receipt_lines: ReceiptLineTable;
  receipt_discounts: ReceiptDiscountTable;
  campaigns: CampaignTable;
  offers: OfferTable;
  campaign_sends: CampaignSendTable;
  automations: AutomationTable;
  automation_runs: AutomationRunTable;
  campaign_send_items: CampaignSendItemTable;
  idempotency_keys: IdempotencyKeyTable;
  notifications: NotificationTable;
  notification_attempts: NotificationAttemptTable;
  engage_rate_limits: EngageRateLimitTable;
  staff_locations: StaffLocationTable;
  sign_in_failures: SignInFailureTable;
  console_connections: ConsoleConnectionTable;
  console_keys: ConsoleKeyTable;
  user: UserTable;
  session: SessionTable;
  report_daily: ReportDailyTable;
  report_campaign_daily: ReportCampaignDailyTable;
  audit_log: AuditLogTable;
}

export type CustomerRow = Selectable<CustomerTable>;
export type ReceiptRow = Selectable<ReceiptTable>;
export type OfferRow = Selectable<OfferTable>;
export type CampaignRow = Selectable<CampaignTable>;
export type AutomationRow = Selectable<AutomationTable>;
export type NewOffer = Insertable<OfferTable>;
export type NotificationRow = Selectable<NotificationTable>;
