import { beforeEach, describe, expect, it } from "vitest";
import { adoptTokenFromUrl, getToken } from "./token";

describe("sign-in link", () => {
  beforeEach(() => localStorage.clear());

  it("stores ?token= and removes it from the address bar, keeping the rest of the URL", () => {
    window.history.replaceState(null, "", "/traces?service=a&token=s3cret#x");
    expect(adoptTokenFromUrl()).toBe(true);
    expect(getToken()).toBe("s3cret");
    expect(window.location.pathname + window.location.search + window.location.hash).toBe("/traces?service=a#x");
  });

  it("leaves a URL without a token alone", () => {
    window.history.replaceState(null, "", "/map?ns=shop");
    expect(adoptTokenFromUrl()).toBe(false);
    expect(getToken()).toBeNull();
    expect(window.location.search).toBe("?ns=shop");
  });
});
