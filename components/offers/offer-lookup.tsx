// The offer look-up at the till: type the code a customer shows (any case, spaces ignored),
// and see whether it can be used, for whom, for how much, where, and if not, why. The code is
// kept in the URL (?code=), so a reload or a shared link shows the same offer.
"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { AlertTriangle, CheckCircle2, Search, XCircle } from "lucide-react";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, type ReactNode } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { EmptyState, ErrorState, LoadingState } from "@/components/states/states";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { TextField } from "@/components/ui/field";
import { cn } from "@/components/ui/utils";
import { customerName } from "@/lib/console/client/customer-format";
import { useCustomer } from "@/lib/console/client/customers";
import { isApiError } from "@/lib/console/client/fetch";
import { formatDate, formatDateTime, formatMoney } from "@/lib/console/client/format";
import { normalizeOfferCode, useOfferByCode, type Offer } from "@/lib/console/client/offers";

interface Location {
  LocationID: number;
  Name: string;
}

const codeSchema = z.object({
  code: z
    .string()
    .transform(normalizeOfferCode)
    .pipe(z.string().min(1, "Enter the code on the customer's offer").max(32, "An offer code is at most 32 characters")),
});
type CodeInput = z.input<typeof codeSchema>;
type CodeValues = z.output<typeof codeSchema>;

const linkClass = "font-medium text-primary underline-offset-4 hover:underline focus-visible:underline";

export function OfferLookup({
  groupName,
  groupLocations,
  currentLocationId,
  canSeeReceipts,
}: {
  groupName: string;
  groupLocations: Location[];
  /** Where the user works now; null for an Owner acting for every location. */
  currentLocationId: number | null;
  canSeeReceipts: boolean;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const code = normalizeOfferCode(useSearchParams().get("code") ?? "").slice(0, 32);
  const form = useForm<CodeInput, unknown, CodeValues>({ resolver: zodResolver(codeSchema), defaultValues: { code } });
  const offer = useOfferByCode(code);

  // Back or a link changed the code: the box shows the code looked up.
  useEffect(() => {
    form.reset({ code });
  }, [form, code]);

  function onSubmit(values: CodeValues) {
    if (values.code === code) void offer.refetch();
    else router.push(`${pathname}?code=${encodeURIComponent(values.code)}`, { scroll: false });
  }

  const locationName = (id: number | null) => groupLocations.find((l) => l.LocationID === id)?.Name ?? `location ${id}`;
  const missing = isApiError(offer.error) && offer.error.status === 404;

  return (
    <div className="grid gap-6">
      <form role="search" aria-label="Look up an offer" noValidate onSubmit={form.handleSubmit(onSubmit)} className="flex flex-col gap-3 sm:flex-row sm:items-start">
        <TextField
          label="Offer code"
          className="sm:w-80"
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          description="Upper or lower case; spaces do not matter."
          error={form.formState.errors.code?.message}
          {...form.register("code")}
        />
        <Button type="submit" className="sm:mt-7" disabled={offer.isFetching}>
          <Search aria-hidden /> Look up
        </Button>
      </form>

      <section aria-label="Offer" aria-busy={offer.isFetching} className="grid gap-4">
        <p className="sr-only" aria-live="polite">
          {offer.data && !offer.isFetching ? `Offer ${offer.data.Code}: ${offer.data.Status}.` : ""}
        </p>
        {!code ? null : missing ? (
          <Alert variant="destructive" role="alert">
            <div className="flex items-start gap-3">
              <XCircle aria-hidden className="mt-0.5 size-5 shrink-0" />
              <div className="grid gap-1">
                <AlertTitle className="text-base">No offer has this code</AlertTitle>
                <AlertDescription>
                  <p>
                    Nothing in {groupName} has the code <span className="font-mono font-semibold">{code}</span>. Check it with the customer: codes
                    have 8 letters and digits, and never use I, L, O, U, 0 or 1.
                  </p>
                </AlertDescription>
              </div>
            </div>
          </Alert>
        ) : offer.error ? (
          <ErrorState error={offer.error} onRetry={() => void offer.refetch()} retrying={offer.isFetching} />
        ) : !offer.data ? (
          <LoadingState label="Looking up the offer…" rows={3} />
        ) : (
          <OfferCard
            offer={offer.data}
            groupName={groupName}
            locationName={locationName}
            currentLocationId={currentLocationId}
            canSeeReceipts={canSeeReceipts}
          />
        )}
        {!code ? (
          <EmptyState title="Enter a code to look it up">
            <p>The code is on the customer&apos;s text message, email or printed receipt.</p>
          </EmptyState>
        ) : null}
      </section>
    </div>
  );
}

const STATUS_LOOK: Record<Offer["Status"], { icon: typeof CheckCircle2; className: string; summary: string }> = {
  Active: { icon: CheckCircle2, className: "text-green-700 dark:text-green-400", summary: "Can be used" },
  Redeemed: { icon: XCircle, className: "text-destructive", summary: "Cannot be used" },
  Expired: { icon: XCircle, className: "text-destructive", summary: "Cannot be used" },
};

function OfferCard({
  offer,
  groupName,
  locationName,
  currentLocationId,
  canSeeReceipts,
}: {
  offer: Offer;
  groupName: string;
  locationName: (id: number | null) => string;
  currentLocationId: number | null;
  canSeeReceipts: boolean;
}) {
  const customer = useCustomer(offer.CustomerID);
  const who = customer.data ? customerName(customer.data) : `Customer #${offer.CustomerID}`;
  const elsewhere = offer.IsLocationSpecific && currentLocationId !== null && offer.LocationID !== currentLocationId;
  const look = STATUS_LOOK[offer.Status];
  const usableHere = offer.Status === "Active" && !elsewhere;
  const Icon = usableHere ? look.icon : offer.Status === "Active" ? AlertTriangle : look.icon;

  let why: ReactNode = null;
  if (offer.Status === "Redeemed") {
    // A location key sees its own location's receipts only: link where the link would open.
    const receiptVisible = canSeeReceipts && (currentLocationId === null || offer.RedeemedLocationID === currentLocationId);
    const receipt = offer.RedeemedReceiptID ? (
      receiptVisible ? (
        <Link href={`/receipts/${offer.RedeemedReceiptID}`} className={`font-mono ${linkClass}`}>
          {offer.RedeemedReceiptID.slice(0, 8)}
        </Link>
      ) : (
        <span className="font-mono">{offer.RedeemedReceiptID.slice(0, 8)}</span>
      )
    ) : null;
    why = (
      <>
        Already redeemed{receipt ? <> on receipt {receipt}</> : null}
        {offer.RedeemedLocationID !== null ? ` at ${locationName(offer.RedeemedLocationID)}` : null}
        {offer.RedeemedAt ? ` on ${formatDateTime(offer.RedeemedAt)}` : null}.
      </>
    );
  } else if (offer.Status === "Expired") {
    why = <>Expired on {formatDateTime(offer.ExpiresAt)}.</>;
  } else if (elsewhere) {
    why = (
      <>
        Only at {locationName(offer.LocationID)}: it cannot be used here at {locationName(currentLocationId)}.
      </>
    );
  }

  return (
    <Card>
      <CardHeader className="gap-3">
        <p className="text-sm text-muted-foreground">
          Offer <span className="font-mono font-semibold text-foreground">{offer.Code}</span>
        </p>
        <div className={cn("flex items-center gap-3", usableHere ? look.className : offer.Status === "Active" ? "text-amber-700 dark:text-amber-400" : look.className)}>
          <Icon aria-hidden className="size-9 shrink-0" />
          <div>
            <h2 className="text-3xl leading-tight font-bold tracking-tight">{offer.Status}</h2>
            <p className="font-medium">{usableHere ? look.summary : offer.Status === "Active" ? "Not here" : look.summary}</p>
          </div>
        </div>
        {why ? (
          <Alert variant={offer.Status === "Active" ? "default" : "destructive"}>
            <AlertTitle>Why it cannot be used</AlertTitle>
            <AlertDescription>
              <p>{why}</p>
            </AlertDescription>
          </Alert>
        ) : null}
      </CardHeader>
      <CardContent>
        <dl className="grid gap-x-6 gap-y-3 sm:grid-cols-[max-content_1fr]">
          <Row term="Customer">
            <Link href={`/customers/${offer.CustomerID}`} className={linkClass}>
              {who}
            </Link>
            {offer.Status === "Active" ? <span className="block text-sm text-muted-foreground">Only this customer can use it.</span> : null}
          </Row>
          <Row term="Value">
            <span className="text-lg font-semibold">{formatMoney(offer.AmountOff)} off</span>
          </Row>
          <Row term="Minimum purchase">
            {offer.MinimumPurchase > 0 ? `${formatMoney(offer.MinimumPurchase)} subtotal, before tax` : "None"}
          </Row>
          <Row term={offer.Status === "Expired" ? "Expired" : "Expires"}>{formatDateTime(offer.ExpiresAt)}</Row>
          <Row term="Redeemable at">{offer.IsLocationSpecific ? `${locationName(offer.LocationID)} only` : `Any ${groupName} location`}</Row>
          <Row term="Issued">
            {formatDate(offer.CreatedAt)}
            {offer.TemplateName === "manual" ? " by a campaign" : ` by the ${offer.TemplateName} automation`}
          </Row>
        </dl>
      </CardContent>
    </Card>
  );
}

function Row({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="grid gap-0.5 sm:contents">
      <dt className="text-sm text-muted-foreground">{term}</dt>
      <dd className="min-w-0">{children}</dd>
    </div>
  );
}
