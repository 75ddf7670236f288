// Previewing and sending a campaign to an audience: collects the audience's CustomerIDs (paging
// through the customer search), asks Engage's Preview who would get an offer and who would be
// skipped and why, shows the reach per channel and the most it could cost, and sends after a
// confirmation that states how many offers and that cost.
"use client";

import { Eye, Send } from "lucide-react";
import { useRef, useState } from "react";
import { useWatch } from "react-hook-form";
import { ErrorState } from "@/components/states/states";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import {
  collectAudience,
  maximumCost,
  MAX_SEND,
  SKIP_REASON_WORDS,
  usePreviewCampaign,
  useSendCampaign,
  type ActAt,
  type Audience,
  type Campaign,
  type CampaignPreview,
  type SkipReason,
} from "@/lib/console/client/campaigns";
import { formatMoney } from "@/lib/console/client/format";
import type { AudienceForm } from "./audience-builder";
import { formatCount, offerInWords } from "./campaign-format";

interface Ready {
  campaign: Campaign;
  audience: Audience;
  preview: CampaignPreview;
  /** The audience form's values this preview is for: a change asks for a new preview. */
  snapshot: string;
}

const plural = (n: number, one: string, many: string) => `${formatCount(n)} ${n === 1 ? one : many}`;

export function CampaignSender({
  audienceForm,
  getCampaign,
  audienceActAt,
  onSent,
  previewLabel = "Preview offers",
}: {
  audienceForm: AudienceForm;
  /** The campaign to send: the new page checks its form and creates it first; null when it cannot. */
  getCampaign: () => Promise<Campaign | null>;
  /** Which key searches the audience: an Owner the group's; a Manager the location the filter names, or the campaign's. */
  audienceActAt: (campaign: Campaign, purchasedAt: number | null) => ActAt | null;
  onSent: (campaign: Campaign, offers: number) => void;
  previewLabel?: string;
}) {
  const [progress, setProgress] = useState<string>("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [ready, setReady] = useState<Ready | null>(null);
  const [confirming, setConfirming] = useState(false);
  const idempotencyKey = useRef<string>("");
  const abort = useRef<AbortController | null>(null);
  const preview = usePreviewCampaign();
  const send = useSendCampaign();
  const values = useWatch({ control: audienceForm.control });
  const changed = ready !== null && JSON.stringify(values) !== ready.snapshot;

  async function runPreview() {
    setError(null);
    setReady(null);
    const campaign = await getCampaign();
    if (!campaign) return;
    if (!(await audienceForm.trigger())) {
      audienceForm.setFocus(Object.keys(audienceForm.formState.errors)[0] as "CustomerIDs");
      return;
    }
    const audienceValues = audienceForm.getValues();
    const snapshot = JSON.stringify(audienceValues);
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    setBusy(true);
    setProgress("Finding the customers…");
    try {
      const purchasedAt = audienceValues.Mode === "filters" && audienceValues.PurchasedAtLocationID ? Number(audienceValues.PurchasedAtLocationID) : null;
      const audience = await collectAudience(audienceValues, {
        actAt: audienceActAt(campaign, purchasedAt),
        signal: controller.signal,
        onProgress: (collected, total) => setProgress(`Finding the customers… ${formatCount(collected)} of ${formatCount(Math.min(total, MAX_SEND))}`),
      });
      if (audience.customerIds.length === 0) {
        setProgress("No customer matches this audience. Widen the filters, or check the CustomerIDs.");
        return;
      }
      setProgress("Asking Engage who would get an offer…");
      const result = await preview.mutateAsync({ campaign, customerIds: audience.customerIds });
      idempotencyKey.current = crypto.randomUUID();
      setReady({ campaign, audience, preview: result, snapshot });
      setProgress(`${plural(result.WouldOffer, "customer", "customers")} would get an offer.`);
    } catch (e) {
      if (controller.signal.aborted) return;
      setProgress("");
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  async function confirmSend() {
    if (!ready) return;
    try {
      await send.mutateAsync({ campaign: ready.campaign, customerIds: ready.audience.customerIds, idempotencyKey: idempotencyKey.current });
      setConfirming(false);
      setReady(null);
      setProgress("");
      onSent(ready.campaign, ready.preview.WouldOffer);
    } catch (e) {
      setConfirming(false);
      setError(e);
    }
  }

  const cost = ready ? maximumCost(ready.preview.WouldOffer, ready.campaign.AmountOff) : 0;
  const skipped = ready ? (Object.entries(ready.preview.Skipped) as [SkipReason, number][]).filter(([, n]) => n > 0) : [];

  return (
    <div className="grid gap-4">
      <div className="flex flex-wrap items-center gap-3">
        <Button type="button" variant={ready && !changed ? "outline" : "default"} onClick={() => void runPreview()} disabled={busy}>
          <Eye aria-hidden /> {busy ? "Preparing the preview…" : ready ? "Preview again" : previewLabel}
        </Button>
        <p role="status" aria-live="polite" className="text-sm text-muted-foreground">
          {progress}
        </p>
      </div>

      {error ? <ErrorState error={error} /> : null}

      {ready ? (
        <section aria-labelledby="send-preview-title" className="grid gap-4 rounded-lg border p-4">
          <h3 id="send-preview-title" className="text-lg font-semibold">
            Before you send
          </h3>
          {changed ? (
            <p role="alert" className="text-sm font-medium text-destructive">
              The audience changed since this preview. Preview again before sending.
            </p>
          ) : null}
          {ready.audience.capped ? (
            <p className="text-sm">
              {formatCount(ready.audience.total)} customers match, and a send takes at most {formatCount(MAX_SEND)}: this preview and the send are for the first{" "}
              {formatCount(MAX_SEND)}. Send again later, or narrow the audience, for the rest.
            </p>
          ) : null}
          <dl className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
            <div className="grid gap-1 rounded-md bg-muted/40 p-3">
              <dt className="text-sm text-muted-foreground">Get an offer</dt>
              <dd className="text-2xl font-semibold tabular-nums" data-testid="would-offer">
                {formatCount(ready.preview.WouldOffer)}
              </dd>
              <dd className="text-sm text-muted-foreground">of {plural(ready.preview.Requested, "customer", "customers")} in the audience</dd>
            </div>
            <div className="grid gap-1 rounded-md bg-muted/40 p-3">
              <dt className="text-sm text-muted-foreground">Skipped</dt>
              <dd className="text-2xl font-semibold tabular-nums">{formatCount(ready.preview.Requested - ready.preview.WouldOffer)}</dd>
              {skipped.length === 0 ? <dd className="text-sm text-muted-foreground">Nobody</dd> : null}
              {skipped.map(([reason, n]) => (
                <dd key={reason} className="text-sm">
                  {formatCount(n)}: {SKIP_REASON_WORDS[reason]}
                </dd>
              ))}
            </div>
            <div className="grid gap-1 rounded-md bg-muted/40 p-3">
              <dt className="text-sm text-muted-foreground">Reach</dt>
              {ready.audience.reach ? (
                <>
                  <dd className="text-sm">Up to {plural(ready.audience.reach.sms, "customer", "customers")} by SMS</dd>
                  <dd className="text-sm">Up to {plural(ready.audience.reach.email, "customer", "customers")} by email</dd>
                  <dd className="text-xs text-muted-foreground">Those who consented and have a phone or an email on file.</dd>
                </>
              ) : (
                <dd className="text-sm">Known once sent: a pasted list is not looked up one by one. Only customers who consented are messaged.</dd>
              )}
            </div>
            <div className="grid gap-1 rounded-md bg-muted/40 p-3">
              <dt className="text-sm text-muted-foreground">Most it could cost</dt>
              <dd className="text-2xl font-semibold tabular-nums" data-testid="maximum-cost">
                {formatMoney(cost)}
              </dd>
              <dd className="text-sm text-muted-foreground">
                {formatCount(ready.preview.WouldOffer)} × {formatMoney(ready.campaign.AmountOff)}, if every offer is redeemed
              </dd>
            </div>
          </dl>
          {ready.audience.rejected || ready.audience.duplicates ? (
            <p className="text-sm text-muted-foreground">
              From the list: {ready.audience.duplicates ? `${plural(ready.audience.duplicates, "repeat", "repeats")} counted once` : ""}
              {ready.audience.duplicates && ready.audience.rejected ? "; " : ""}
              {ready.audience.rejected ? `${plural(ready.audience.rejected, "entry", "entries")} that are not CustomerIDs left out` : ""}.
            </p>
          ) : null}
          {ready.preview.WouldOffer === 0 ? (
            <p className="text-sm font-medium">Nobody in this audience would get an offer, so there is nothing to send.</p>
          ) : (
            <AlertDialog open={confirming} onOpenChange={(open) => !send.isPending && setConfirming(open)}>
              <div>
                <Button type="button" onClick={() => setConfirming(true)} disabled={changed || busy}>
                  <Send aria-hidden /> Send {plural(ready.preview.WouldOffer, "offer", "offers")}
                </Button>
              </div>
              <AlertDialogContent>
                <AlertDialogHeader>
                  <AlertDialogTitle>Send {plural(ready.preview.WouldOffer, "offer", "offers")}?</AlertDialogTitle>
                  <AlertDialogDescription>
                    {plural(ready.preview.WouldOffer, "customer gets", "customers get")} {offerInWords(ready.campaign)}. The most this could cost is{" "}
                    {formatMoney(cost)}, if every offer is redeemed. Customers who consented are told by SMS or email. Offers cannot be taken back.
                  </AlertDialogDescription>
                </AlertDialogHeader>
                <AlertDialogFooter>
                  <AlertDialogCancel disabled={send.isPending}>Cancel</AlertDialogCancel>
                  <AlertDialogAction
                    disabled={send.isPending}
                    onClick={(event) => {
                      event.preventDefault();
                      void confirmSend();
                    }}
                  >
                    {send.isPending ? "Sending…" : `Send ${plural(ready.preview.WouldOffer, "offer", "offers")}`}
                  </AlertDialogAction>
                </AlertDialogFooter>
              </AlertDialogContent>
            </AlertDialog>
          )}
        </section>
      ) : null}
    </div>
  );
}
