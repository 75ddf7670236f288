// Class names for the primitives: conditional parts (clsx), later Tailwind classes winning
// over earlier conflicting ones (tailwind-merge), so a caller's className can override.
import { clsx, type ClassValue } from "clsx";
import { twMerge } from "tailwind-merge";

export function cn(...inputs: ClassValue[]): string {
  return twMerge(clsx(inputs));
}
