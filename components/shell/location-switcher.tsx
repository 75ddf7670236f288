// Where the user acts: one of their locations, or (an Owner) the whole group. The server keeps
// the choice in a cookie and checks it on every request; the page then reloads its data.
"use client";

import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { toast } from "@/components/ui/toaster";
import { useSwitchLocation } from "@/lib/console/client/session";

const ALL = "all";

export function LocationSwitcher({
  locations,
  currentLocationId,
  allowAll,
}: {
  locations: { LocationID: number; Name: string }[];
  currentLocationId: number | null;
  /** An Owner may act for every location at once. */
  allowAll: boolean;
}) {
  const id = useId();
  const router = useRouter();
  const [refreshing, startTransition] = useTransition();
  const switchLocation = useSwitchLocation();
  const serverValue = currentLocationId === null ? ALL : String(currentLocationId);
  // Show the choice at once; the server's value takes over when the refreshed page arrives.
  const [pending, setPending] = useState<{ from: string; to: string } | null>(null);
  const value = pending && pending.from === serverValue ? pending.to : serverValue;

  function onChange(value: string) {
    setPending({ from: serverValue, to: value });
    const LocationID = value === ALL ? null : Number(value);
    const name = LocationID === null ? "all locations" : (locations.find((l) => l.LocationID === LocationID)?.Name ?? "this location");
    switchLocation.mutate(
      { LocationID },
      {
        onSuccess: () => {
          startTransition(() => router.refresh());
          toast.success(`Now working at ${name}.`);
        },
        onError: (error) => {
          setPending(null);
          toast.error(error.message);
        },
      },
    );
  }

  return (
    <div className="flex items-center gap-2">
      <Label htmlFor={id} className="sr-only lg:not-sr-only">
        Location
      </Label>
      <NativeSelect
        id={id}
        className="w-36 sm:w-48"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        disabled={switchLocation.isPending || refreshing}
        aria-busy={switchLocation.isPending || refreshing}
      >
        {allowAll ? <option value={ALL}>All locations</option> : null}
        {locations.map((location) => (
          <option key={location.LocationID} value={location.LocationID}>
            {location.Name}
          </option>
        ))}
      </NativeSelect>
    </div>
  );
}
