import { describe, expect, it, vi } from "vitest";
import { renderHook } from "@testing-library/react";
import { useEscape } from "./useEscape";

const press = (target: EventTarget, key = "Escape") => target.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true }));

describe("useEscape", () => {
  it("calls back on Escape, not on other keys, and stops when unmounted", () => {
    const close = vi.fn();
    const { unmount } = renderHook(() => useEscape(close));
    press(document.body, "Enter");
    expect(close).not.toHaveBeenCalled();
    press(document.body);
    expect(close).toHaveBeenCalledTimes(1);
    unmount();
    press(document.body);
    expect(close).toHaveBeenCalledTimes(1);
  });

  it("leaves Escape to a field being typed in", () => {
    const close = vi.fn();
    renderHook(() => useEscape(close));
    const input = document.body.appendChild(document.createElement("input"));
    press(input);
    expect(close).not.toHaveBeenCalled();
    input.remove();
  });
});
