// One receipt: who bought, where and when, its items, discounts and totals, what happened to
// the offer codes it carried, the offers it earned, and (Owner, Manager) voiding it.
"use client";

import { ArrowLeft } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import { PageHeader } from "@/components/page-header";
import { EmptyState, ErrorState, LoadingState } from "@/components/states/states";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { customerName } from "@/lib/console/client/customer-format";
import { useCustomer } from "@/lib/console/client/customers";
import { isApiError } from "@/lib/console/client/fetch";
import { formatDate, formatDateTime, formatMoney, formatQuantity } from "@/lib/console/client/format";
import { redemptionInWords, useReceipt, type Receipt } from "@/lib/console/client/receipts";
import { itemCount } from "./receipts-table";
import { VoidReceiptDialog } from "./void-receipt-dialog";

interface Location {
  LocationID: number;
  Name: string;
}

const linkClass = "font-medium text-primary underline-offset-4 hover:underline focus-visible:underline";

function BackToReceipts() {
  return (
    <Link href="/receipts" className="mb-4 inline-flex items-center gap-1 text-sm text-muted-foreground underline-offset-4 hover:text-foreground hover:underline">
      <ArrowLeft aria-hidden className="size-4" /> Receipts
    </Link>
  );
}

function TotalLine({ term, amount, className }: { term: string; amount: string; className?: string }) {
  return (
    <div className={`flex justify-between gap-6 ${className ?? ""}`}>
      <dt>{term}</dt>
      <dd className="text-right">{amount}</dd>
    </div>
  );
}

function Facts({ children }: { children: ReactNode }) {
  return <dl className="grid gap-x-6 gap-y-3 sm:grid-cols-[max-content_1fr]">{children}</dl>;
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="grid gap-0.5 sm:contents">
      <dt className="text-sm text-muted-foreground">{term}</dt>
      <dd className="min-w-0">{children}</dd>
    </div>
  );
}

export function ReceiptDetail({ receiptId, groupLocations, canVoid }: { receiptId: string; groupLocations: Location[]; canVoid: boolean }) {
  const receipt = useReceipt(receiptId);

  if (receipt.error && !receipt.data) {
    const missing = isApiError(receipt.error) && receipt.error.status === 404;
    return (
      <>
        <BackToReceipts />
        <PageHeader title={missing ? "Receipt not found" : "Receipt"} />
        {missing ? (
          <EmptyState title="There is no such receipt here">
            <p>It may have been sold at a location you do not work at. Check the link, or find the sale in the receipts list.</p>
          </EmptyState>
        ) : (
          <ErrorState error={receipt.error} onRetry={() => void receipt.refetch()} retrying={receipt.isFetching} />
        )}
      </>
    );
  }
  if (!receipt.data) {
    return (
      <>
        <BackToReceipts />
        <PageHeader title="Receipt" />
        <LoadingState label="Loading the receipt…" rows={4} />
      </>
    );
  }

  return <ReceiptView receipt={receipt.data} groupLocations={groupLocations} canVoid={canVoid} />;
}

function ReceiptView({ receipt: r, groupLocations, canVoid }: { receipt: Receipt; groupLocations: Location[]; canVoid: boolean }) {
  const customer = useCustomer(r.CustomerID);
  const locationName = (id: number | null) => groupLocations.find((l) => l.LocationID === id)?.Name ?? `Location ${id}`;
  const who = customer.data ? customerName(customer.data) : `Customer #${r.CustomerID}`;
  const discountTotal = r.Discounts.reduce((sum, d) => sum + d.Amount, 0);

  return (
    <>
      <BackToReceipts />
      <PageHeader
        title="Receipt"
        description={
          <>
            {formatDateTime(r.CreatedAt)} at {locationName(r.LocationID)} · {formatMoney(r.Total)}
          </>
        }
        actions={canVoid && !r.Voided ? <VoidReceiptDialog receipt={r} customer={who} /> : null}
      />

      <div className="grid gap-6">
        {r.Voided ? (
          <Alert variant="destructive" role="status">
            <AlertTitle>Voided{r.VoidedAt ? ` on ${formatDateTime(r.VoidedAt)}` : ""}</AlertTitle>
            <AlertDescription>
              <p>This sale no longer counts toward {who}&apos;s visits and lifetime spend, and the offers it redeemed can be used again unless expired.</p>
            </AlertDescription>
          </Alert>
        ) : null}

        <Card>
          <CardHeader>
            <CardTitle>Sale</CardTitle>
          </CardHeader>
          <CardContent>
            <Facts>
              <Fact term="Customer">
                <Link href={`/customers/${r.CustomerID}`} className={linkClass}>
                  {who}
                </Link>
                {customer.data ? (
                  <span className="block text-sm text-muted-foreground">
                    {customer.data.VisitCount} {customer.data.VisitCount === 1 ? "visit" : "visits"} · {formatMoney(customer.data.LifetimeSpend)} lifetime spend
                  </span>
                ) : null}
              </Fact>
              <Fact term="Location">{locationName(r.LocationID)}</Fact>
              <Fact term="Date and time">{formatDateTime(r.CreatedAt)}</Fact>
              <Fact term="Status">{r.Voided ? <Badge variant="destructive">Voided</Badge> : <Badge variant="outline">Sale</Badge>}</Fact>
              <Fact term="Receipt ID">
                <span className="font-mono text-sm break-all">{r.ReceiptID}</span>
              </Fact>
            </Facts>
          </CardContent>
        </Card>

        <section aria-labelledby="items-title" className="grid gap-3">
          <h2 id="items-title" className="text-lg font-semibold">
            Items ({formatQuantity(itemCount(r))})
          </h2>
          <Table label="Items">
            <TableHeader>
              <TableRow>
                <TableHead>SKU</TableHead>
                <TableHead>Description</TableHead>
                <TableHead className="text-right">Quantity</TableHead>
                <TableHead className="hidden text-right sm:table-cell">Unit price</TableHead>
                <TableHead className="text-right">Amount</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {r.Skus.map((line, i) => (
                <TableRow key={i}>
                  <TableCell className="font-mono text-sm whitespace-nowrap">{line.SKU}</TableCell>
                  <TableCell>
                    {line.Description ?? <span className="text-muted-foreground">—</span>}
                    <span className="block text-sm text-muted-foreground sm:hidden">{formatMoney(line.Amount)} each</span>
                  </TableCell>
                  <TableCell className="text-right tabular-nums">{formatQuantity(line.Quantity)}</TableCell>
                  <TableCell className="hidden text-right tabular-nums sm:table-cell">{formatMoney(line.Amount)}</TableCell>
                  <TableCell className="text-right tabular-nums">{formatMoney(Math.round(line.Amount * line.Quantity * 100) / 100)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </section>

        <div className="grid gap-6 lg:grid-cols-2">
          <section aria-labelledby="discounts-title" className="grid content-start gap-3">
            <h2 id="discounts-title" className="text-lg font-semibold">
              Discounts
            </h2>
            {r.Discounts.length === 0 ? (
              <p className="text-muted-foreground">No discounts.</p>
            ) : (
              <ul className="grid gap-2">
                {r.Discounts.map((d, i) => (
                  <li key={i} className="flex flex-wrap items-baseline justify-between gap-x-4 rounded-lg border px-4 py-3">
                    <span>
                      {d.Description ?? "Discount"}
                      {d.Code ? <span className="ml-2 font-mono text-sm text-muted-foreground">{d.Code}</span> : null}
                    </span>
                    <span className="tabular-nums">−{formatMoney(d.Amount)}</span>
                  </li>
                ))}
              </ul>
            )}
          </section>

          <section aria-labelledby="totals-title" className="grid content-start gap-3">
            <h2 id="totals-title" className="text-lg font-semibold">
              Totals
            </h2>
            <dl className="grid gap-2 rounded-lg border px-4 py-3 tabular-nums">
              <TotalLine term="Subtotal" amount={formatMoney(r.SubTotal)} />
              {discountTotal > 0 ? <TotalLine term="Discounts" amount={`−${formatMoney(discountTotal)}`} /> : null}
              <TotalLine term="Taxes" amount={formatMoney(r.Taxes)} />
              {r.Tip > 0 ? <TotalLine term="Tip" amount={formatMoney(r.Tip)} /> : null}
              {r.Shipping > 0 ? <TotalLine term="Shipping" amount={formatMoney(r.Shipping)} /> : null}
              <TotalLine term="Total" amount={formatMoney(r.Total)} className={`border-t pt-2 font-semibold ${r.Voided ? "[&_dd]:line-through" : ""}`} />
            </dl>
          </section>
        </div>

        <section aria-labelledby="redemptions-title" className="grid gap-3">
          <h2 id="redemptions-title" className="text-lg font-semibold">
            Offer codes
          </h2>
          {r.Redemptions.length === 0 ? (
            <p className="text-muted-foreground">This sale carried no offer codes.</p>
          ) : (
            <ul className="grid gap-2">
              {r.Redemptions.map((redemption, i) => (
                <li key={i} className="flex flex-wrap items-center justify-between gap-x-4 gap-y-1 rounded-lg border px-4 py-3">
                  <Link href={`/offers?code=${encodeURIComponent(redemption.Code)}`} className={`font-mono ${linkClass}`}>
                    {redemption.Code}
                  </Link>
                  <span className={redemption.Status === "Redeemed" ? "font-medium" : "font-medium text-destructive"}>{redemptionInWords(redemption)}</span>
                </li>
              ))}
            </ul>
          )}
        </section>

        <section aria-labelledby="earned-title" className="grid gap-3">
          <h2 id="earned-title" className="text-lg font-semibold">
            Offers this sale earned
          </h2>
          {r.Offers.length === 0 ? (
            <p className="text-muted-foreground">None.</p>
          ) : (
            <ul className="grid gap-2">
              {r.Offers.map((offer) => (
                <li key={offer.OfferID} className="flex flex-wrap items-center justify-between gap-x-4 gap-y-1 rounded-lg border px-4 py-3">
                  <Link href={`/offers?code=${encodeURIComponent(offer.Code)}`} className={`font-mono ${linkClass}`}>
                    {offer.Code}
                  </Link>
                  <span>
                    {formatMoney(offer.AmountOff)} off · expires {formatDate(offer.ExpiresAt)}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </>
  );
}
