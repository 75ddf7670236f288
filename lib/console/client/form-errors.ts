// Puts a failed request's errors on a react-hook-form form: each ModelState entry on its
// field, anything else (or an entry no field shows) on root.serverError, so nothing is lost.
import type { FieldValues, Path, UseFormSetError } from "react-hook-form";
import { isApiError } from "./fetch";

/** "Locations[1]" → "Locations.1", "LocationKeys[0].Key" → "LocationKeys.0.Key". */
export function modelStatePath(key: string): string {
  return key.replace(/\[(\d+)\]/g, ".$1");
}

function sentence(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}

export function applyServerErrors<T extends FieldValues>(
  error: unknown,
  setError: UseFormSetError<T>,
  /** The form's field for a ModelState key (already in dot form), or undefined when none shows it. */
  fieldFor: (key: string) => Path<T> | undefined,
): void {
  if (!isApiError(error)) {
    setError("root.serverError", { type: "unknown", message: "Something went wrong. Try again." });
    return;
  }
  const unplaced: string[] = [];
  let placed = 0;
  for (const [key, messages] of Object.entries(error.modelState ?? {})) {
    const field = fieldFor(modelStatePath(key));
    const text = messages.map(sentence).join(" ");
    if (field) {
      setError(field, { type: "server", message: text });
      placed += 1;
    } else {
      unplaced.push(`${key}: ${messages.join(", ")}`);
    }
  }
  if (placed === 0 || unplaced.length > 0) {
    setError("root.serverError", {
      type: String(error.status),
      message: [error.message, ...unplaced].join(" "),
    });
  }
}

/** fieldFor for forms whose fields carry the wire's property names. */
export function fieldsNamed<T extends FieldValues>(...fields: Path<T>[]): (key: string) => Path<T> | undefined {
  return (key) => fields.find((f) => f === key);
}
