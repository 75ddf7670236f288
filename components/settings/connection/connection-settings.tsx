// Settings → Engage connection: the embedded Engage in this server, or a remote Engage server
// with the group's key and each location's key. Stored keys are never shown back, only their
// last four characters; an empty key field keeps the stored key.
"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useEffect } from "react";
import { useFieldArray, useForm, useWatch, type Path } from "react-hook-form";
import { ErrorState, FormError, LoadingState } from "@/components/states/states";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { TextField } from "@/components/ui/field";
import { toast } from "@/components/ui/toaster";
import { useConnection, useUpdateConnection } from "@/lib/console/client/connection";
import { applyServerErrors } from "@/lib/console/client/form-errors";
import { useLocations } from "@/lib/console/client/locations";
import { connectionSchema, type Connection, type ConnectionValues, type Location } from "@/lib/console/client/schemas";
import { useWarnOnLeave } from "../use-unsaved-changes";

function storedKeyHint(connection: Connection, locationId: number | null): string {
  const key = connection.Mode === "remote" ? connection.Keys.find((k) => k.LocationID === locationId) : undefined;
  return key ? `A key ending in ${key.Last4} is stored (•••• ${key.Last4}). Leave empty to keep it.` : "No key stored yet.";
}

function valuesFrom(connection: Connection, locations: Location[]): ConnectionValues {
  return {
    Mode: connection.Mode,
    RemoteURL: connection.RemoteURL ?? "",
    GroupKey: "",
    LocationKeys: locations.map((l) => ({ LocationID: l.LocationID, Key: "" })),
  };
}

function fieldFor(key: string): Path<ConnectionValues> | undefined {
  if (key === "Mode" || key === "RemoteURL" || key === "GroupKey") return key;
  const row = /^LocationKeys\.(\d+)\.(Key|LocationID)$/.exec(key);
  return row ? `LocationKeys.${Number(row[1])}.Key` : undefined;
}

function ConnectionForm({ connection, locations }: { connection: Connection; locations: Location[] }) {
  const form = useForm<ConnectionValues>({ resolver: zodResolver(connectionSchema), defaultValues: valuesFrom(connection, locations) });
  const locationKeys = useFieldArray({ control: form.control, name: "LocationKeys" });
  const update = useUpdateConnection();
  const { errors, isSubmitting, isDirty } = form.formState;
  const mode = useWatch({ control: form.control, name: "Mode" });
  useWarnOnLeave(isDirty);

  // A location added elsewhere gets its key field without losing what was typed here.
  useEffect(() => {
    const known = new Set(form.getValues("LocationKeys").map((k) => k.LocationID));
    for (const l of locations) if (!known.has(l.LocationID)) locationKeys.append({ LocationID: l.LocationID, Key: "" }, { shouldFocus: false });
  }, [locations, form, locationKeys]);

  async function onSubmit(values: ConnectionValues) {
    try {
      const saved = await update.mutateAsync(
        values.Mode === "remote"
          ? { Mode: "remote", RemoteURL: values.RemoteURL, GroupKey: values.GroupKey || null, LocationKeys: values.LocationKeys }
          : { Mode: "embedded" },
      );
      form.reset(valuesFrom(saved, locations));
      toast.success(saved.Mode === "remote" ? `Saved: the console now uses the Engage server at ${saved.RemoteURL}.` : "Saved: the console now uses the Engage built into this server.");
    } catch (error) {
      applyServerErrors(error, form.setError, fieldFor);
    }
  }

  const nameOf = (locationId: number) => locations.find((l) => l.LocationID === locationId)?.Name ?? `Location ${locationId}`;

  return (
    <form noValidate onSubmit={form.handleSubmit(onSubmit)} className="grid gap-6">
      <FormError message={errors.root?.serverError?.message} />
      <fieldset className="grid gap-3">
        <legend className="mb-3 font-semibold">Where Engage runs</legend>
        <label className="flex cursor-pointer items-start gap-3 rounded-lg border p-4 has-checked:border-primary has-checked:bg-accent">
          <input type="radio" value="embedded" className="mt-1 size-4 accent-primary" {...form.register("Mode")} />
          <span className="grid gap-1">
            <span className="font-medium">Embedded</span>
            <span className="text-sm text-muted-foreground">The Engage API built into this server, on its own database. Nothing to configure.</span>
          </span>
        </label>
        <label className="flex cursor-pointer items-start gap-3 rounded-lg border p-4 has-checked:border-primary has-checked:bg-accent">
          <input type="radio" value="remote" className="mt-1 size-4 accent-primary" {...form.register("Mode")} />
          <span className="grid gap-1">
            <span className="font-medium">Remote server</span>
            <span className="text-sm text-muted-foreground">Another Engage server, reached over HTTPS with your group&apos;s and locations&apos; secret keys.</span>
          </span>
        </label>
      </fieldset>

      {mode === "remote" ? (
        <div className="grid gap-6">
          <TextField
            label="Remote server URL"
            type="url"
            inputMode="url"
            placeholder="https://engage.example.com"
            autoComplete="off"
            error={errors.RemoteURL?.message}
            {...form.register("RemoteURL")}
          />
          <fieldset className="grid gap-4">
            <legend className="mb-1 font-semibold">Keys</legend>
            <p className="text-sm text-muted-foreground">
              Secret keys from the remote server: the group key (eng_grp_…) for group-wide work, and a location key (eng_loc_…) for each store.
              They are stored encrypted and never shown again.
            </p>
            <TextField
              label="Group key"
              type="password"
              autoComplete="off"
              spellCheck={false}
              placeholder={connection.Mode === "remote" && connection.Keys.some((k) => k.LocationID === null) ? `•••• ${connection.Keys.find((k) => k.LocationID === null)?.Last4}` : undefined}
              description={storedKeyHint(connection, null)}
              error={errors.GroupKey?.message}
              {...form.register("GroupKey")}
            />
            {locationKeys.fields.map((field, index) => {
              const stored = connection.Mode === "remote" ? connection.Keys.find((k) => k.LocationID === field.LocationID) : undefined;
              return (
                <TextField
                  key={field.id}
                  label={`Key for ${nameOf(field.LocationID)}`}
                  type="password"
                  autoComplete="off"
                  spellCheck={false}
                  placeholder={stored ? `•••• ${stored.Last4}` : undefined}
                  description={storedKeyHint(connection, field.LocationID)}
                  error={errors.LocationKeys?.[index]?.Key?.message}
                  {...form.register(`LocationKeys.${index}.Key`)}
                />
              );
            })}
          </fieldset>
        </div>
      ) : null}

      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={isSubmitting}>
          {isSubmitting ? "Saving…" : "Save connection"}
        </Button>
        {isDirty ? (
          <Button variant="ghost" onClick={() => form.reset(valuesFrom(connection, locations))}>
            Discard changes
          </Button>
        ) : null}
      </div>
    </form>
  );
}

export function ConnectionSettings() {
  const connection = useConnection();
  const locations = useLocations();
  const failed = connection.error ?? locations.error;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Connection</CardTitle>
        <CardDescription>
          {connection.data
            ? connection.data.Mode === "remote"
              ? `In use now: the remote Engage server at ${connection.data.RemoteURL}.`
              : "In use now: the Engage built into this server."
            : "How the console reaches the Engage API."}
        </CardDescription>
      </CardHeader>
      <CardContent>
        {failed ? (
          <ErrorState
            error={failed}
            retrying={connection.isFetching || locations.isFetching}
            onRetry={() => {
              void connection.refetch();
              void locations.refetch();
            }}
          />
        ) : !connection.data || !locations.data ? (
          <LoadingState label="Loading the connection…" rows={2} />
        ) : (
          <ConnectionForm connection={connection.data} locations={locations.data} />
        )}
      </CardContent>
    </Card>
  );
}
