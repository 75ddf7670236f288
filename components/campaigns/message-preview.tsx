// A live preview of an offer's SMS and email as a customer will read them: the Message (or the
// template's default) with its merge fields filled for a sample customer, by the very renderer
// the notification worker uses (lib/engage/notifications/templates.ts).
"use client";

import { MessageSquare, Mail } from "lucide-react";
import { useState } from "react";
import { Skeleton } from "@/components/ui/skeleton";
import { useHydrated } from "@/components/ui/local-time";
import { MERGE_FIELDS, renderOffer } from "@/lib/engage/notifications/templates";
import { toE4 } from "@/lib/engage/schemas/fields";

const DAY_MS = 86_400_000;
/** A code from the offer-code alphabet, for the preview only. */
const SAMPLE_CODE = "K7QX4MZP";

export interface PreviewTerms {
  AmountOff: number;
  MinimumPurchase: number;
  DaysTillExpiration: number;
  Message: string;
  /** The location's name, or the group's for an offer good at every location. */
  locationName: string;
  templateName?: string;
}

function e4(value: number): number {
  return Number.isFinite(value) && value >= 0 ? (toE4(value) ?? Math.round(value * 10_000)) : 0;
}

export function MessagePreview(props: { terms: PreviewTerms; sampleFirstName?: string; groupName: string }) {
  // The expiry date is written in the browser's time zone: not on the server.
  const hydrated = useHydrated();
  return hydrated ? <RenderedPreview {...props} /> : <Skeleton className="h-48 w-full" />;
}

function RenderedPreview({ terms, sampleFirstName = "Jamie", groupName }: { terms: PreviewTerms; sampleFirstName?: string; groupName: string }) {
  // Issued now, for the preview: the expiry reads as it would today.
  const [issuedAt] = useState(() => Date.now());
  const days = Number.isInteger(terms.DaysTillExpiration) && terms.DaysTillExpiration > 0 ? terms.DaysTillExpiration : 30;
  const rendered = renderOffer({
    message: terms.Message,
    templateName: terms.templateName ?? "manual",
    facts: {
      firstName: sampleFirstName,
      amountOffE4: e4(terms.AmountOff),
      minimumPurchaseE4: e4(terms.MinimumPurchase),
      code: SAMPLE_CODE,
      expiresAt: issuedAt + days * DAY_MS,
      locationName: terms.locationName,
    },
  });
  const emailText = [
    rendered.message,
    "",
    `${rendered.values.AmountOff} off — code ${rendered.values.Code}`,
    rendered.terms,
    "",
    `You receive offers from ${groupName} because you agreed to. Unsubscribe: (a link for this customer)`,
  ].join("\n");

  return (
    <section aria-labelledby="message-preview-title" className="grid gap-3 rounded-lg border bg-muted/30 p-4">
      <div className="grid gap-1">
        <h3 id="message-preview-title" className="font-semibold">
          What {sampleFirstName} will read
        </h3>
        <p className="text-sm text-muted-foreground">
          A sample customer and code. Merge fields: {MERGE_FIELDS.map((f) => `{${f}}`).join(", ")}.
        </p>
      </div>
      <figure className="grid gap-1">
        <figcaption className="flex items-center gap-2 text-sm font-medium">
          <MessageSquare aria-hidden className="size-4" /> SMS ({rendered.sms.length} characters)
        </figcaption>
        <p data-testid="sms-preview" className="max-w-sm rounded-2xl rounded-bl-sm bg-secondary px-3 py-2 text-sm whitespace-pre-wrap text-secondary-foreground">
          {rendered.sms}
        </p>
      </figure>
      <figure className="grid gap-1">
        <figcaption className="flex items-center gap-2 text-sm font-medium">
          <Mail aria-hidden className="size-4" /> Email: {rendered.subject}
        </figcaption>
        <pre data-testid="email-preview" className="rounded-md border bg-background p-3 font-sans text-sm whitespace-pre-wrap">
          {emailText}
        </pre>
      </figure>
    </section>
  );
}
