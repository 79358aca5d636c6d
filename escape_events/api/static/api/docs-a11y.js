/* Swagger UI leaves a few things unnamed or unreachable by keyboard; name them as they appear. */
new MutationObserver(() => {
  for (const block of document.querySelectorAll("pre.microlight:not([tabindex])")) {
    block.tabIndex = 0;
    block.setAttribute("aria-label", "Example");
  }
  for (const select of document.querySelectorAll("#swagger-ui select:not([aria-label])")) {
    const row = select.closest("tr[data-param-name]");
    select.setAttribute("aria-label", row ? row.dataset.paramName : "Content type");
  }
}).observe(document.body, { childList: true, subtree: true });
