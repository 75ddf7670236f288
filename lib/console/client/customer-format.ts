// How the console writes a customer for people: their name (or their number when they have
// none), and US phone numbers as "(555) 123-1234", also while one is being typed.
import type { Customer } from "@/lib/engage/schemas/customer";

export function customerName(customer: Pick<Customer, "CustomerID" | "FirstName" | "LastName">): string {
  const name = [customer.FirstName, customer.LastName].filter(Boolean).join(" ").trim();
  return name || `Customer #${customer.CustomerID}`;
}

/** A stored phone (10 digits) as "(555) 123-1234"; anything else as it is. */
export function formatPhone(phone: string | null | undefined): string {
  if (!phone) return "";
  const digits = phone.replace(/\D/g, "");
  const ten = digits.length === 11 && digits.startsWith("1") ? digits.slice(1) : digits;
  if (ten.length !== 10) return phone;
  return `(${ten.slice(0, 3)}) ${ten.slice(3, 6)}-${ten.slice(6)}`;
}

/**
 * A phone number as it is typed: "5551" → "(555) 1", "+1 555 123 1234" → "+1 (555) 123-1234".
 * No separator is added after the last digit, so Backspace always removes a digit. A leading 1
 * is the country code (US area codes never start with 1).
 */
export function formatPhoneInput(value: string): string {
  let digits = value.replace(/\D/g, "");
  let prefix = "";
  if (digits.startsWith("1")) {
    prefix = "+1";
    digits = digits.slice(1);
  }
  digits = digits.slice(0, 10);
  let body = "";
  if (digits.length > 6) body = `(${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}`;
  else if (digits.length > 3) body = `(${digits.slice(0, 3)}) ${digits.slice(3)}`;
  else if (digits.length > 0) body = `(${digits}`;
  return [prefix, body].filter(Boolean).join(" ");
}

/** Where the caret goes in `formatted` so that the same number of digits precede it. */
export function caretAfterDigits(formatted: string, digitsBefore: number): number {
  if (digitsBefore <= 0) return formatted.startsWith("(") ? 1 : 0;
  let seen = 0;
  for (let i = 0; i < formatted.length; i++) {
    if (/\d/.test(formatted[i])) seen++;
    if (seen === digitsBefore) return i + 1;
  }
  return formatted.length;
}

export function countDigits(value: string): number {
  return value.replace(/\D/g, "").length;
}
