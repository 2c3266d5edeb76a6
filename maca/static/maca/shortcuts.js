// Keyboard shortcuts for the meeting's pages: a progressive enhancement, never needed.
// A link or button marked data-shortcut="n" is followed (a link) or focused (a button) when
// that key is pressed outside a form field and without a modifier key. They can be turned off
// (WCAG 2.1.4): the choice is kept in this browser only.
const KEPT = "maca-shortcuts-off";
const TYPING = "input, textarea, select, [contenteditable], [contenteditable='true']";

function off() {
  try {
    return window.localStorage.getItem(KEPT) === "1";
  } catch {
    return false;
  }
}

function keep(isOff) {
  try {
    if (isOff) window.localStorage.setItem(KEPT, "1");
    else window.localStorage.removeItem(KEPT);
  } catch {
    // Private browsing without storage: the switch holds for this page only.
  }
}

let enabled = !off();
const toggle = document.querySelector("[data-shortcuts-switch]");
if (toggle) {
  const box = toggle.querySelector("input");
  box.checked = enabled;
  box.addEventListener("change", () => {
    enabled = box.checked;
    keep(!enabled);
  });
  toggle.hidden = false;
}

document.addEventListener("keydown", (event) => {
  if (!enabled || event.defaultPrevented || event.repeat) return;
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  if (target instanceof Element && target.closest(TYPING)) return;
  const key = event.key.length === 1 ? event.key.toLowerCase() : "";
  if (!/^[a-z]$/.test(key)) return;
  const marked = document.querySelector(`[data-shortcut="${key}"]`);
  if (!marked) return;
  event.preventDefault();
  if (marked instanceof HTMLAnchorElement) {
    window.location.assign(marked.href);
  } else {
    marked.scrollIntoView({ block: "center" });
    marked.focus();
  }
});
