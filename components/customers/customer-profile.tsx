// A customer's profile: who they are, what they have spent, their marketing consent with its
// history (and switches to change it), their receipts (newest first, paged) and their offers.
"use client";

import { ChevronLeft, ChevronRight, Pencil } from "lucide-react";
import Link from "next/link";
import { useState, type ReactNode } from "react";
import { PageHeader } from "@/components/page-header";
import { EmptyState, ErrorState, LoadingState } from "@/components/states/states";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { LocalTime } from "@/components/ui/local-time";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { toast } from "@/components/ui/toaster";
import { cn } from "@/components/ui/utils";
import { customerName, formatPhone } from "@/lib/console/client/customer-format";
import {
  CUSTOMER_RECEIPTS_PAGE_SIZE,
  useCustomer,
  useCustomerConsentHistory,
  useCustomerOffers,
  useCustomerReceipts,
  useUpdateCustomer,
  type ConsentChange,
  type Customer,
  type Offer,
} from "@/lib/console/client/customers";
import { isApiError } from "@/lib/console/client/fetch";
import { formatMoney } from "@/lib/console/client/format";
import { EraseCustomerDialog, ExportCustomerButton } from "./data-rights-actions";

export interface LocationName {
  LocationID: number;
  Name: string;
}

/** A location's name when the user's locations include it, else its number. */
function locationLabel(locations: LocationName[], locationId: number): string {
  return locations.find((l) => l.LocationID === locationId)?.Name ?? `Location #${locationId}`;
}

const calendarDay = new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeZone: "UTC" });

/** A birthday (YYYY-MM-DD) is a calendar day, not an instant: no time zone may shift it. */
function formatCalendarDay(day: string): string {
  const [y, m, d] = day.split("-").map(Number);
  return calendarDay.format(new Date(Date.UTC(y, m - 1, d)));
}

export function CustomerProfile({
  customerId,
  initial,
  locations,
  actingAt,
  dataRights = false,
}: {
  customerId: number;
  initial?: { customer: Customer; fetchedAt: number };
  /** The Owner's "Export data" and "Erase customer" (lib/console/roles.ts: customers:data-rights). */
  dataRights?: boolean;
  /** The user's locations, to name the ones a customer's data points at. */
  locations: LocationName[];
  /** The location the user acts at (its receipts are the ones shown), or null for the whole group. */
  actingAt: string | null;
}) {
  const query = useCustomer(customerId, initial);

  if (!query.data) {
    if (query.isError && isApiError(query.error) && query.error.status === 404) {
      return (
        <>
          <PageHeader title="Customer not found" />
          <EmptyState title={`There is no customer #${customerId} in your group`}>
            <Link href="/customers" className="text-primary underline">
              Back to customers
            </Link>
          </EmptyState>
        </>
      );
    }
    return (
      <>
        <PageHeader title={`Customer #${customerId}`} />
        {query.isError ? (
          <ErrorState error={query.error} onRetry={() => void query.refetch()} retrying={query.isFetching} />
        ) : (
          <LoadingState label="Loading the customer…" rows={4} />
        )}
      </>
    );
  }

  const customer = query.data;
  const name = customerName(customer);
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link href="/customers" className="inline-flex items-center gap-1 text-muted-foreground hover:text-foreground hover:underline">
          <ChevronLeft aria-hidden className="size-4" /> Customers
        </Link>
      </nav>
      <PageHeader
        title={name}
        description={`Customer #${customer.CustomerID}${customer.ExternalID ? ` · POS id ${customer.ExternalID}` : ""}`}
        actions={
          <>
            <Button asChild variant="outline">
              <Link href={`/customers/${customer.CustomerID}/edit`}>
                <Pencil aria-hidden /> Edit customer
              </Link>
            </Button>
            {dataRights ? (
              <>
                <ExportCustomerButton customerId={customer.CustomerID} name={name} />
                <EraseCustomerDialog customerId={customer.CustomerID} name={name} />
              </>
            ) : null}
          </>
        }
      />
      <div className="grid gap-6">
        <div className="grid gap-6 lg:grid-cols-2">
          <DetailsCard customer={customer} />
          <StatisticsCard customer={customer} locations={locations} />
        </div>
        <ConsentCard customer={customer} />
        <ReceiptsCard customerId={customer.CustomerID} locations={locations} actingAt={actingAt} />
        <OffersCard customerId={customer.CustomerID} locations={locations} />
      </div>
    </>
  );
}

function Facts({ items }: { items: [string, ReactNode][] }) {
  return (
    <dl className="grid gap-x-6 gap-y-3 sm:grid-cols-[auto_1fr]">
      {items.map(([term, value]) => (
        <div key={term} className="grid gap-0.5 sm:contents">
          <dt className="text-sm text-muted-foreground">{term}</dt>
          <dd className="min-w-0 break-words">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

const none = <span className="text-muted-foreground">—</span>;

function DetailsCard({ customer }: { customer: Customer }) {
  const cityLine = [customer.City, [customer.State, customer.Zipcode].filter(Boolean).join(" ")].filter(Boolean).join(", ");
  return (
    <Card>
      <CardHeader>
        <CardTitle>Details</CardTitle>
      </CardHeader>
      <CardContent>
        <Facts
          items={[
            ["Phone", customer.Phone ? <span className="tabular-nums">{formatPhone(customer.Phone)}</span> : none],
            ["Email", customer.Email ?? none],
            ["POS customer id", customer.ExternalID ?? none],
            ["Birthday", customer.Birthday ? formatCalendarDay(customer.Birthday) : none],
            [
              "Address",
              customer.Address || cityLine ? (
                <address className="not-italic">
                  {customer.Address ? <span className="block">{customer.Address}</span> : null}
                  {cityLine ? <span className="block">{cityLine}</span> : null}
                </address>
              ) : (
                none
              ),
            ],
            ["Customer since", <LocalTime key="since" value={customer.CreatedAt} />],
          ]}
        />
      </CardContent>
    </Card>
  );
}

function StatisticsCard({ customer, locations }: { customer: Customer; locations: LocationName[] }) {
  const average = customer.VisitCount > 0 ? customer.LifetimeSpend / customer.VisitCount : null;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Statistics</CardTitle>
        <CardDescription>Across every store of the group; voided sales do not count.</CardDescription>
      </CardHeader>
      <CardContent>
        <Facts
          items={[
            ["Visits", <span key="visits" className="tabular-nums">{customer.VisitCount.toLocaleString("en-US")}</span>],
            ["Lifetime spend", <span key="spend" className="tabular-nums">{formatMoney(customer.LifetimeSpend)}</span>],
            ["Average ticket", average === null ? none : <span className="tabular-nums">{formatMoney(average)}</span>],
            ["First visit", customer.FirstVisitAt ? <LocalTime value={customer.FirstVisitAt} /> : <span className="text-muted-foreground">No visit yet</span>],
            ["Last visit", customer.LastVisitAt ? <LocalTime value={customer.LastVisitAt} /> : <span className="text-muted-foreground">No visit yet</span>],
            [
              "Registered at",
              customer.RegisteredLocationID === null ? (
                <span className="text-muted-foreground">The group (no store)</span>
              ) : (
                locationLabel(locations, customer.RegisteredLocationID)
              ),
            ],
          ]}
        />
      </CardContent>
    </Card>
  );
}

const CHANNEL_WORDS = { SMS: "SMS", Email: "email" } as const;

function ConsentSwitch({ customer, channel }: { customer: Customer; channel: "SMS" | "Email" }) {
  const property = channel === "SMS" ? "AcceptsSMS" : "AcceptsEmail";
  const accepted = customer[property];
  const name = customerName(customer);
  const update = useUpdateCustomer(customer.CustomerID, {
    onSuccess: (saved) =>
      toast.success(`${customerName(saved)} ${saved[property] ? "now accepts" : "no longer accepts"} ${CHANNEL_WORDS[channel]} marketing.`),
    onError: (error) => toast.error(`${name}'s ${CHANNEL_WORDS[channel]} consent was not changed: ${error.message}`),
  });
  const id = `consent-${channel.toLowerCase()}`;
  return (
    <div className="flex items-center justify-between gap-4 rounded-lg border p-3">
      <div className="grid gap-0.5">
        <span id={`${id}-label`} className="font-medium">
          {channel === "SMS" ? "SMS messages" : "Email"}
        </span>
        <span id={`${id}-state`} className="text-sm text-muted-foreground">
          {accepted ? "Accepts marketing" : "Does not accept marketing"}
        </span>
      </div>
      <button
        type="button"
        role="switch"
        aria-checked={accepted}
        aria-labelledby={`${id}-label`}
        aria-describedby={`${id}-state`}
        disabled={update.isPending}
        onClick={() => update.mutate({ [property]: !accepted })}
        className={cn(
          "relative inline-flex h-6 w-11 shrink-0 items-center rounded-full border-2 border-transparent transition-colors",
          "outline-none focus-visible:ring-2 focus-visible:ring-ring focus-visible:ring-offset-2 focus-visible:ring-offset-background disabled:opacity-60",
          accepted ? "bg-primary" : "bg-input",
        )}
      >
        <span
          aria-hidden
          className={cn("block size-5 rounded-full bg-background shadow transition-transform", accepted ? "translate-x-5" : "translate-x-0")}
        />
      </button>
    </div>
  );
}

function actorLabel(change: ConsentChange): string {
  if (change.ActorType === "user") return change.Actor ?? "A console user";
  if (change.ActorType === "key") return change.Actor ? `POS key ${change.Actor}` : "A POS key";
  return change.Actor ?? "Engage";
}

function ConsentCard({ customer }: { customer: Customer }) {
  const history = useCustomerConsentHistory(customer.CustomerID);
  return (
    <Card>
      <CardHeader>
        <CardTitle>Marketing consent</CardTitle>
        <CardDescription>Whether campaigns may reach this customer. Every change is recorded with who made it.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <div className="grid gap-3 sm:grid-cols-2">
          <ConsentSwitch customer={customer} channel="SMS" />
          <ConsentSwitch customer={customer} channel="Email" />
        </div>
        <h3 className="font-medium">History</h3>
        {history.isError ? (
          <ErrorState error={history.error} onRetry={() => void history.refetch()} retrying={history.isFetching} />
        ) : !history.data ? (
          <LoadingState label="Loading the consent history…" rows={2} />
        ) : history.data.length === 0 ? (
          <p className="text-sm text-muted-foreground">No consent given or withdrawn yet.</p>
        ) : (
          <Table label="Consent history">
            <TableHeader>
              <TableRow>
                <TableHead>Change</TableHead>
                <TableHead>When</TableHead>
                <TableHead className="hidden sm:table-cell">By</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {history.data.map((change, i) => (
                <TableRow key={`${change.ChangedAt}-${change.Channel}-${i}`}>
                  <TableCell>
                    {change.Channel === "SMS" ? "SMS" : "Email"} consent {change.Accepted ? "given" : "withdrawn"}
                    {/* On a phone the "By" column is folded in here. */}
                    <span className="block text-sm break-words text-muted-foreground sm:hidden">by {actorLabel(change)}</span>
                  </TableCell>
                  <TableCell>
                    <LocalTime value={change.ChangedAt} withTime />
                  </TableCell>
                  <TableCell className="hidden break-words sm:table-cell">{actorLabel(change)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}

function Pager({ label, page, pageCount, onPage }: { label: string; page: number; pageCount: number; onPage: (page: number) => void }) {
  if (pageCount <= 1) return null;
  return (
    <nav aria-label={label} className="flex flex-wrap items-center justify-between gap-3">
      <p className="text-sm text-muted-foreground">
        Page {page} of {pageCount}
      </p>
      <div className="flex gap-2">
        <Button variant="outline" size="sm" onClick={() => onPage(page - 1)} disabled={page <= 1}>
          <ChevronLeft aria-hidden /> Previous
        </Button>
        <Button variant="outline" size="sm" onClick={() => onPage(page + 1)} disabled={page >= pageCount}>
          Next <ChevronRight aria-hidden />
        </Button>
      </div>
    </nav>
  );
}

function ReceiptsCard({ customerId, locations, actingAt }: { customerId: number; locations: LocationName[]; actingAt: string | null }) {
  const [page, setPage] = useState(1);
  const receipts = useCustomerReceipts(customerId, page);
  const total = receipts.data?.total ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / CUSTOMER_RECEIPTS_PAGE_SIZE));
  return (
    <Card>
      <CardHeader>
        <CardTitle>Receipts</CardTitle>
        <CardDescription>
          {actingAt ? `Sales at ${actingAt}, newest first.` : "Sales at every store, newest first."}
          {receipts.data ? ` ${total.toLocaleString("en-US")} in all.` : null}
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3">
        {receipts.isError && !receipts.data ? (
          <ErrorState error={receipts.error} onRetry={() => void receipts.refetch()} retrying={receipts.isFetching} />
        ) : !receipts.data ? (
          <LoadingState label="Loading receipts…" rows={3} />
        ) : receipts.data.items.length === 0 ? (
          <EmptyState title="No receipts yet">
            {actingAt ? `Sales of this customer at ${actingAt} appear here.` : "Sales of this customer appear here."}
          </EmptyState>
        ) : (
          <div aria-busy={receipts.isPlaceholderData} className={cn("grid gap-3", receipts.isPlaceholderData && "opacity-60")}>
            <Table label="Receipts">
              <TableHeader>
                <TableRow>
                  <TableHead>Date</TableHead>
                  <TableHead className="hidden sm:table-cell">Location</TableHead>
                  <TableHead className="hidden sm:table-cell text-right">Items</TableHead>
                  <TableHead className="text-right">Total</TableHead>
                  <TableHead>Status</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {receipts.data.items.map((receipt) => (
                  <TableRow key={receipt.ReceiptID} className="hover:bg-muted/40">
                    <TableCell>
                      <Link
                        href={`/receipts/${receipt.ReceiptID}`}
                        className="font-medium whitespace-nowrap text-primary underline-offset-4 hover:underline focus-visible:underline"
                      >
                        <span className="sr-only">Receipt of </span>
                        <LocalTime value={receipt.CreatedAt} withTime />
                      </Link>
                    </TableCell>
                    <TableCell className="hidden sm:table-cell">{locationLabel(locations, receipt.LocationID)}</TableCell>
                    <TableCell className="hidden text-right tabular-nums sm:table-cell">{receipt.Skus.length}</TableCell>
                    <TableCell className="text-right tabular-nums">{formatMoney(receipt.Total)}</TableCell>
                    <TableCell>{receipt.Voided ? <Badge variant="destructive">Voided</Badge> : <Badge variant="secondary">Sale</Badge>}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
            <Pager label="Pages of receipts" page={page} pageCount={pageCount} onPage={setPage} />
          </div>
        )}
      </CardContent>
    </Card>
  );
}

const OFFER_FILTERS = ["All", "Active", "Redeemed", "Expired"] as const;
type OfferFilter = (typeof OFFER_FILTERS)[number];

const STATUS_BADGE: Record<Offer["Status"], "default" | "secondary" | "outline"> = {
  Active: "default",
  Redeemed: "secondary",
  Expired: "outline",
};

function OffersCard({ customerId, locations }: { customerId: number; locations: LocationName[] }) {
  const offers = useCustomerOffers(customerId);
  const [filter, setFilter] = useState<OfferFilter>("All");
  const all = offers.data ?? [];
  const shown = filter === "All" ? all : all.filter((o) => o.Status === filter);
  const count = (f: OfferFilter) => (f === "All" ? all.length : all.filter((o) => o.Status === f).length);
  return (
    <Card>
      <CardHeader>
        <CardTitle>Offers</CardTitle>
        <CardDescription>Offers this customer holds that your stores can see, newest first.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3">
        {offers.isError ? (
          <ErrorState error={offers.error} onRetry={() => void offers.refetch()} retrying={offers.isFetching} />
        ) : !offers.data ? (
          <LoadingState label="Loading offers…" rows={2} />
        ) : all.length === 0 ? (
          <EmptyState title="No offers yet">Offers from campaigns and automations appear here.</EmptyState>
        ) : (
          <>
            <div role="group" aria-label="Show offers" className="flex flex-wrap gap-2">
              {OFFER_FILTERS.map((f) => (
                <Button key={f} size="sm" variant={filter === f ? "default" : "outline"} aria-pressed={filter === f} onClick={() => setFilter(f)}>
                  {f} <span className="tabular-nums opacity-80">({count(f)})</span>
                </Button>
              ))}
            </div>
            {shown.length === 0 ? (
              <p className="text-sm text-muted-foreground">No {filter.toLowerCase()} offers.</p>
            ) : (
              <Table label="Offers">
                <TableHeader>
                  <TableRow>
                    <TableHead>Code</TableHead>
                    <TableHead>Status</TableHead>
                    <TableHead className="text-right">Amount off</TableHead>
                    <TableHead className="text-right">Minimum purchase</TableHead>
                    <TableHead>Expires</TableHead>
                    <TableHead>Redeemable at</TableHead>
                    <TableHead>Redeemed</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {shown.map((offer) => (
                    <TableRow key={offer.OfferID}>
                      <TableCell className="font-mono font-medium">{offer.Code}</TableCell>
                      <TableCell>
                        <Badge variant={STATUS_BADGE[offer.Status]}>{offer.Status}</Badge>
                      </TableCell>
                      <TableCell className="text-right tabular-nums">{formatMoney(offer.AmountOff)}</TableCell>
                      <TableCell className="text-right tabular-nums">{offer.MinimumPurchase > 0 ? formatMoney(offer.MinimumPurchase) : "None"}</TableCell>
                      <TableCell>
                        <LocalTime value={offer.ExpiresAt} className="whitespace-nowrap" />
                      </TableCell>
                      <TableCell>
                        {offer.IsLocationSpecific && offer.LocationID !== null ? locationLabel(locations, offer.LocationID) : "Any location"}
                      </TableCell>
                      <TableCell>
                        {offer.RedeemedReceiptID ? (
                          <Link
                            href={`/receipts/${offer.RedeemedReceiptID}`}
                            className="whitespace-nowrap text-primary underline-offset-4 hover:underline focus-visible:underline"
                          >
                            {offer.RedeemedAt ? (
                              <>
                                <span className="sr-only">Receipt of </span>
                                <LocalTime value={offer.RedeemedAt} />
                              </>
                            ) : (
                              "Receipt"
                            )}
                          </Link>
                        ) : (
                          none
                        )}
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
          </>
        )}
      </CardContent>
    </Card>
  );
}

