// The customer list's URL state and the phone formatting the forms use as people type.
import { describe, expect, it } from "vitest";
import { caretAfterDigits, customerName, formatPhone, formatPhoneInput } from "./customer-format";
import { customerListQuery, customerListStateFrom, registrationHint } from "./customer-list-state";

describe("formatPhone", () => {
  it("writes 10 digits as (555) 123-1234 and leaves anything else alone", () => {
    expect(formatPhone("5551231234")).toBe("(555) 123-1234");
    expect(formatPhone("15551231234")).toBe("(555) 123-1234");
    expect(formatPhone("12345")).toBe("12345");
    expect(formatPhone(null)).toBe("");
  });
});

describe("formatPhoneInput", () => {
  it.each([
    ["", ""],
    ["5", "(5"],
    ["555", "(555"],
    ["5551", "(555) 1"],
    ["555123", "(555) 123"],
    ["5551231", "(555) 123-1"],
    ["5551231234", "(555) 123-1234"],
    ["555123123499", "(555) 123-1234"],
    ["(555) 123-", "(555) 123"],
    ["+1 555 123 1234", "+1 (555) 123-1234"],
    ["1", "+1"],
    ["abc", ""],
  ])("%j → %j", (typed, shown) => {
    expect(formatPhoneInput(typed)).toBe(shown);
  });

  it("keeps the caret after the same digit", () => {
    expect(caretAfterDigits("(555) 123-1234", 4)).toBe(7);
    expect(caretAfterDigits("(555) 123-1234", 10)).toBe(14);
    expect(caretAfterDigits("(555", 0)).toBe(1);
  });
});

describe("customerName", () => {
  it("is the name, or the customer's number", () => {
    expect(customerName({ CustomerID: 7, FirstName: "Ava", LastName: "Lee" })).toBe("Ava Lee");
    expect(customerName({ CustomerID: 7, FirstName: null, LastName: "Lee" })).toBe("Lee");
    expect(customerName({ CustomerID: 7, FirstName: null, LastName: null })).toBe("Customer #7");
  });
});

describe("the customer list's URL", () => {
  it("round-trips, leaving defaults out", () => {
    const state = customerListStateFrom(new URLSearchParams("q=%20smith%20%20j%20&page=3&sort=-lastVisit"));
    expect(state).toEqual({ q: "smith j", page: 3, sort: "-lastVisit" });
    expect(customerListQuery(state)).toBe("?q=smith+j&page=3&sort=-lastVisit");
    expect(customerListQuery({ q: "", page: 1, sort: "name" })).toBe("");
  });

  it("falls back to the defaults for nonsense", () => {
    expect(customerListStateFrom(new URLSearchParams("page=0&sort=age"))).toEqual({ q: "", page: 1, sort: "name" });
    expect(customerListStateFrom(new URLSearchParams("page=-2"))).toEqual({ q: "", page: 1, sort: "name" });
  });
});

describe("registrationHint", () => {
  it("prefills what the search looked like", () => {
    expect(registrationHint("(555) 123-1234")).toEqual({ Phone: "(555) 123-1234" });
    expect(registrationHint("ava@example.com")).toEqual({ Email: "ava@example.com" });
    expect(registrationHint("Ava Lee")).toEqual({ FirstName: "Ava", LastName: "Lee" });
    expect(registrationHint("1234")).toEqual({});
  });
});
