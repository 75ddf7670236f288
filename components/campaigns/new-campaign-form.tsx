// A new campaign: where its offer is good (an Owner: the group or any location; a Manager: one of
// theirs), the offer's terms and message — validated by Engage's own campaign schema, with a live
// preview of the SMS and email — then its audience, a preview of who gets an offer and what it
// could cost, and the send. The campaign is created at the first preview; from then its terms
// are fixed (Engage has no draft to edit) while the audience may still change.
"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { z } from "zod";
import { useLeaveGuard } from "@/components/forms/use-leave-guard";
import { FormError } from "@/components/states/states";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FieldError, FieldHint, SelectField, TextField } from "@/components/ui/field";
import { Label } from "@/components/ui/label";
import { toast } from "@/components/ui/toaster";
import { campaignActAt, useCreateCampaign, type ActAt, type Campaign } from "@/lib/console/client/campaigns";
import { applyServerErrors, fieldsNamed } from "@/lib/console/client/form-errors";
import { campaignCreateSchema } from "@/lib/engage/schemas/campaign";
import { AudienceFields, useAudienceForm } from "./audience-builder";
import { campaignTitle, locationName, type NamedLocation } from "./campaign-format";
import { CampaignSender } from "./campaign-sender";
import { MessagePreview } from "./message-preview";

const campaignFormSchema = campaignCreateSchema.extend({
  Scope: z.string().min(1, "choose where the offer is good"),
});
type CampaignFormValues = z.input<typeof campaignFormSchema>;
const FIELDS = ["Scope", "Name", "AmountOff", "MinimumPurchase", "DaysTillExpiration", "Message"] as const;
const MESSAGE_MAX = 480;

/** The schema's messages are lower-case phrases; a field shows a sentence. */
function sentence(message: string | undefined): string | undefined {
  return message ? message.charAt(0).toUpperCase() + message.slice(1) : undefined;
}

const toNumber = (value: unknown) => (value === "" || value === null || value === undefined ? undefined : Number(value));

export function NewCampaignForm({
  groupName,
  groupLocations,
  workLocations,
  mayActForGroup,
  defaultScope,
}: {
  groupName: string;
  groupLocations: NamedLocation[];
  /** Where the user may create location campaigns. */
  workLocations: NamedLocation[];
  /** An Owner: may create group campaigns and search every location's customers. */
  mayActForGroup: boolean;
  defaultScope: ActAt;
}) {
  const router = useRouter();
  const id = useId();
  const form = useForm<CampaignFormValues>({
    resolver: zodResolver(campaignFormSchema),
    defaultValues: { Scope: String(defaultScope), Name: "", AmountOff: undefined, MinimumPurchase: undefined, DaysTillExpiration: 30, Message: "" },
  });
  const audienceForm = useAudienceForm();
  const create = useCreateCampaign();
  const [created, setCreated] = useState<Campaign | null>(null);
  const [sent, setSent] = useState(false);
  const { errors } = form.formState;
  useLeaveGuard((form.formState.isDirty || audienceForm.formState.isDirty) && !sent);

  const watched = useWatch({ control: form.control });
  const scope = watched.Scope ?? "";
  const scopeLocation = scope === "group" || scope === "" ? null : Number(scope);
  const message = watched.Message ?? "";

  async function getCampaign(): Promise<Campaign | null> {
    if (created) return created;
    if (!(await form.trigger())) {
      const first = FIELDS.find((f) => form.formState.errors[f]);
      if (first) form.setFocus(first);
      return null;
    }
    const parsed = campaignFormSchema.safeParse(form.getValues());
    if (!parsed.success) return null;
    const { Scope, ...input } = parsed.data;
    try {
      const campaign = await create.mutateAsync({ scope: Scope === "group" ? "group" : Number(Scope), input });
      setCreated(campaign);
      toast.success(`Campaign “${campaignTitle(campaign)}” created. Now preview who gets its offer.`);
      return campaign;
    } catch (error) {
      applyServerErrors(error, form.setError, fieldsNamed<CampaignFormValues>(...FIELDS));
      toast.error("The campaign was not created.");
      return null;
    }
  }

  const error = (field: (typeof FIELDS)[number]) => sentence(errors[field]?.message);

  return (
    <form noValidate onSubmit={(event) => event.preventDefault()} className="grid max-w-4xl gap-10">
      <section aria-labelledby={`${id}-offer`} className="grid gap-5">
        <h2 id={`${id}-offer`} className="text-xl font-semibold">
          1. The offer
        </h2>
        <FormError message={errors.root?.serverError?.message} />
        {created ? (
          <Alert>
            <AlertTitle>Campaign #{created.CampaignID} is created</AlertTitle>
            <AlertDescription>
              <p>
                Its terms are fixed now; the audience can still change. It is on the{" "}
                <Link className="font-medium underline underline-offset-4" href={`/campaigns/${created.CampaignID}`}>
                  campaign&apos;s page
                </Link>{" "}
                too, to send later.
              </p>
              <Button
                type="button"
                variant="outline"
                size="sm"
                className="mt-3"
                onClick={() => {
                  setCreated(null);
                  form.reset();
                }}
              >
                Other terms: start a new campaign
              </Button>
            </AlertDescription>
          </Alert>
        ) : null}
        <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,22rem)]">
          <fieldset disabled={created !== null || create.isPending} className="grid content-start gap-4 sm:grid-cols-2">
            <legend className="sr-only">Terms</legend>
            <SelectField
              label="Good at"
              className="sm:col-span-2"
              error={error("Scope")}
              description={
                scopeLocation === null
                  ? "A group campaign: redeemable at every location, for any registered customer."
                  : `A location campaign: redeemable only at ${locationName(groupLocations, scopeLocation)}, and only for customers who have bought there.`
              }
              {...form.register("Scope")}
            >
              {mayActForGroup ? <option value="group">All locations (group campaign)</option> : null}
              {workLocations.map((l) => (
                <option key={l.LocationID} value={l.LocationID}>
                  {l.Name}
                </option>
              ))}
            </SelectField>
            <TextField label="Name" className="sm:col-span-2" autoComplete="off" description="For you: customers do not see it." error={error("Name")} {...form.register("Name")} />
            <TextField
              label="Amount off ($)"
              inputMode="decimal"
              autoComplete="off"
              error={error("AmountOff")}
              {...form.register("AmountOff", { setValueAs: toNumber })}
            />
            <TextField
              label="Minimum purchase ($)"
              inputMode="decimal"
              autoComplete="off"
              description="Leave empty for none."
              error={error("MinimumPurchase")}
              {...form.register("MinimumPurchase", { setValueAs: (v) => toNumber(v) ?? null })}
            />
            <TextField
              label="Days till expiration"
              inputMode="numeric"
              autoComplete="off"
              description="From 1 to 365 days after the offer is issued."
              error={error("DaysTillExpiration")}
              {...form.register("DaysTillExpiration", { setValueAs: toNumber })}
            />
            <div className="grid gap-2 sm:col-span-2">
              <Label htmlFor={`${id}-message`}>Message</Label>
              <textarea
                id={`${id}-message`}
                rows={4}
                maxLength={MESSAGE_MAX}
                aria-invalid={errors.Message ? true : undefined}
                aria-describedby={`${id}-message-hint${errors.Message ? ` ${id}-message-error` : ""}`}
                className="w-full rounded-md border border-input bg-background px-3 py-2 text-base outline-none focus-visible:ring-2 focus-visible:ring-ring aria-invalid:border-destructive disabled:opacity-60 sm:text-sm"
                {...form.register("Message")}
              />
              <FieldHint id={`${id}-message-hint`}>
                The SMS and email text; leave empty for the standard one. {message.length} of {MESSAGE_MAX} characters.
              </FieldHint>
              <FieldError id={`${id}-message-error`}>{error("Message")}</FieldError>
            </div>
          </fieldset>
          <MessagePreview
            groupName={groupName}
            terms={{
              AmountOff: typeof watched.AmountOff === "number" ? watched.AmountOff : 0,
              MinimumPurchase: typeof watched.MinimumPurchase === "number" ? watched.MinimumPurchase : 0,
              DaysTillExpiration: typeof watched.DaysTillExpiration === "number" ? watched.DaysTillExpiration : 30,
              Message: message,
              locationName: scopeLocation === null ? groupName : locationName(groupLocations, scopeLocation),
            }}
          />
        </div>
      </section>

      <section aria-labelledby={`${id}-audience`} className="grid gap-4">
        <h2 id={`${id}-audience`} className="text-xl font-semibold">
          2. Who gets it
        </h2>
        <AudienceFields
          form={audienceForm}
          purchaseLocations={mayActForGroup ? groupLocations : workLocations}
          purchaseHint={scopeLocation === null ? undefined : `Customers who never bought at ${locationName(groupLocations, scopeLocation)} are skipped anyway.`}
        />
      </section>

      <section aria-labelledby={`${id}-send`} className="grid gap-4">
        <h2 id={`${id}-send`} className="text-xl font-semibold">
          3. Preview and send
        </h2>
        <p className="max-w-prose text-sm text-muted-foreground">
          The preview creates the campaign, finds the audience and asks Engage who would get an offer. Nothing is sent until you confirm.
        </p>
        <CampaignSender
          audienceForm={audienceForm}
          getCampaign={getCampaign}
          audienceActAt={(campaign, purchasedAt) => (mayActForGroup ? "group" : (purchasedAt ?? campaignActAt(campaign)))}
          onSent={(campaign, offers) => {
            setSent(true);
            toast.success(`Sending ${offers.toLocaleString("en-US")} ${offers === 1 ? "offer" : "offers"}. Follow each customer's outcome here.`);
            router.push(`/campaigns/${campaign.CampaignID}`);
          }}
        />
      </section>
    </form>
  );
}
