// Role and locations, as the Add person and Change access forms both ask them: Staff pick one
// location, a Manager one or more, an Owner none (they work at every location). Used inside a
// react-hook-form FormProvider whose form has Role and LocationIDs.
"use client";

import { Controller, useFormContext, useWatch } from "react-hook-form";
import { CheckboxGroupField, SelectField } from "@/components/ui/field";
import type { Location, PersonAccessValues, RoleValue } from "@/lib/console/client/schemas";

const ROLE_HINTS: Record<RoleValue, string> = {
  staff: "Finds, registers and edits customers; sees receipts and offers. Works at exactly one location.",
  manager: "Everything Staff do, plus campaigns and automations, at one or more locations.",
  owner: "Every location, plus people, locations, keys and the Engage connection.",
};

export function PersonAccessFields({ locations }: { locations: Location[] }) {
  const { control, register, setValue, getValues, formState } = useFormContext<PersonAccessValues>();
  const role = useWatch({ control, name: "Role" });
  return (
    <>
      <SelectField
        label="Role"
        description={ROLE_HINTS[role]}
        error={formState.errors.Role?.message}
        {...register("Role", {
          onChange: (event: { target: { value: string } }) => {
            // Staff work at one location: keep only the first when switching to Staff.
            if (event.target.value === "staff") setValue("LocationIDs", getValues("LocationIDs").slice(0, 1));
          },
        })}
      >
        <option value="staff">Staff</option>
        <option value="manager">Manager</option>
        <option value="owner">Owner</option>
      </SelectField>
      {role === "owner" ? (
        <p className="text-sm text-muted-foreground">An Owner works at every location of the group.</p>
      ) : (
        <Controller
          control={control}
          name="LocationIDs"
          render={({ field, fieldState }) => (
            <CheckboxGroupField
              legend={role === "staff" ? "Location" : "Locations"}
              single={role === "staff"}
              options={locations.map((l) => ({ value: l.LocationID, label: l.Name }))}
              value={field.value}
              onChange={field.onChange}
              error={fieldState.error?.message}
            />
          )}
        />
      )}
    </>
  );
}
