// How the console writes money, dates and quantities for people: US dollars, and times in the
// browser's own time zone (these run in the browser only, so the server never guesses a zone).
const dollars = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });
const dateTime = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short" });
const dateOnly = new Intl.DateTimeFormat("en-US", { dateStyle: "medium" });
const quantity = new Intl.NumberFormat("en-US", { maximumFractionDigits: 4 });

export function formatMoney(amount: number): string {
  return dollars.format(amount);
}

export function formatDateTime(iso: string): string {
  return dateTime.format(new Date(iso));
}

export function formatDate(iso: string): string {
  return dateOnly.format(new Date(iso));
}

export function formatQuantity(value: number): string {
  return quantity.format(value);
}
