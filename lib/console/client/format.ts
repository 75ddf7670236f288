// How the console writes money, dates and quantities for people: US dollars, and times in the
// browser's own time zone (these run in the browser only, so the server never guesses a zone).
// Each formatter is made when first used: making one costs the page's start (locale and time
// zone data), and most pages use only some of them.
let dollars: Intl.NumberFormat | undefined;
let dateTime: Intl.DateTimeFormat | undefined;
let dateOnly: Intl.DateTimeFormat | undefined;
let quantity: Intl.NumberFormat | undefined;

export function formatMoney(amount: number): string {
  return (dollars ??= new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" })).format(amount);
}

export function formatDateTime(iso: string): string {
  return (dateTime ??= new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short" })).format(new Date(iso));
}

export function formatDate(iso: string): string {
  return (dateOnly ??= new Intl.DateTimeFormat("en-US", { dateStyle: "medium" })).format(new Date(iso));
}

export function formatQuantity(value: number): string {
  return (quantity ??= new Intl.NumberFormat("en-US", { maximumFractionDigits: 4 })).format(value);
}
