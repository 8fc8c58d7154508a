// What makes a page unreadable on a phone (issue 18, point 8), as a list of problems; [] when none.
// 1. The page scrolls sideways (1 px of rounding allowed).
// 2. A box on the page scrolls sideways (a wide table in .table-responsive still makes the reader
//    swipe back and forth through every row).
// 3. Text squeezed into a column so narrow that it wraps a character or two at a time: a text of more
//    than 3 characters whose rendered lines are each narrower than 3 characters (3 em), or that takes
//    more lines than half its length. The lines are measured from the text itself (Range rects), not
//    from its box, so a tall table row does not count as wrapped text.
() => {
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth + 1) {
    problems.push(`the page scrolls sideways: ${root.scrollWidth}px wide in ${root.clientWidth}px`);
  }
  const describe = (el) => {
    const classes = typeof el.className === "string" && el.className.trim() ? "." + el.className.trim().split(/\s+/).join(".") : "";
    const id = el.id ? "#" + el.id : "";
    const table = el.closest("table[id]");
    return el.tagName.toLowerCase() + id + classes + (table && table !== el ? ` in table#${table.id}` : "");
  };
  for (const el of document.body.querySelectorAll("*")) {
    const overflowX = getComputedStyle(el).overflowX;
    if ((overflowX === "auto" || overflowX === "scroll") && el.scrollWidth > el.clientWidth + 1 && el.checkVisibility()) {
      problems.push(`${describe(el)} scrolls sideways: ${el.scrollWidth}px in ${el.clientWidth}px`);
    }
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const chars = [...node.textContent.replace(/\s+/g, "")];
    if (chars.length <= 3) continue;
    const el = node.parentElement;
    if (!el.checkVisibility({ visibilityProperty: true })) continue;
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue; // visually hidden text, read by screen readers only
    const range = document.createRange();
    range.selectNodeContents(node);
    const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
    const lines = new Set(rects.map((r) => Math.round(r.top))).size;
    if (lines < 2) continue;
    const em = parseFloat(getComputedStyle(el).fontSize);
    const widest = Math.max(...rects.map((r) => r.width));
    if (widest < 3 * em || lines > chars.length / 2) {
      problems.push(`${describe(el)} 「${chars.join("").slice(0, 16)}」 wraps to ${lines} lines of at most ${(widest / em).toFixed(1)} characters`);
    }
  }
  return problems;
}
