/* Swagger UI leaves a few things unnamed or unreachable by keyboard; name them as they appear.
   The names come translated from the page (data-* on this script tag, see api/docs.html). */
(function () {
  "use strict";
  var texts = document.currentScript.dataset;
  new MutationObserver(function () {
    for (const block of document.querySelectorAll("pre.microlight:not([tabindex])")) {
      block.tabIndex = 0;
      block.setAttribute("aria-label", texts.example || "Example");
    }
    for (const select of document.querySelectorAll("#swagger-ui select:not([aria-label])")) {
      const row = select.closest("tr[data-param-name]");
      select.setAttribute("aria-label", row ? row.dataset.paramName : texts.contentType || "Content type");
    }
  }).observe(document.body, { childList: true, subtree: true });
})();
