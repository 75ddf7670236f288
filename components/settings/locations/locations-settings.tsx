// Settings → Locations: the group's stores; add one, rename one. The header's location
// switcher is refreshed after a change.
"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { MapPin, Pencil, Plus } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { EmptyState, ErrorState, FormError, LoadingState } from "@/components/states/states";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { TextField } from "@/components/ui/field";
import { toast } from "@/components/ui/toaster";
import { applyServerErrors, fieldsNamed } from "@/lib/console/client/form-errors";
import { useAddLocation, useLocations, useRenameLocation } from "@/lib/console/client/locations";
import { locationNameSchema, type Location, type LocationNameValues } from "@/lib/console/client/schemas";
import { confirmDiscard } from "../use-unsaved-changes";

function AddLocationForm() {
  const router = useRouter();
  const form = useForm<LocationNameValues>({ resolver: zodResolver(locationNameSchema), defaultValues: { Name: "" } });
  const addLocation = useAddLocation();
  const { errors, isSubmitting } = form.formState;

  async function onSubmit(values: LocationNameValues) {
    try {
      const location = await addLocation.mutateAsync(values);
      toast.success(`${location.Name} was added.`);
      form.reset({ Name: "" });
      router.refresh();
    } catch (error) {
      applyServerErrors(error, form.setError, fieldsNamed<LocationNameValues>("Name"));
    }
  }

  return (
    <form noValidate onSubmit={form.handleSubmit(onSubmit)} className="grid gap-3 rounded-xl border bg-card p-4 sm:p-5" aria-labelledby="add-location-title">
      <h2 id="add-location-title" className="font-semibold">
        Add a location
      </h2>
      <FormError message={errors.root?.serverError?.message} />
      <div className="flex flex-col gap-3 sm:flex-row sm:items-start">
        <TextField className="flex-1" label="Location name" error={errors.Name?.message} {...form.register("Name")} />
        <Button type="submit" className="sm:mt-6" disabled={isSubmitting}>
          <Plus aria-hidden /> {isSubmitting ? "Adding…" : "Add location"}
        </Button>
      </div>
    </form>
  );
}

function RenameLocationDialog({ location, onClose }: { location: Location; onClose: () => void }) {
  const router = useRouter();
  const form = useForm<LocationNameValues>({ resolver: zodResolver(locationNameSchema), defaultValues: { Name: location.Name } });
  const rename = useRenameLocation(location.LocationID);
  const { errors, isSubmitting, isDirty } = form.formState;

  async function onSubmit(values: LocationNameValues) {
    try {
      const renamed = await rename.mutateAsync(values);
      toast.success(`${location.Name} is now called ${renamed.Name}.`);
      router.refresh();
      onClose();
    } catch (error) {
      applyServerErrors(error, form.setError, fieldsNamed<LocationNameValues>("Name"));
    }
  }

  return (
    <Dialog open onOpenChange={(open) => !open && confirmDiscard(isDirty) && onClose()}>
      <DialogContent
        onCloseAutoFocus={(event) => {
          event.preventDefault();
          document.getElementById(`rename-location-${location.LocationID}`)?.focus();
        }}
      >
        <DialogHeader>
          <DialogTitle>Rename location</DialogTitle>
          <DialogDescription>The new name shows everywhere in the console at once.</DialogDescription>
        </DialogHeader>
        <form noValidate onSubmit={form.handleSubmit(onSubmit)} className="grid gap-4">
          <FormError message={errors.root?.serverError?.message} />
          <TextField label="Location name" error={errors.Name?.message} {...form.register("Name")} />
          <DialogFooter>
            <Button variant="outline" onClick={() => confirmDiscard(isDirty) && onClose()}>
              Cancel
            </Button>
            <Button type="submit" disabled={isSubmitting}>
              {isSubmitting ? "Saving…" : "Save name"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

export function LocationsSettings() {
  const locations = useLocations();
  const [renaming, setRenaming] = useState<Location | null>(null);

  return (
    <div className="grid gap-6">
      <AddLocationForm />
      <section aria-labelledby="locations-title" className="grid gap-3">
        <h2 id="locations-title" className="text-lg font-semibold">
          Your locations
        </h2>
        {locations.error ? (
          <ErrorState error={locations.error} retrying={locations.isFetching} onRetry={() => void locations.refetch()} />
        ) : !locations.data ? (
          <LoadingState label="Loading locations…" />
        ) : locations.data.length === 0 ? (
          <EmptyState title="No locations yet">Add your first store above.</EmptyState>
        ) : (
          <ul className="divide-y rounded-xl border bg-card">
            {locations.data.map((location) => (
              <li key={location.LocationID} className="flex items-center gap-3 px-4 py-3">
                <MapPin aria-hidden className="size-4 shrink-0 text-muted-foreground" />
                <span className="min-w-0 flex-1 truncate font-medium">{location.Name}</span>
                <span className="hidden text-sm text-muted-foreground sm:inline">LocationID {location.LocationID}</span>
                <Button
                  id={`rename-location-${location.LocationID}`}
                  variant="ghost"
                  size="sm"
                  aria-label={`Rename ${location.Name}`}
                  onClick={() => setRenaming(location)}
                >
                  <Pencil aria-hidden /> Rename
                </Button>
              </li>
            ))}
          </ul>
        )}
      </section>
      {renaming ? <RenameLocationDialog location={renaming} onClose={() => setRenaming(null)} /> : null}
    </div>
  );
}
