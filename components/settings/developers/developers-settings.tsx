// Settings → Developers: a POS developer's quick start. The group's and locations' keys
// (masked; create, roll, revoke; a new key shown once with a copy button), the guide's three
// calls as copy-ready curl commands for this server, and a test receipt with its exact request
// and response.
"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { BookOpen, Check, Copy, FileJson, KeyRound, Plus, RefreshCw, Send, Trash2 } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { EmptyState, ErrorState, FormError, LoadingState, errorMessage } from "@/components/states/states";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { LocalTime, useHydrated } from "@/components/ui/local-time";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { toast } from "@/components/ui/toaster";
import {
  useCreateKey,
  useDeveloperSettings,
  useRevokeKey,
  useRollKey,
  useSendTestReceipt,
  type DeveloperKey,
  type DeveloperSettings,
  type Exchange,
  type NewKey,
} from "@/lib/console/client/developers";
import { applyServerErrors, fieldsNamed } from "@/lib/console/client/form-errors";

function CopyButton({ text, label, className }: { text: string; label: string; className?: string }) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 2000);
    return () => clearTimeout(timer);
  }, [copied]);
  return (
    <Button
      type="button"
      variant="outline"
      size="sm"
      className={className}
      aria-label={label}
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(text);
          setCopied(true);
          toast.success("Copied to the clipboard.");
        } catch {
          toast.error("The browser did not allow copying: select the text and copy it yourself.");
        }
      }}
    >
      {copied ? <Check aria-hidden /> : <Copy aria-hidden />} {copied ? "Copied" : "Copy"}
    </Button>
  );
}

const scopeName = (key: Pick<DeveloperKey, "LocationID" | "LocationName">) =>
  key.LocationID === null ? "Group key" : `${key.LocationName ?? `Location ${key.LocationID}`} (location key)`;

function NewKeyNotice({ created, onDone }: { created: NewKey; onDone: () => void }) {
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, [created.Key]);
  return (
    <section aria-labelledby="new-key-title" className="grid gap-3 rounded-xl border-2 border-primary bg-card p-4 sm:p-5">
      <h3 id="new-key-title" className="flex items-center gap-2 font-semibold">
        <KeyRound aria-hidden className="size-4 text-primary" /> Your new key: {scopeName(created)}
      </h3>
      <p id="new-key-hint" className="text-sm text-muted-foreground">
        Copy it now and store it in your POS&apos;s settings: it is shown only this once. Afterwards the list shows only its last 4 characters.
        {created.ReplacedKeyID ? " The key it replaces has stopped working." : ""}
      </p>
      <div className="flex flex-col gap-2 sm:flex-row">
        <Input ref={input} readOnly value={created.Key} aria-label="New key" aria-describedby="new-key-hint" className="font-mono" onFocus={(e) => e.target.select()} />
        <CopyButton text={created.Key} label="Copy new key" />
      </div>
      <div>
        <Button type="button" variant="secondary" onClick={onDone}>
          Done: I have stored the key
        </Button>
      </div>
    </section>
  );
}

const createSchema = z.object({
  Scope: z.string(),
  Label: z.string().trim().max(100, "Must be at most 100 characters"),
});
type CreateValues = z.infer<typeof createSchema>;

function CreateKeyForm({ settings, onCreated }: { settings: DeveloperSettings; onCreated: (key: NewKey) => void }) {
  const form = useForm<CreateValues>({ resolver: zodResolver(createSchema), defaultValues: { Scope: "group", Label: "" } });
  const create = useCreateKey();
  const { errors, isSubmitting } = form.formState;

  async function onSubmit(values: CreateValues) {
    try {
      const key = await create.mutateAsync({
        LocationID: values.Scope === "group" ? null : Number(values.Scope),
        Label: values.Label || undefined,
      });
      form.reset({ Scope: values.Scope, Label: "" });
      onCreated(key);
    } catch (error) {
      applyServerErrors(error, form.setError, (key) => (key === "LocationID" ? "Scope" : fieldsNamed<CreateValues>("Label")(key)));
    }
  }

  return (
    <form noValidate onSubmit={form.handleSubmit(onSubmit)} className="grid gap-3 rounded-xl border bg-card p-4 sm:p-5" aria-labelledby="create-key-title">
      <h3 id="create-key-title" className="font-semibold">
        Create a key
      </h3>
      <FormError message={errors.root?.serverError?.message} />
      <div className="grid gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-start">
        <SelectField label="Key for" error={errors.Scope?.message} description="A location key acts as that store; the group key for the whole group." {...form.register("Scope")}>
          <option value="group">The whole group (group key)</option>
          {settings.Locations.map((l) => (
            <option key={l.LocationID} value={String(l.LocationID)}>
              {l.Name}
            </option>
          ))}
        </SelectField>
        <TextField label="Label (optional)" placeholder="Front counter POS" error={errors.Label?.message} {...form.register("Label")} />
        <Button type="submit" className="sm:mt-6" disabled={isSubmitting}>
          <Plus aria-hidden /> {isSubmitting ? "Creating…" : "Create key"}
        </Button>
      </div>
    </form>
  );
}

function RollKeyDialog({ apiKey, onRolled }: { apiKey: DeveloperKey; onRolled: (key: NewKey) => void }) {
  const [open, setOpen] = useState(false);
  const roll = useRollKey(apiKey.KeyID, {
    onSuccess: (key) => {
      setOpen(false);
      toast.success(`${apiKey.Masked} was replaced by ${key.Masked}.`);
      onRolled(key);
    },
    onError: (error) => toast.error(error.message),
  });
  return (
    <AlertDialog open={open} onOpenChange={(next) => !roll.isPending && setOpen(next)}>
      <AlertDialogTrigger asChild>
        <Button variant="outline" size="sm" aria-label={`Roll ${apiKey.Masked}`}>
          <RefreshCw aria-hidden /> Roll
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Roll this key?</AlertDialogTitle>
          <AlertDialogDescription>
            A new key replaces {apiKey.Masked} ({scopeName(apiKey)}), and {apiKey.Masked} stops working at once: every POS that uses it gets 401 until it
            has the new key. To switch without downtime, create a second key, move your POS to it, then revoke this one.
          </AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel disabled={roll.isPending}>Keep the key</AlertDialogCancel>
          <AlertDialogAction
            disabled={roll.isPending}
            onClick={(event) => {
              event.preventDefault();
              roll.mutate();
            }}
          >
            {roll.isPending ? "Rolling…" : "Roll key"}
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}

function RevokeKeyDialog({ apiKey }: { apiKey: DeveloperKey }) {
  const [open, setOpen] = useState(false);
  const revoke = useRevokeKey(apiKey.KeyID, {
    onSuccess: () => {
      setOpen(false);
      toast.success(`${apiKey.Masked} was revoked: requests with it now get 401.`);
      document.getElementById("keys-title")?.focus();
    },
    onError: (error) => toast.error(error.message),
  });
  return (
    <AlertDialog open={open} onOpenChange={(next) => !revoke.isPending && setOpen(next)}>
      <AlertDialogTrigger asChild>
        <Button variant="outline" size="sm" aria-label={`Revoke ${apiKey.Masked}`}>
          <Trash2 aria-hidden /> Revoke
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Revoke this key?</AlertDialogTitle>
          <AlertDialogDescription>
            {apiKey.Masked} ({scopeName(apiKey)}{apiKey.Label ? `, “${apiKey.Label}”` : ""}) stops working at once: every request with it gets 401. It
            cannot be undone.
          </AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel disabled={revoke.isPending}>Keep the key</AlertDialogCancel>
          <AlertDialogAction
            variant="destructive"
            disabled={revoke.isPending}
            onClick={(event) => {
              event.preventDefault();
              revoke.mutate();
            }}
          >
            {revoke.isPending ? "Revoking…" : "Revoke key"}
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}

function KeysSection({ settings, onNewKey }: { settings: DeveloperSettings; onNewKey: (key: NewKey) => void }) {
  return (
    <div className="grid gap-3">
      <CreateKeyForm settings={settings} onCreated={onNewKey} />
      {settings.Keys.length === 0 ? (
        <EmptyState title="No keys yet">Create a key above for your POS.</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-xl border bg-card">
          <Table label="Live keys">
            <TableHeader>
              <TableRow>
                <TableHead>For</TableHead>
                <TableHead>Key</TableHead>
                <TableHead>Label</TableHead>
                <TableHead>Created</TableHead>
                <TableHead>
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {settings.Keys.map((key) => (
                <TableRow key={key.KeyID}>
                  <TableCell>{scopeName(key)}</TableCell>
                  <TableCell className="font-mono">{key.Masked}</TableCell>
                  <TableCell>
                    {key.UsedByConsole ? <Badge variant="secondary">Used by the console</Badge> : (key.Label ?? <span className="text-muted-foreground">None</span>)}
                  </TableCell>
                  <TableCell>
                    <LocalTime value={key.CreatedAt} withTime />
                  </TableCell>
                  <TableCell>
                    {key.UsedByConsole ? (
                      <span className="text-sm text-muted-foreground">Managed by the console</span>
                    ) : (
                      <div className="flex justify-end gap-2">
                        <RollKeyDialog apiKey={key} onRolled={onNewKey} />
                        <RevokeKeyDialog apiKey={key} />
                      </div>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </div>
  );
}

const GUIDE_CUSTOMER = {
  CustomerID: 123,
  ExternalID: "GGBilbo",
  Phone: "5551231234",
  Email: "bbaggens@fictionalEmail.com",
  FirstName: "Bob",
  LastName: "Baggens",
  Address: "123 Fake Street",
  City: "Durango",
  State: "CO",
  Zipcode: "81303",
  Birthday: "2017-04-20",
  AcceptsSMS: true,
  AcceptsEmail: true,
};
const GUIDE_RECEIPT = {
  CustomerID: 123,
  Skus: [{ SKU: "SOCKS", Description: "AWESOME 80s Socks!", Amount: 10.5, Quantity: 2 }],
  Discounts: [],
  SubTotal: 21.0,
  Taxes: 1.58,
  Total: 22.58,
};
const GUIDE_CAMPAIGN = { AmountOff: 10.05, MinimumPurchase: 0.5, DaysTillExpiration: 31 };

/** A curl command; the body in single quotes, so the shell passes it as is. */
function curl(method: string, url: string, body?: unknown): string {
  const lines = [`curl -X ${method} '${url}'`, `  -H "Authorization: $ENGAGE_KEY"`];
  if (body !== undefined) lines.push(`  -H "Content-Type: application/json"`, `  -d '${JSON.stringify(body, null, 2)}'`);
  return lines.join(" \\\n");
}

function CodeBlock({ id, title, code, copyLabel }: { id: string; title: string; code: string; copyLabel: string }) {
  return (
    <figure className="grid gap-2" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`} className="flex items-center justify-between gap-2 text-sm font-medium">
        {title}
        <CopyButton text={code} label={copyLabel} />
      </figcaption>
      <pre tabIndex={0} className="overflow-x-auto rounded-lg border bg-muted p-3 font-mono text-xs leading-relaxed outline-none focus-visible:ring-2 focus-visible:ring-ring">
        {code}
      </pre>
    </figure>
  );
}

function QuickStart({ base, apiKey }: { base: string; apiKey: string | null }) {
  const v1 = `${base}/v1`;
  const steps = [
    { id: "step-key", title: "Your key, for the commands below", code: `export ENGAGE_KEY='${apiKey ?? "paste-your-location-key-here"}'`, copy: "Copy the key step" },
    { id: "step-1", title: "1. Register a customer", code: curl("POST", `${v1}/Customers`, GUIDE_CUSTOMER), copy: "Copy step 1" },
    { id: "step-2", title: "2. Submit the customer's receipt", code: curl("POST", `${v1}/Receipts`, GUIDE_RECEIPT), copy: "Copy step 2" },
    { id: "step-3a", title: "3a. Create a location campaign (its CampaignID is in the answer)", code: curl("POST", `${v1}/Campaigns/Location`, GUIDE_CAMPAIGN), copy: "Copy step 3a" },
    { id: "step-3b", title: "3b. Send its offer to customers", code: curl("POST", `${v1}/Campaigns/1/Offers`, [123]), copy: "Copy step 3b" },
  ];
  return (
    <div className="grid gap-4">
      <p className="text-sm text-muted-foreground">
        The guide&apos;s three calls against this server ({v1}).{" "}
        {apiKey ? "Your new key is filled in." : "Put a location key in the first command (create one above); the others use it."} In step 3b, use the CampaignID that step 3a
        answered.
      </p>
      {steps.map((s) => (
        <CodeBlock key={s.id} id={s.id} title={s.title} code={s.code} copyLabel={s.copy} />
      ))}
    </div>
  );
}

function ExchangeView({ exchange, index }: { exchange: Exchange; index: number }) {
  const request = [
    `${exchange.Request.Method} ${exchange.Request.URL}`,
    ...Object.entries(exchange.Request.Headers).map(([k, v]) => `${k}: ${v}`),
    ...(exchange.Request.Body !== null ? ["", JSON.stringify(exchange.Request.Body, null, 2)] : []),
  ].join("\n");
  const response = [
    `HTTP ${exchange.Response.Status}`,
    ...Object.entries(exchange.Response.Headers).map(([k, v]) => `${k}: ${v}`),
    ...(exchange.Response.Body !== null ? ["", JSON.stringify(exchange.Response.Body, null, 2)] : []),
  ].join("\n");
  const ok = exchange.Response.Status < 400;
  return (
    <article aria-labelledby={`exchange-${index}-title`} className="grid gap-2 rounded-xl border bg-card p-4">
      <h4 id={`exchange-${index}-title`} className="flex items-center gap-2 font-medium">
        {exchange.Title}
        <Badge variant={ok ? "secondary" : "destructive"}>{exchange.Response.Status}</Badge>
      </h4>
      <div className="grid gap-3 lg:grid-cols-2">
        <CodeBlock id={`exchange-${index}-request`} title="Request" code={request} copyLabel={`Copy the request: ${exchange.Title}`} />
        <CodeBlock id={`exchange-${index}-response`} title="Response" code={response} copyLabel={`Copy the response: ${exchange.Title}`} />
      </div>
    </article>
  );
}

function TestReceipt({ settings }: { settings: DeveloperSettings }) {
  const [locationId, setLocationId] = useState<string>(settings.Locations[0] ? String(settings.Locations[0].LocationID) : "");
  const send = useSendTestReceipt({
    onSuccess: (result) => {
      const last = result.Exchanges.at(-1);
      if (last && last.Response.Status === 201) toast.success("The test receipt was stored (201).");
      else toast.error(`Engage answered ${last?.Response.Status ?? "nothing"}: see the response below.`);
    },
  });
  if (settings.Locations.length === 0) return <EmptyState title="No locations yet">Add a location in Settings → Locations first.</EmptyState>;
  return (
    <div className="grid gap-4">
      <form
        className="grid gap-3 rounded-xl border bg-card p-4 sm:grid-cols-[1fr_auto] sm:items-start sm:p-5"
        onSubmit={(event) => {
          event.preventDefault();
          send.mutate({ LocationID: Number(locationId) });
        }}
        aria-labelledby="test-receipt-title"
      >
        <SelectField
          label="Send as location"
          value={locationId}
          onChange={(e) => setLocationId(e.target.value)}
          description="With that location's key, for a test customer (ExternalID engage-test-receipts), registered on the first test. The receipt is real: void it in Receipts if you like."
        >
          {settings.Locations.map((l) => (
            <option key={l.LocationID} value={String(l.LocationID)}>
              {l.Name}
            </option>
          ))}
        </SelectField>
        <Button type="submit" className="sm:mt-6" disabled={send.isPending}>
          <Send aria-hidden /> {send.isPending ? "Sending…" : "Send a test receipt"}
        </Button>
      </form>
      {send.error ? (
        <Alert variant="destructive" role="alert">
          <AlertTitle>The test receipt was not sent</AlertTitle>
          <AlertDescription>{errorMessage(send.error)}</AlertDescription>
        </Alert>
      ) : null}
      {send.data ? (
        <section aria-label="The test's requests and responses" aria-live="polite" className="grid gap-3">
          {send.data.Exchanges.map((exchange, i) => (
            <ExchangeView key={i} exchange={exchange} index={i} />
          ))}
        </section>
      ) : null}
    </div>
  );
}

/** The address this page was opened at (what a POS on the same network calls); "" before hydration. */
function useOrigin(): string {
  return useHydrated() ? window.location.origin : "";
}

export function DevelopersSettings() {
  const settings = useDeveloperSettings();
  const [newKey, setNewKey] = useState<NewKey | null>(null);
  const origin = useOrigin();
  const data = settings.data;

  return (
    <div className="grid gap-8">
      <section aria-labelledby="reference-title" className="grid gap-3">
        <h2 id="reference-title" className="text-lg font-semibold">
          API reference
        </h2>
        <p className="text-sm text-muted-foreground">
          Every endpoint with its parameters, bodies, responses and the guide&apos;s examples; try requests from the browser with a key from below.
        </p>
        <div className="flex flex-wrap gap-2">
          <Button asChild variant="outline">
            <a href="/docs" target="_blank" rel="noopener">
              <BookOpen aria-hidden /> Open the API reference (/docs)
            </a>
          </Button>
          <Button asChild variant="outline">
            <a href="/v1/openapi.json" target="_blank" rel="noopener">
              <FileJson aria-hidden /> OpenAPI document (/v1/openapi.json)
            </a>
          </Button>
        </div>
      </section>

      <section aria-labelledby="keys-title" className="grid gap-3">
        <h2 id="keys-title" tabIndex={-1} className="text-lg font-semibold outline-none">
          Keys
        </h2>
        {settings.error ? (
          <ErrorState error={settings.error} retrying={settings.isFetching} onRetry={() => void settings.refetch()} />
        ) : !data ? (
          <LoadingState label="Loading keys…" />
        ) : data.Mode === "remote" ? (
          <Alert>
            <AlertTitle>Keys are managed on the remote Engage server</AlertTitle>
            <AlertDescription>
              This console uses the Engage server at {data.RemoteURL}. Create, roll and revoke its keys there; the console&apos;s own keys for it are in Settings → Engage
              connection.
            </AlertDescription>
          </Alert>
        ) : (
          <>
            {newKey ? <NewKeyNotice created={newKey} onDone={() => setNewKey(null)} /> : null}
            <KeysSection settings={data} onNewKey={setNewKey} />
          </>
        )}
      </section>

      <section aria-labelledby="quick-start-title" className="grid gap-3">
        <h2 id="quick-start-title" className="text-lg font-semibold">
          Quick start: the guide&apos;s three calls
        </h2>
        {data && origin ? <QuickStart base={data.Mode === "remote" ? data.RemoteURL! : origin} apiKey={newKey?.Key ?? null} /> : <LoadingState label="Loading the examples…" />}
      </section>

      <section aria-labelledby="test-receipt-title" className="grid gap-3">
        <h2 id="test-receipt-title" className="text-lg font-semibold">
          Send a test receipt
        </h2>
        {data ? <TestReceipt settings={data} /> : <LoadingState label="Loading locations…" />}
      </section>
    </div>
  );
}
