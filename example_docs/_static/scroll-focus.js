// A code block wider than its box scrolls sideways; a keyboard reaches it only if it can take
// the focus. So each one that scrolls is given tabindex="0" (and loses it when it no longer
// scrolls), checked when the page loads, when the window is resized and when a tab is chosen
// (a block in a hidden tab has no width until then).
"use strict";
(() => {
  const update = () => {
    for (const pre of document.querySelectorAll("div.highlight > pre, pre.literal-block")) {
      if (pre.scrollWidth > pre.clientWidth) {
        pre.setAttribute("tabindex", "0");
      } else if (pre.getAttribute("tabindex") === "0") {
        pre.removeAttribute("tabindex");
      }
    }
  };
  let pending = false;
  const later = () => {
    if (!pending) {
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        update();
      });
    }
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", update);
  } else {
    update();
  }
  window.addEventListener("resize", later);
  document.addEventListener("change", later);
})();
