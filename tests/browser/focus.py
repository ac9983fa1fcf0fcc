"""Reading a focus indicator in Chromium, for the keyboard and accessibility tests.

A focus indicator counts as visible when the focused element has an outline or a
box-shadow ring at least 2px wide with a contrast of 3:1 or more against the background
around it (WCAG 2.4.7, and 1.4.11 for its contrast). Bootstrap's ``.btn-check`` radio
buttons hide the input itself: their indicator is drawn on the label.
"""

# The focus ring of an element: its outline and box-shadow rings, each with its visible
# width and its contrast against the background the ring is drawn on.
RING_JS = r"""
() => {
  function parse(color) {
    const m = color.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  }
  function over(top, bottom) {
    const a = top.a;
    return { r: top.r * a + bottom.r * (1 - a), g: top.g * a + bottom.g * (1 - a),
             b: top.b * a + bottom.b * (1 - a), a: 1 };
  }
  function luminance(c) {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  }
  function contrast(a, b) {
    const [l1, l2] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (l1 + 0.05) / (l2 + 0.05);
  }
  function backgroundAround(el) {
    const layers = [];
    for (let node = el.parentElement; node; node = node.parentElement) {
      const c = parse(getComputedStyle(node).backgroundColor);
      if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
    }
    let bg = { r: 255, g: 255, b: 255, a: 1 };
    for (const layer of layers.reverse()) bg = over(layer, bg);
    return bg;
  }
  window.__focusRing = function (el) {
    const s = getComputedStyle(el);
    const bg = backgroundAround(el);
    const rings = [];
    const outline = parse(s.outlineColor);
    if (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0 && outline && outline.a > 0) {
      rings.push({ kind: "outline", width: parseFloat(s.outlineWidth),
                   contrast: contrast(over(outline, bg), bg) });
    }
    if (s.boxShadow && s.boxShadow !== "none") {
      let covered = 0;
      // Each shadow: its colour, then x, y, blur and spread, and maybe "inset".
      const colorPart = String.raw`(rgba?\([^)]+\))`, lengthPart = String.raw`\s+(-?[\d.]+)px`;
      const re = new RegExp(colorPart + lengthPart.repeat(4) + String.raw`(\s+inset)?`, "g");
      for (const m of s.boxShadow.matchAll(re)) {
        const color = parse(m[1]);
        const spread = parseFloat(m[5]);
        if (m[6] || !color || color.a === 0) continue;
        const width = spread - covered;
        covered = Math.max(covered, spread);
        if (width > 0) {
          rings.push({ kind: "box-shadow", width, contrast: contrast(over(color, bg), bg) });
        }
      }
    }
    const visible = rings.some(r => r.width >= 2 && r.contrast >= 3);
    return { visible, rings, style: s.outline + " | " + s.boxShadow };
  };
}
"""


# Every element a keyboard can reach, focused in turn (after a key press, so that
# Chromium treats the focus as keyboard focus and :focus-visible applies): the ones
# without a visible indicator.
SWEEP_JS = """
() => {
  const reachable = "a[href], button, input:not([type=hidden]), select, textarea, summary, "
    + "[tabindex]:not([tabindex='-1'])";
  const problems = [];
  for (const el of document.querySelectorAll(reachable)) {
    if (el.disabled || el.closest("[inert]")) continue;
    el.focus({ preventScroll: true });
    if (document.activeElement !== el) continue;  // not shown, so not reachable
    const shown = el.matches(".btn-check") && el.labels.length ? el.labels[0] : el;
    const ring = window.__focusRing(shown);
    if (!ring.visible) {
      problems.push(el.outerHTML.slice(0, 140) + " " + JSON.stringify(ring.rings));
    }
  }
  document.activeElement.blur();
  return problems;
}
"""


def install(page) -> None:
    """Defines ``window.__focusRing(element)`` on ``page`` (once per document)."""
    if not page.evaluate("() => typeof window.__focusRing === 'function'"):
        page.evaluate(RING_JS)


def unringed(page) -> list[str]:
    """The reachable elements of ``page`` that show no visible focus indicator."""
    install(page)
    page.keyboard.press("Shift")  # a key press: what follows is keyboard focus
    return page.evaluate(SWEEP_JS)
